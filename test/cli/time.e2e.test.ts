// Times as kubectl describe prints them: the local time zone (TZ), or UTC with --utc; the date when
// the day is not today's; the offset as RFC 3339 writes it; a log's sub-second digits kept.
import { startApiServer } from '../apiserver/server.js';
import { run } from './run.js';

const POD = ['describe', '-f', 'test/fixtures/demo/job-native-sidecar', '--color', 'never'];
const SAME_DAY = '2026-11-21T22:57:01Z';

test('local time zone by default, UTC with --utc (the recording: pod start 22:56:17Z)', async () => {
  const berlin = await run([...POD, '--now', SAME_DAY], { env: { TZ: 'Europe/Berlin' } });
  expect(berlin.stdout).toContain('started 23:56:17+01:00');
  expect(berlin.stdout).toContain('Startup (0 = pod start 23:56:17+01:00)');
  // a log-refined moment keeps its hundredths
  expect(berlin.stdout).toContain('Termination (0 = 23:56:22.41+01:00, app containers finished; grace 30s)');
  const utc = await run([...POD, '--now', SAME_DAY, '--utc'], { env: { TZ: 'Europe/Berlin' } });
  expect(utc.stdout).toContain('started 22:56:17Z');
  expect(utc.stdout).toContain('Termination (0 = 22:56:22.41Z,');
  const ny = await run([...POD, '--now', SAME_DAY], { env: { TZ: 'America/New_York' } });
  expect(ny.stdout).toContain('started 17:56:17-05:00');
});

test('the date when the day is not today (AGE 8d beside it)', async () => {
  const r = await run([...POD, '--now', '2026-11-30T10:00:00Z'], { env: { TZ: 'Europe/Berlin' } });
  expect(r.stdout.split('\n')[0]).toMatch(/AGE 8d$/);
  expect(r.stdout).toContain('started 2026-11-21 23:56:17+01:00');
  // just after local midnight in Berlin the recording's evening is "yesterday"
  const m = await run([...POD, '--now', '2026-11-21T23:30:00Z'], { env: { TZ: 'Europe/Berlin' } });
  expect(m.stdout).toContain('started 2026-11-21 23:56:17+01:00');
  const u = await run([...POD, '--now', '2026-11-21T23:30:00Z', '--utc'], { env: { TZ: 'Europe/Berlin' } });
  expect(u.stdout).toContain('started 22:56:17Z');
});

test('watch lines in the local time zone too', async () => {
  const srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running' });
  try {
    const r = await run(['watch', '--kubeconfig', srv.kubeconfigPath, '--timeout', '1s', '--now', '2026-11-21T22:56:25Z', '--color', 'never'], { env: { TZ: 'Asia/Kolkata' } });
    expect(r.code).toBe(0);
    const times = r.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(times.length).toBeGreaterThan(3);
    for (const t of times) expect(t).toMatch(/^04:2\d:\d\d(\.\d{3})?\+05:30$/);
    // the detail column stays aligned whatever the time's length
    const col = r.stdout.trim().split('\n').map((l) => l.indexOf(' rec-ordering/'));
    expect(new Set(col).size).toBe(1);
  } finally {
    await srv.close();
  }
});
