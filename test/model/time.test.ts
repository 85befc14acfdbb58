// model/time.ts ms(): the API server's whole-second UTC times are read from their digits instead of
// Date.parse (the watch reads thousands a second). The reference is Date.parse itself, on the times
// of every recording and on strings built to sit at and beyond every range edge.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDINGS_DIR } from '../apiserver/recordings.js';
import { ms } from '../../src/model/time.js';

const reference = (t: string): number | null => {
  const d = Date.parse(t);
  return Number.isFinite(d) ? d : null;
};

test('every time in the recorded watch streams reads as Date.parse reads it', () => {
  const times = new Set<string>();
  for (const s of readdirSync(RECORDINGS_DIR)) {
    for (const f of ['pods.watch.jsonl', 'events.watch.jsonl']) {
      const p = join(RECORDINGS_DIR, s, f);
      if (!existsSync(p)) continue;
      for (const m of readFileSync(p, 'utf8').matchAll(/"(\d{4}-\d\d-\d\dT[0-9:.]+(?:Z|[+-]\d\d:\d\d))"/g)) times.add(m[1]);
    }
  }
  expect(times.size).toBeGreaterThan(200);
  const wrong = [...times].filter((t) => ms(t) !== reference(t));
  expect(wrong).toEqual([]);
});

test('range edges and malformed digits read as Date.parse reads them', () => {
  const cases: string[] = [];
  const years = ['0000', '0050', '0099', '0100', '1970', '2026', '9999'];
  for (const y of years) {
    for (const mo of ['00', '01', '02', '12', '13', '1a']) {
      for (const d of ['00', '01', '28', '29', '30', '31', '32']) cases.push(`${y}-${mo}-${d}T00:00:00Z`);
    }
  }
  for (const hms of ['23:59:59', '24:00:00', '24:00:01', '23:60:00', '23:59:60', '00:00:00', '-1:00:00', '0x:00:00', ' 1:00:00']) cases.push(`2026-11-30T${hms}Z`);
  cases.push('2026-11-30T10:00:00z', '2026-11-30 10:00:00Z', '2026/11/30T10:00:00Z', '2026-11-30T10:00:00.5Z', '2026-11-30T10:00:00+01:00', '+02026-11-30T10:00:00Z', '２026-11-30T10:00:00Z');
  const wrong = cases.filter((t) => ms(t) !== reference(t)).map((t) => `${t}: ${ms(t)} vs ${reference(t)}`);
  expect(wrong).toEqual([]);
});

test('10,000 random whole-second UTC times read as Date.parse reads them', () => {
  let seed = 42;
  const rnd = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const p = (v: number, w: number) => String(v).padStart(w, '0');
  const wrong: string[] = [];
  for (let i = 0; i < 10000; i++) {
    const t = `${p(rnd(10000), 4)}-${p(1 + rnd(12), 2)}-${p(1 + rnd(31), 2)}T${p(rnd(24), 2)}:${p(rnd(60), 2)}:${p(rnd(60), 2)}Z`;
    if (ms(t) !== reference(t)) wrong.push(t);
  }
  expect(wrong).toEqual([]);
});
