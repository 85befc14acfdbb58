// A failed instance's line carries its last words, as describe gives them, read with one bounded
// log request each (tailLines=1, limitBytes): the built executable against the replay API server,
// which answers a log request with the recorded lines timed within the instance the kubelet would
// pick at the replay clock (test/apiserver/README.md). The expected line is the recording's own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../cli/run.js';
import { iso, parseLines, startCli, timeline, until, watches, withServer } from './replay.js';

const LOGS = join(ROOT, 'test', 'fixtures', 'recordings', 'sidecar-crashloop', 'snapshots', 'crashlooping', 'logs');

test('sidecar-crashloop: the last crash says its last log line; the instances the recording has no log of say so', async () => {
  const recorded = readFileSync(join(LOGS, 'sidecar-crash.otel-collector.previous.log'), 'utf8').trim().split('\n');
  const last = recorded[recorded.length - 1];
  const lastAt = last.slice(0, last.indexOf(' '));
  const lastText = last.slice(last.indexOf(' ') + 1);
  const tl = timeline('sidecar-crashloop');
  const r = await withServer('sidecar-crashloop', [], async (srv) => {
    const cli = startCli(['watch', '-o', 'json', '--kubeconfig', srv.kubeconfigPath, '--now', iso(tl[0].t)]);
    await until(() => watches(srv, 'pods') >= 1 && watches(srv, 'events') >= 1, 'the first watches');
    srv.finish();
    const finished = Date.now();
    // a failed instance's line waits for its log request (2 s at most), and the lines after it too
    await until(() => Date.now() - Math.max(finished, cli.lastOutputAt()) >= 2500, 'the output to settle');
    cli.child.kill('SIGINT');
    await cli.exited;
    return { lines: parseLines(cli.stdout()), logRequests: srv.requests.filter((q) => q.path.endsWith('/log')) };
  });
  const crashes = r.lines.filter((l) => l.type === 'Terminated' && l.container === 'otel-collector');
  expect(crashes.length).toBeGreaterThanOrEqual(2);
  // the instance that ended within the second of the recorded last line
  const withLine = crashes.filter((l) => l.lastLogLine !== undefined);
  expect(withLine.map((l) => [l.time.slice(0, 19), l.lastLogLine])).toEqual([[lastAt.slice(0, 19), lastText]]);
  expect(withLine[0].detail).toBe(`exit 1 Error; last log line: "${lastText}"`);
  for (const l of crashes.filter((x) => x.lastLogLine === undefined)) {
    expect(l.detail).toBe('exit 1 Error; last log line not read: the server sent no line of this instance');
  }
  // one bounded request per failed instance, none for the app's clean lines
  const failed = r.lines.filter((l) => l.type === 'Terminated' && !/^(previous instance: )?exit 0\b/.test(l.detail));
  expect(r.logRequests).toHaveLength(failed.length);
  for (const q of r.logRequests) expect(q.query).toMatchObject({ container: 'otel-collector', tailLines: '1', timestamps: 'true' });
  for (const q of r.logRequests) expect(Number(q.query.limitBytes)).toBeGreaterThan(0);
});
