// `watch --until` says the true thing when it cannot wait any longer: a pod that can no longer reach
// the state fails the wait at once (exit 2, with why), and a timeout with every pod ended names those
// pods, what their Job said and the failed pods' blockers, not "no matching pod appeared".
// The real executable through the replay API server (test/apiserver/), on recorded pods.
import type { Fault } from '../apiserver/server.js';
import type { TimelineLine } from '../apiserver/recordings.js';
import { iso, parseLines, startCli, timeline, until, watches, withServer } from './replay.js';

/** Starts the watch once the recording reached `from` (default: its first pod), then plays the rest. */
async function watchAfterAll(scenario: string, args: string[], faults: Fault[] = [], from?: (l: TimelineLine) => boolean, env: Record<string, string> = {}) {
  return withServer(scenario, faults, async (srv) => {
    const tl = timeline(scenario);
    srv.advanceTo(iso(Math.ceil(tl.find(from ?? ((l) => l.stream === 'pods'))!.t))); // a named pod must exist
    const t0 = Date.now();
    const cli = startCli(['watch', ...args, '--kubeconfig', srv.kubeconfigPath, '--now', iso(tl[0].t)], env);
    await until(() => watches(srv, 'pods') >= 1 || cli.child.exitCode !== null, 'the watch');
    srv.finish();
    const r = await cli.exited;
    return { ...r, ms: Date.now() - t0, stdout: cli.stdout(), stderr: cli.stderr() };
  });
}

/** `watch job/flaky --until complete --timeout 4s` whose Job GET answers once, then `code` every time. */
function jobFlakyUntilComplete(code: 403 | 500) {
  const jobGet = /\/jobs\/flaky$/;
  const faults: Fault[] = [
    { match: { path: jobGet, watch: false }, kind: 'stall', ms: 1, times: 1 },
    { match: { path: jobGet, watch: false }, kind: 'status', code, times: 1000 },
  ];
  return watchAfterAll('job-retries', ['job/flaky', '--until', 'complete', '--timeout', '4s', '-o', 'json'], faults);
}

test('job-retries: --until ready on a pod that failed exits 2 at once, saying it failed and why', async () => {
  // recorded: flaky-jjnbc's task exited 1 at 23:03:05 (restartPolicy Never): phase Failed
  const failedLine = (l: TimelineLine) => l.stream === 'pods' && l.line.includes('"name":"flaky-jjnbc"') && l.line.includes('"phase":"Failed"');
  const r = await watchAfterAll('job-retries', ['flaky-jjnbc', '--until', 'ready', '--timeout', '15s'], [], failedLine);
  expect(r.code).toBe(2);
  expect(r.ms).toBeLessThan(12000);
  expect(r.stderr).toMatch(/^rec-job-retries\/flaky-jjnbc can no longer be ready: it failed \(failed and will not run again: task exited 1 \(Error\)\)$/m);
  expect(r.stderr).not.toMatch(/timed out/);
});

test('job-retries: --until complete --timeout on job/flaky when the Job cannot be read: the ended pods, the Job\'s error and each failed pod\'s blocker', async () => {
  // GET job/flaky answers once (the watch resolves its selector), then 403 (not retried: a 500 is,
  // for 12 s, past this timeout): the three recorded pods all end Failed, and the Job's outcome
  // stays unknown until the timeout.
  const r = await jobFlakyUntilComplete(403);
  expect(r.code).toBe(3);
  expect(r.stderr).not.toMatch(/no matching pod appeared/);
  expect(r.stderr).toMatch(/^timed out after 4s waiting for pods to be complete: every matching pod so far has ended \(rec-job-retries\/flaky-\w+ Error, rec-job-retries\/flaky-\w+ Error, rec-job-retries\/flaky-\w+ Error\), but job\/flaky could not be read \(.*\)$/m);
  // the blockers at the timeout: each failed pod's PodFailed, printed again when the wait gave up
  const failed = parseLines(r.stdout).filter((l) => l.type === 'Blocker' && l.code === 'PodFailed');
  expect(new Set(failed.map((l) => l.pod)).size).toBe(3);
  expect(failed.length).toBeGreaterThanOrEqual(6);
});

test('job-retries: under TZ=Europe/Berlin every time a watch line shows, its own and those in its sentence, is on one clock', async () => {
  // recorded: PodFailed says when task exited (23:03:05Z): it used to stay RFC 3339 UTC beside local times
  const r = await watchAfterAll('job-retries', ['--color', 'never', '--timeout', '3s'], [], undefined, { TZ: 'Europe/Berlin' });
  const lines = r.stdout.split('\n').filter((l) => /PodFailed/.test(l));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join('\n')).toMatch(/task exited with code 1 \(Error\) at 00:03:05\+01:00/);
  const raw = r.stdout.split('\n').map((l) => l.replace(/"[^"]*"/g, '')).filter((l) => /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/.test(l));
  expect(raw).toEqual([]);
});

test('job-retries: --until complete --timeout while the Job GET is still retrying a 500: the Job is named as not read yet, never left out', async () => {
  const r = await jobFlakyUntilComplete(500);
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/^timed out after 4s waiting for pods to be complete: every matching pod so far has ended \(rec-job-retries\/flaky-\w+ Error, rec-job-retries\/flaky-\w+ Error, rec-job-retries\/flaky-\w+ Error\), but job\/flaky has not been read yet$/m);
});
