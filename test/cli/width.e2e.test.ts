// Text fits the terminal: with COLUMNS=80 and 120 no line of describe is wider (one pod, many pods,
// -o wide, every recording through the test API server); piped (no terminal, no COLUMNS) nothing is
// cut: every blocker and advice message of -o json appears whole, on one line, in the text output.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

const RECORDINGS = join(ROOT, 'test', 'fixtures', 'recordings');
const SCENARIOS = readdirSync(RECORDINGS).filter((d) => existsSync(join(RECORDINGS, d, 'snapshots')));
const NOW = '2026-11-21T23:10:00Z';

const wider = (out: string, n: number) => out.split('\n').filter((l) => [...l].length > n);

let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: SCENARIOS });
});
afterAll(() => srv.close());

const kube = () => ['--kubeconfig', srv.kubeconfigPath, '--now', NOW, '--color', 'never'];

describe.each([80, 120])('COLUMNS=%i', (cols) => {
  const env = { COLUMNS: String(cols) };
  test.each(['text', 'wide'])('every pod of every recording (-A), -o %s', async (o) => {
    const r = await run(['describe', '-A', '-o', o, '--details', 'all', ...kube()], { env });
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').length).toBeGreaterThan(100);
    expect(wider(r.stdout, cols)).toEqual([]);
  });
  test.each(SCENARIOS)('one namespace: %s (text and wide)', async (s) => {
    for (const o of ['text', 'wide']) {
      const r = await run(['describe', '-n', `rec-${s}`, '-o', o, ...kube()], { env });
      expect(r.code).toBe(0);
      expect({ o, lines: wider(r.stdout, cols) }).toEqual({ o, lines: [] });
    }
  });
  test('the demo from files, many pods and one', async () => {
    for (const args of [['-f', 'test/fixtures/demo'], ['-f', 'test/fixtures/demo/job-legacy-sidecar'], ['-f', 'test/fixtures/demo', '-o', 'wide']]) {
      const r = await run(['describe', ...args, '--now', '2026-11-21T22:57:01Z'], { env });
      expect(r.code).toBe(0);
      expect(wider(r.stdout, cols)).toEqual([]);
    }
  });
});

test('piped: every blocker and advice message whole, on one line; nothing cut', async () => {
  const json = await run(['describe', '-A', '-o', 'json', ...kube()]);
  const items = JSON.parse(json.stdout).items as { blockers: { message: string }[]; advice: { message: string }[] }[];
  const messages = items.flatMap((p) => [...p.blockers, ...p.advice].map((x) => x.message));
  expect(messages.length).toBeGreaterThan(10);
  expect(messages.some((m) => m.length > 300)).toBe(true); // the registry error chain of image-pull-fail
  for (const o of ['text', 'wide']) {
    const r = await run(['describe', '-A', '-o', o, '--details', 'all', ...kube()]);
    const lines = r.stdout.split('\n');
    // times inside a sentence are shown on the reader's clock (render/time.ts localTimes): any form
    const shown = (m: string) => new RegExp(m.split(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)/).map((x) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[-0-9 :.TZ+]{8,32}'));
    for (const m of messages) expect({ m, whole: lines.some((l) => shown(m).test(l)) }).toEqual({ m, whole: true });
    expect(r.stdout).not.toContain('…');
  }
});

test('watch piped prints whole lines, never cut', async () => {
  const r = await run(['watch', '-A', '--timeout', '1s', ...kube()]);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n').length).toBeGreaterThan(20);
  expect(r.stdout).not.toContain('…');
  // the longest detail there is (the registry error chain) is printed whole
  expect(r.stdout).toMatch(/failed to resolve reference "registry\.example\.invalid\/fluent-bit:9\.9\.9": failed to do request/);
});

test('watch with COLUMNS=80 wraps under the detail column', async () => {
  const r = await run(['watch', '-A', '--timeout', '1s', ...kube()], { env: { COLUMNS: '80' } });
  expect(r.code).toBe(0);
  expect(wider(r.stdout, 80)).toEqual([]);
  expect(r.stdout.replace(/\n +/g, ' ')).toMatch(/failed to resolve reference "registry\.example\.invalid\/fluent-bit:9\.9\.9": failed to do request/);
});
