// Sentences that used to be false, each on recorded or real objects, through the executable:
// what the header says of a finalizer-held pod, a manifest with no status, a pod deleted after it
// Failed, an estimated ready time, and one clock for every time a person reads.
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PodLifecycleList } from '../../src/model/types.js';
import { execFileSync } from 'node:child_process';
import { BIN, ROOT, run } from './run.js';

const RECORDINGS = join(ROOT, 'test', 'fixtures', 'recordings');
const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');
/** RFC 3339 outside double quotes (quoted text is the cluster's own and stays as it was). */
const rawTimes = (text: string) => text.split('\n').map((l) => l.replace(/"[^"]*"/g, '')).filter((l) => /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(l));

test('a pod held by a finalizer after the kubelet confirmed every container stopped: the header says the finalizer holds it', async () => {
  // ordering/last-seen: the recorded last state (deletionGracePeriodSeconds 0 at 22:56:35, every
  // container terminated); edit: metadata.finalizers added (a Job's or a controller's), status untouched
  const list = JSON.parse(readFileSync(join(RECORDINGS, 'ordering', 'snapshots', 'last-seen', 'pods.json'), 'utf8'));
  list.items[0].metadata.finalizers = ['example.com/hold'];
  const dir = mkdtempSync(join(tmpdir(), 'finalizer-'));
  writeFileSync(join(dir, 'pods.json'), JSON.stringify(list));
  const r = await run(['describe', '-f', dir, '--now', '2026-11-21T23:00:00Z']);
  expect(r.stderr).toBe('');
  expect(r.stdout).not.toMatch(/removed at/);
  expect(r.stdout).toMatch(/deleted: every container stopped, confirmed 22:56:35Z \(grace 0\), but finalizer example\.com\/hold holds the\s+object: it is removed only once it is gone/);
  expect(r.stdout).toMatch(/TerminationOverdue: deleted, and the deletion was confirmed at 22:56:35Z/);
  expect(r.stdout).not.toMatch(/with a 0s grace period/);
});

test('a manifest (no status at all) is not "a node that stopped reporting": it says there is no status', async () => {
  const r = await run(['describe', '-f', join(RECORDINGS, 'ordering', 'manifest.yaml'), '--now', '2026-11-21T23:00:00Z', '-o', 'json']);
  expect(r.stderr).toBe('');
  const [p] = (JSON.parse(r.stdout) as PodLifecycleList).items;
  expect(p.verdict.state).toBe('Unknown');
  expect(p.verdict.summary).toMatch(/^the object has no status at all/);
  expect(p.verdict.summary).not.toMatch(/stopped reporting/);
});

test('a pod deleted whose app was SIGKILLed at the deadline, phase Failed: Terminating, and the phase is said too', async () => {
  // corpus/stop-signal-sigquit (its README names the sources): worker exited 137, phase Failed, deleted
  const exp = JSON.parse(readFileSync(join(CORPUS, 'stop-signal-sigquit', 'expected.json'), 'utf8')) as { now: string };
  const r = await run(['describe', '-f', join(CORPUS, 'stop-signal-sigquit'), '--now', exp.now, '-o', 'json']);
  const [p] = (JSON.parse(r.stdout) as PodLifecycleList).items;
  expect(p.verdict.state).toBe('Terminating');
  expect(p.verdict.summary).toMatch(/; phase Failed: worker exited 137 \(Error\)$/);
});

test('an estimated ready time is printed as an estimate, never with a source as if read', async () => {
  // rollout/rolled-out: web's readiness success is not recorded; the timeline places it after its last
  // probe failure (an Unhealthy event) and marks it as an estimate
  const snap = join(RECORDINGS, 'rollout', 'snapshots', 'rolled-out');
  const now = readFileSync(join(snap, 'taken-at'), 'utf8').trim();
  const json = JSON.parse((await run(['describe', '-f', snap, 'web-5bb656864b-t5wlj', '--now', now, '-o', 'json'])).stdout) as PodLifecycleList;
  const ready = json.items[0].timeline.find((e) => e.container === 'web' && e.type === 'Ready');
  expect(ready?.estimate).toBeDefined();
  const text = (await run(['describe', '-f', snap, 'web-5bb656864b-t5wlj', '--now', now, '--color', 'never'])).stdout;
  expect(text).toMatch(/ready ~\+3\.0s estimate from event/);
  expect(text).not.toMatch(/ready \+3\.0s event/);
});

describe('one clock: every time a person reads follows --utc and the local zone', () => {
  // the snapshots whose sentences carry the most times (exits, kills, deadlines, back-offs, budgets)
  const snapshots = [['job-retries', 'failed'], ['restarts-20', 'restarts-3'], ['ordering', 'terminating'], ['sidecar-liveness-fail', 'restarting'],
    ['rollout', 'mid-rollout'], ['poststart-fails', 'hook-failing'], ['job-native-sidecar', 'completed'], ['istio-native', 'last-seen']];
  test.each(snapshots)('%s/%s under TZ=Europe/Berlin: no RFC 3339 time outside quotes; with --utc every time is Z', async (s, n) => {
    const dir = join(RECORDINGS, s, 'snapshots', n);
    const at = join(dir, 'taken-at');
    const now = existsSync(at) ? readFileSync(at, 'utf8').trim() : '2026-12-01T00:00:00Z';
    const local = await run(['describe', '-f', dir, '--now', now, '--details', 'all', '--color', 'never'], { env: { TZ: 'Europe/Berlin' } });
    expect(rawTimes(local.stdout)).toEqual([]);
    const utc = await run(['describe', '-f', dir, '--now', now, '--details', 'all', '--color', 'never', '--utc'], { env: { TZ: 'Europe/Berlin' } });
    expect(utc.stdout).not.toMatch(/\+01:00/);
  });
});

test.each([80, 120])('a real terminal of %i columns (script): the new pod of the rollout waits, with no ✗, and every line fits', (cols) => {
  const snap = join(RECORDINGS, 'rollout', 'snapshots', 'mid-rollout');
  const now = readFileSync(join(snap, 'taken-at'), 'utf8').trim();
  const cmd = `stty cols ${cols}; ${process.execPath} ${BIN} describe -f ${snap} web-5bb656864b-t5wlj --now ${now}`;
  const out = execFileSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', TZ: 'UTC', TERM: 'xterm' }, encoding: 'utf8' });
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r/g, '');
  expect(plain).toMatch(/Waiting on/);
  expect(plain).toMatch(/… web: readiness probe/);
  expect(plain).not.toMatch(/✗/);
  expect(plain.split('\n').filter((l) => [...l].length > cols)).toEqual([]);
});
