// The live pods' texts outside V8's heap (src/model/watch/slab.ts). What goes in is the recorded
// watch lines of every scenario (test/fixtures/recordings, the API server's own bytes) and hostile
// text; what comes out must be the same string. The tracker's tests (watch.test.ts, tick.test.ts,
// tombstone.test.ts) re-derive pods from these texts through the real store.
import { TextSlab } from '../../src/model/watch/slab.js';
import { recordedWatchLines } from '../apiserver/recordings.js';

/** Every recorded pod watch line of every scenario (the JSON after the tab). */
const LINES = recordedWatchLines(['pods.watch.jsonl']).map((l) => l.line);

test('every recorded watch line comes back as it went in, through one address per pod', () => {
  expect(LINES.length).toBeGreaterThan(100);
  const slab = new TextSlab();
  const addr = new Map<number, number>();
  // 40 pods, the recorded lines written over each other as a pod's updates are
  LINES.forEach((line, i) => {
    const pod = i % 40;
    addr.set(pod, slab.put(addr.get(pod) ?? -1, line));
    expect(slab.get(addr.get(pod)!)).toBe(line);
  });
  // what is kept is each pod's last line, untouched by the writes to the others
  for (const [pod, a] of addr) expect(slab.get(a)).toBe(LINES[LINES.length - 1 - ((LINES.length - 1 - pod) % 40)]);
});

test('hostile text: multi-byte characters, escapes, NUL and control bytes, empty', () => {
  const slab = new TextSlab();
  for (const text of ['', '\u0000\u001b[2J\u009b', 'naïve ☃ 日本語 \u{1F600} \uD800', '"\\u0000"'.repeat(1000), 'x'.repeat(250), 'é'.repeat(2000)]) {
    const a = slab.put(-1, text);
    // a lone surrogate is not UTF-8: it comes back as U+FFFD, as from any UTF-8 text
    expect(slab.get(a)).toBe(Buffer.from(text, 'utf8').toString('utf8'));
  }
});

test('a text that fits its slot stays there; a longer one moves and its old slot goes to the next text of that size', () => {
  const slab = new TextSlab();
  const a = slab.put(-1, 'a'.repeat(400));
  expect(slab.put(a, 'b'.repeat(100))).toBe(a);
  expect(slab.get(a)).toBe('b'.repeat(100));
  const moved = slab.put(a, 'c'.repeat(3000));
  expect(moved).not.toBe(a);
  expect(slab.get(moved)).toBe('c'.repeat(3000));
  expect(slab.put(-1, 'd'.repeat(300))).toBe(a);
});

test('a text over a quarter of a chunk has a chunk of its own, given back when released', () => {
  const slab = new TextSlab();
  slab.put(-1, 'small');
  const before = slab.heldBytes;
  const big = slab.put(-1, 'z'.repeat(3 * 2 ** 20));
  expect(slab.get(big)).toBe('z'.repeat(3 * 2 ** 20));
  expect(slab.heldBytes).toBeGreaterThan(before + 3 * 2 ** 20);
  slab.release(big);
  expect(slab.heldBytes).toBe(before);
  // slots carved after it still come from the shared chunk
  const after = slab.put(-1, 'y'.repeat(1000));
  expect(slab.get(after)).toBe('y'.repeat(1000));
  expect(slab.heldBytes).toBe(before);
});

test('pods coming and going: what the slab holds follows the live texts, not the updates', () => {
  const slab = new TextSlab();
  const live = new Map<number, number>();
  let next = 0;
  const held: number[] = [];
  for (let round = 0; round < 20; round++) {
    // 2,000 live pods; each round every pod gets a recorded line, and a tenth are replaced by new pods
    for (let p = 0; p < 2000; p++) live.set(p, slab.put(live.get(p) ?? -1, LINES[(next++ * 7) % LINES.length]));
    for (let p = round % 10; p < 2000; p += 10) {
      slab.release(live.get(p)!);
      live.delete(p);
    }
    held.push(slab.heldBytes);
  }
  for (const [, a] of live) expect(LINES).toContain(slab.get(a));
  // a pod keeps the largest slot it needed, and freed slots serve texts of their size: what is held
  // stops growing once every size has been seen (by the 7th round here), near 2,000 of the largest
  const largest = Math.max(...LINES.map((l) => Buffer.byteLength(l)));
  expect(held[19]).toBe(held[9]);
  expect(held[19]).toBeLessThanOrEqual(1.25 * 2000 * largest);
});
