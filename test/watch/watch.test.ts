// `kubectl sidecars watch` end to end: the real executable, through the replay API server's
// kubeconfig, on every recording. The printed lines must be those the uninterrupted recorded
// stream yields, also when the server closes streams, answers 410/429/500/503, cuts a stream
// mid-line, stalls or sends bookmarks: nothing lost, nothing printed twice.
import { readFileSync } from 'node:fs';
import type { Fault } from '../apiserver/server.js';
import type { TimelineLine } from '../apiserver/recordings.js';
import type { WatchLine } from '../../src/render/words/watch.js';
import { differences, golden } from './golden.js';
import { bytesOf, iso, parseLines, SCENARIOS, sleep, startCli, timeline, until, watches, withServer } from './replay.js';

const PODS = /\/pods$/;
const EVENTS = /\/events$/;
const fault = (path: RegExp, f: Record<string, unknown>): Fault => ({ match: { path, watch: true }, ...f }) as Fault;

/** The run's lines against the golden transcript (test/watch/golden.ts says what is ordered, what a set). */
function same(got: WatchLine[], want: WatchLine[]): void {
  expect(differences(got, want)).toEqual({});
}

/** No line twice (blockers may flap, see differences()). */
function noDuplicates(stdout: string): void {
  const lines = stdout.split('\n').filter((l) => l && !l.includes('"type":"Blocker"'));
  const dups = lines.filter((l, i) => lines.indexOf(l) !== i);
  expect(dups).toEqual([]);
}

/** Runs watch -o json over a scenario; `drive` moves the clock; returns the lines and stderr. */
async function runReplay(scenario: string, faults: Fault[], drive: (srv: Parameters<Parameters<typeof withServer>[2]>[0]) => Promise<void>, extra: string[] = []) {
  const tl = timeline(scenario);
  return withServer(scenario, faults, async (srv) => {
    const cli = startCli(['watch', '-o', 'json', '--kubeconfig', srv.kubeconfigPath, '--now', iso(tl[0].t), ...extra]);
    await until(() => watches(srv, 'pods') >= 1 && watches(srv, 'events') >= 1, 'the first watches');
    await drive(srv);
    const finishedAt = Date.now();
    await until(() => Date.now() - Math.max(finishedAt, cli.lastOutputAt()) >= 200, 'the output to settle');
    cli.child.kill('SIGINT');
    const r = await cli.exited;
    return { code: r.code, stdout: cli.stdout(), stderr: cli.stderr(), lines: parseLines(cli.stdout()) };
  });
}

/**
 * A point in the recording where the pods watch has delivered `want` lines, and how many the events
 * watch has by then. A watch from the initial list's resourceVersion gets the lines with a higher
 * one: the two streams were received on two connections, so a few early lines arrived after lines
 * with a higher resourceVersion (ordering: the pod's ADDED, rv 699, after an event with rv 701).
 */
function cut(tl: TimelineLine[], want: number): { at: string; pods: TimelineLine[]; events: number } | null {
  const start = tl[0].t;
  const listRv = Math.max(...tl.filter((l) => l.t <= start).map((l) => l.rv));
  // the events watch selects involvedObject.kind=Pod: Job, CronJob and ReplicaSet events are not sent
  const due = (l: TimelineLine) => l.t > start && l.rv > listRv && (l.stream === 'pods' || l.item.obj?.involvedObject?.kind === 'Pod');
  const pods = tl.filter((l) => l.stream === 'pods' && due(l));
  if (pods.length < want) return null;
  const t = Math.ceil(pods[want - 1].t);
  return { at: iso(t), pods: pods.filter((l) => l.t <= t), events: tl.filter((l) => l.stream === 'events' && due(l) && l.t <= t).length };
}

describe('watch over every recording', () => {
  const uninterrupted = async (scenario: string) => {
    const r = await runReplay(scenario, [], async (srv) => srv.finish());
    expect(r.code).toBe(130);
    noDuplicates(r.stdout);
    expect(r.stderr).not.toMatch(/error|\u001b|[⠋⠙⠹⠸]/); // no spinner on a pipe
    return r;
  };

  /** Streams closed, then 410 Gone and a re-list, on pods and events. */
  const gone = async (scenario: string) => {
    const tl = timeline(scenario);
    const c = cut(tl, Math.max(1, Math.floor(tl.filter((l) => l.stream === 'pods').length / 2)));
    expect(c).not.toBeNull();
    const faults: Fault[] = [fault(PODS, { kind: 'closeAfter', events: c!.pods.length }), fault(PODS, { kind: 'status', code: 410 })];
    if (c!.events > 0) faults.push(fault(EVENTS, { kind: 'closeAfter', events: c!.events }), fault(EVENTS, { kind: 'status', code: 410 }));
    const r = await runReplay(scenario, faults, async (srv) => {
      srv.advanceTo(c!.at);
      // closed after the lines due by now → re-watch → 410 → re-list → watch again
      await until(() => watches(srv, 'pods') >= 3 && (c!.events === 0 || watches(srv, 'events') >= 3), 're-list and re-watch');
      const relists = srv.requests.filter((q) => q.query.watch === undefined && /\/(pods|events)$/.test(q.path));
      expect(relists.length).toBe(c!.events > 0 ? 4 : 3);
      srv.finish();
    });
    noDuplicates(r.stdout);
    return r;
  };

  /** A stream cut mid-line, 500, 503, a stall and a bookmark. */
  const broken = async (scenario: string) => {
    const tl = timeline(scenario);
    const podLines = tl.filter((l) => l.stream === 'pods' && l.t > tl[0].t);
    const c = cut(tl, Math.max(1, Math.min(podLines.length - 1, Math.max(2, Math.floor(podLines.length / 2)))));
    expect(c).not.toBeNull();
    // cut the pods stream in the middle of the last line due (a one-line stream: closed after it)
    const before = c!.pods.slice(0, -1);
    const half = Math.floor(Buffer.byteLength(c!.pods[c!.pods.length - 1].line) / 2);
    const faults: Fault[] = [
      before.length ? fault(PODS, { kind: 'truncate', bytes: bytesOf(before) + half }) : fault(PODS, { kind: 'closeAfter', events: 1 }),
      fault(PODS, { kind: 'status', code: 500 }),
      fault(PODS, { kind: 'status', code: 503 }),
      fault(PODS, { kind: 'bookmark' }),
    ];
    if (c!.events > 0) faults.push(fault(EVENTS, { kind: 'closeAfter', events: c!.events }), fault(EVENTS, { kind: 'status', code: 500 }), fault(EVENTS, { kind: 'stall', ms: 150 }));
    const r = await runReplay(scenario, faults, async (srv) => {
      srv.advanceTo(c!.at);
      await until(() => watches(srv, 'pods') >= 4 && (c!.events === 0 || watches(srv, 'events') >= 3), 'the reconnects');
      await sleep(200); // the stalled events watch is answered
      srv.finish();
    }, ['--reconnect-notice', '20ms', '--reconnect-backoff', '20ms']);
    noDuplicates(r.stdout);
    expect(r.stderr).toMatch(/note: watch reconnecting \((pods|events): /);
    expect(r.stderr).toContain('note: watch resumed');
    return r;
  };

  // The three runs of a recording are independent servers and processes: run side by side, then
  // each is held against the golden transcript (UPDATE_GOLDEN=1 writes it from the uninterrupted run).
  test.each(SCENARIOS)('%s: uninterrupted; closed + 410 + re-list; cut mid-line + 500 + 503 + stall + bookmark', async (scenario) => {
    const [u, g, b] = await Promise.all([uninterrupted(scenario), gone(scenario), broken(scenario)]);
    const want = golden(scenario, u.stdout);
    expect(want.length).toBeGreaterThan(0);
    same(u.lines, want);
    same(g.lines, want);
    same(b.lines, want);
  });
});

describe('--until and --timeout', () => {
  const run = (scenario: string, args: string[]) =>
    withServer(scenario, [], async (srv) => {
      const tl = timeline(scenario);
      srv.advanceTo(iso(Math.ceil(tl.find((l) => l.stream === 'pods')!.t))); // a named pod must exist
      const cli = startCli(['watch', ...args, '--kubeconfig', srv.kubeconfigPath, '--now', iso(tl[0].t)]);
      await until(() => watches(srv, 'pods') >= 1 || cli.child.exitCode !== null, 'the watch');
      srv.finish();
      const r = await cli.exited;
      return { ...r, stdout: cli.stdout(), stderr: cli.stderr() };
    });

  test('job-native-sidecar: --until complete exits 0 once the Job pod completed; the sidecar was SIGKILLed', async () => {
    const r = await run('job-native-sidecar', ['job/podbee', '--until', 'complete', '-o', 'json']);
    expect(r.code).toBe(0);
    const lines = parseLines(r.stdout);
    // the SIGKILLed sidecar's line quotes its last log line (the recording's, read with one log request)
    const apiLog = readFileSync(new URL('../fixtures/recordings/job-native-sidecar/snapshots/completed/logs/podbee-wl9wt.api.log', import.meta.url), 'utf8').trim().split('\n').pop()!;
    expect(lines.find((l) => l.type === 'Terminated' && l.container === 'api')?.detail).toBe(`exit 137 Error; last log line: "${apiLog.slice(apiLog.indexOf(' ') + 1)}"`);
    // -o json carries only the contract's line types; the text stream ends with the summary
    expect(lines.filter((l) => !/^(Blocker|[A-Z][A-Za-z]+)$/.test(l.type) || ['State', 'Termination', 'PodDeleted'].includes(l.type))).toEqual([]);
    const text = await run('job-native-sidecar', ['job/podbee', '--until', 'complete']);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Termination\s+completed: client → api .*SIGKILLed at the end of the grace period: api/);
  });

  test('job-retries: --until complete on job/flaky exits 2 with the Job\'s reason, not 0 after a failed attempt', async () => {
    // The replay server answers GET job/flaky with the recorded Job (Failed, BackoffLimitExceeded).
    const r = await run('job-retries', ['job/flaky', '--until', 'complete', '-o', 'json']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^job\/flaky failed: BackoffLimitExceeded \(Job has reached the specified backoff limit\)$/m);
    expect(parseLines(r.stdout).some((l) => l.type === 'Terminated' && l.container === 'task' && /exit 1/.test(l.detail))).toBe(true);
  });

  test('sidecar-readiness-fail: --until ready --timeout 2s exits 3 and prints the SidecarNotReady blocker', async () => {
    const t0 = Date.now();
    const r = await run('sidecar-readiness-fail', ['--until', 'ready', '--timeout', '2s', '-o', 'json']);
    expect(r.code).toBe(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    const blockers = parseLines(r.stdout).filter((l) => l.type === 'Blocker' && l.code === 'SidecarNotReady');
    // once when it appeared, once more when the wait gave up
    expect(blockers.length).toBeGreaterThanOrEqual(2);
    expect(blockers[0].container).toBe('proxy');
    expect(blockers[0].message).toMatch(/readiness probe \(exec \[sh \(arguments not shown\)\] delay=0s timeout=1s period=2s #success=1 #failure=3\) failing .*upstream not configured/);
    expect(r.stderr).toMatch(/^timed out after 2s waiting for pods to be ready: rec-sidecar-readiness-fail\/readiness \(Running; SidecarNotReady proxy\)/m);
  });

  test('job-legacy-sidecar: --until complete never happens: exit 3 with LegacySidecarBlocksCompletion', async () => {
    const r = await run('job-legacy-sidecar', ['--until', 'complete', '--timeout', '1s']);
    expect(r.code).toBe(3);
    expect(r.stdout).toMatch(/Blocker\s+LegacySidecarBlocksCompletion: /);
  });

  test('ordering: --until deleted exits 0 after the termination summary app → second-sidecar → first-sidecar', async () => {
    const r = await run('ordering', ['ordering', '--until', 'deleted']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[lines.length - 2]).toMatch(/^22:56:34Z\s+rec-ordering\/ordering\s+-\s+Termination\s+deleted: app → second-sidecar → first-sidecar \(apps first, sidecars in reverse order\)/);
    expect(lines[lines.length - 1]).toMatch(/PodDeleted\s+the pod object was removed$/);
    // the Started lines, in start order, aligned in columns
    const started = lines.filter((l) => / Started /.test(l)).map((l) => l.split(/\s+/)[2]);
    expect(started).toEqual(['init-config', 'first-sidecar', 'second-sidecar', 'app']);
  });

  test('ordering: --until ready is reached (0); a bad --until is a usage error (1)', async () => {
    expect((await run('ordering', ['--until', 'ready', '-o', 'json'])).code).toBe(0);
    const bad = await run('ordering', ['--until', 'gone']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('error: invalid --until "gone": use initialized, ready, complete, deleted (see kubectl sidecars --help)\n');
  });
});

describe('the process', () => {
  test('SIGTERM exits 143 quietly; a closed stdout pipe ends it quietly', async () => {
    await withServer('ordering', [], async (srv) => {
      const cli = startCli(['watch', '--kubeconfig', srv.kubeconfigPath]);
      await until(() => watches(srv, 'pods') >= 1, 'the watch');
      cli.child.kill('SIGTERM');
      const r = await cli.exited;
      expect(r.code).toBe(143);
      expect(cli.stderr()).not.toMatch(/error/);
    });
    await withServer('ordering', [], async (srv) => {
      const cli = startCli(['watch', '--kubeconfig', srv.kubeconfigPath]);
      await until(() => watches(srv, 'pods') >= 1 && watches(srv, 'events') >= 1, 'the watch');
      cli.child.stdout.destroy(); // `| head` went away
      srv.finish();
      const r = await cli.exited;
      expect(r.code).toBe(0);
      expect(cli.stderr()).not.toMatch(/error|EPIPE/);
    });
  });

  test('429 with Retry-After: the watch waits that long, then resumes without losing a line', async () => {
    const started: number[] = [];
    const r = await withServer('ordering', [fault(PODS, { kind: 'status', code: 429, retryAfterSeconds: 1 })], async (srv) => {
      const cli = startCli(['watch', '-o', 'json', '--kubeconfig', srv.kubeconfigPath, '--now', iso(timeline('ordering')[0].t)]);
      await until(() => watches(srv, 'pods') >= 1, 'the first watch');
      started.push(Date.now());
      await until(() => watches(srv, 'pods') >= 2, 'the second watch', 5000);
      started.push(Date.now());
      srv.finish();
      await until(() => Date.now() - Math.max(started[1], cli.lastOutputAt()) >= 200, 'the output to settle');
      cli.child.kill('SIGINT');
      await cli.exited;
      return parseLines(cli.stdout());
    });
    expect(started[1] - started[0]).toBeGreaterThanOrEqual(900);
    same(r, golden('ordering'));
  });

  test('-o json lines parse and carry the contract keys first', async () => {
    const r = await runReplay('sidecar-crashloop', [], async (srv) => srv.finish());
    for (const line of r.stdout.trim().split('\n')) {
      const o = JSON.parse(line) as WatchLine;
      expect(Object.keys(o).slice(0, 7)).toEqual(['time', 'namespace', 'pod', 'container', 'type', 'detail', 'source']);
    }
    expect(r.lines.filter((l) => l.type === 'Blocker' && l.code === 'SidecarCrashLooping').length).toBeGreaterThan(0);
  });
});
