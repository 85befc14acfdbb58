// Timelines rebuilt from recordings: order of marks, sources, log-refined times, event repeats. The
// facts each entry rests on are asserted here (values from the recordings); their wording is checked
// once, in the e2e output (test/cli, test/watch goldens).
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import { buildContainers } from '../../src/model/containers.js';
import { buildTimeline } from '../../src/model/timeline.js';
import { preciseKey } from '../../src/model/time.js';
import type { PodEvidence, TimelineFact as TimelineEntry } from '../../src/model/types.js';
import { loadPod } from './evidence.js';

function timelineOf(ev: PodEvidence): TimelineEntry[] {
  const cls = classifyContainers(ev.pod);
  return buildTimeline(ev.pod, cls, buildContainers(ev.pod, cls, ev.logs), normalizeEvents(ev.events), ev.logs);
}
const find = (tl: TimelineEntry[], container: string | null, type: string) => tl.filter((e) => e.container === container && e.type === type);

describe('timeline', () => {
  it('ordering: starts in declared order, refined to the nanosecond by the logs', () => {
    const tl = timelineOf(loadPod('ordering', 'running'));
    const started = tl.filter((e) => e.type === 'Started').map((e) => e.container);
    expect(started).toEqual(['init-config', 'first-sidecar', 'second-sidecar', 'app']);
    // status says 22:56:17Z; the first log line of the instance is in the same second
    expect(find(tl, 'init-config', 'Started')[0]).toEqual({ time: '2026-11-21T22:56:17.723732621Z', container: 'init-config', type: 'Started', source: 'log', facts: { kind: 'start', instance: 'current', restart: 0 } });
    expect(find(tl, 'init-config', 'Terminated')[0]).toMatchObject({ time: '2026-11-21T22:56:18.726923793Z', source: 'log', exitCode: 0,
      facts: { kind: 'exit', instance: 'current', exitCode: 0, reason: 'Completed', signal: null } });
    // init-config ended before the first sidecar started, which started before the second, before the app
    const t = (c: string, type: string) => preciseKey(find(tl, c, type)[0].time);
    expect(t('init-config', 'Terminated')).toBeLessThan(t('first-sidecar', 'Started'));
    expect(t('first-sidecar', 'StartupSucceeded')).toBeLessThan(t('second-sidecar', 'Started'));
    expect(t('second-sidecar', 'StartupSucceeded')).toBeLessThan(t('app', 'Started'));
    // Scheduled first (the scheduler's µs eventTime), then pod-level PodInitialized before the app starts
    expect(tl[0]).toMatchObject({ type: 'Scheduled', container: null, source: 'event', time: '2026-11-21T22:56:16.907859Z' });
    const i = tl.findIndex((e) => e.type === 'PodInitialized');
    expect(i).toBeLessThan(tl.findIndex((e) => e.container === 'app' && e.type === 'Started'));
    expect(tl.find((e) => e.type === 'PodReady')).toMatchObject({ time: '2026-11-21T22:56:22Z', source: 'condition' });
    // sorted by time (whole seconds first, then precise keys inside a second)
    for (let k = 1; k < tl.length; k++) expect(Math.floor(preciseKey(tl[k - 1].time) / 1000)).toBeLessThanOrEqual(Math.floor(preciseKey(tl[k].time) / 1000));
  });

  it('ordering after deletion: app, then second-sidecar, then first-sidecar terminate; deletion from the Killing events', () => {
    // last-seen holds the final statuses; the terminating snapshot holds the logs of the same instances
    const tl = timelineOf(loadPod('ordering', 'last-seen', undefined, { logsFrom: 'terminating' }));
    expect(tl.filter((e) => e.type === 'Terminated' && e.container !== 'init-config').map((e) => e.container)).toEqual(['app', 'second-sidecar', 'first-sidecar']);
    expect(find(tl, 'app', 'Terminated')[0]).toMatchObject({ time: '2026-11-21T22:56:26.381528494Z', source: 'log' });
    // the final update has deletionGracePeriodSeconds 0 at 22:56:35; the Killing of the app says 22:56:25
    expect(find(tl, null, 'DeletionRequested')[0]).toMatchObject({ time: '2026-11-21T22:56:25Z', source: 'event' });
    expect(find(tl, null, 'PodCompleted')[0]).toMatchObject({ time: '2026-11-21T22:56:34Z', source: 'status', facts: { kind: 'phase', phase: 'Succeeded' } });
    expect(find(tl, null, 'DeletionRequested')[0].facts).toEqual({ kind: 'deletion', gracePeriodSeconds: 30 });
    // Killing events all carry the shutdown start second, whatever the real SIGTERM order
    expect(find(tl, null, 'DeletionRequested').length + tl.filter((e) => e.type === 'Killing' && e.time === '2026-11-21T22:56:25Z').length).toBe(4);
  });

  it('sidecar-startup-slow: startup succeeds when migrate may start, after 6 startup probe failures', () => {
    const tl = timelineOf(loadPod('sidecar-startup-slow', 'ready'));
    expect(find(tl, 'vault-agent', 'ProbeFailed')[0]).toEqual({
      time: '2026-11-21T22:56:19Z', container: 'vault-agent', type: 'ProbeFailed', source: 'event',
      facts: { kind: 'event', reason: 'Unhealthy', message: 'Startup probe failed: ', count: 6, firstTime: '2026-11-21T22:56:19Z', lastTime: '2026-11-21T22:56:29Z' },
    });
    const ok = find(tl, 'vault-agent', 'StartupSucceeded')[0];
    const migrate = find(tl, 'migrate', 'Started')[0];
    expect(ok.time).toBe(migrate.time);
    // the status records no time for it: migrate's start stands in, an estimate that says so
    expect(ok.facts).toEqual({ kind: 'startup', basis: 'nextStarted', gate: 'startupProbe', next: 'migrate', lastFailure: '2026-11-21T22:56:29Z' });
    expect(ok.estimate).toEqual({ from: 'nextStart', container: 'migrate', source: migrate.source });
    // the sidecar's readiness counts only once started
    expect(preciseKey(find(tl, 'vault-agent', 'Ready')[0].time)).toBeGreaterThanOrEqual(preciseKey(ok.time));
  });

  it('sidecar-startup-slow while waiting: no StartupSucceeded yet, nothing after the sidecar started', () => {
    const tl = timelineOf(loadPod('sidecar-startup-slow', 'waiting-for-sidecar'));
    expect(find(tl, 'vault-agent', 'StartupSucceeded')).toEqual([]);
    expect(find(tl, 'migrate', 'Started')).toEqual([]);
    expect(find(tl, null, 'NotReady')[0].facts).toMatchObject({ kind: 'condition', condition: 'Ready', status: 'False', reason: 'ContainersNotReady' });
  });

  it('sidecar-liveness-fail: deduplicated events keep first time and count; instances from the status', () => {
    const tl = timelineOf(loadPod('sidecar-liveness-fail', 'restarting'));
    expect(find(tl, 'proxy', 'Killing')[0]).toMatchObject({ time: '2026-11-21T22:56:23Z',
      facts: { kind: 'event', reason: 'Killing', message: 'Init container proxy failed liveness probe', count: 2, lastTime: '2026-11-21T22:56:57Z' } });
    expect(find(tl, 'proxy', 'ProbeFailed')[0].facts).toMatchObject({ message: 'Liveness probe failed: ', count: 5, lastTime: '2026-11-21T22:57:31Z' });
    const starts = find(tl, 'proxy', 'Started');
    // the first start only survives in the Started event (count 3); the other two from the status
    expect(starts.map((e) => [e.source, e.time])).toEqual([
      ['event', '2026-11-21T22:56:18Z'], ['log', '2026-11-21T22:56:53.967158263Z'], ['log', '2026-11-21T22:57:28.004693356Z'],
    ]);
    expect(find(tl, 'proxy', 'Terminated')[0]).toMatchObject({ time: '2026-11-21T22:57:27Z', source: 'status',
      facts: { kind: 'exit', instance: 'previous', exitCode: 137, reason: 'Error', signal: null } });
  });

  it('sidecar-readiness-fail: the sidecar is NotReady with the probe output and count', () => {
    const tl = timelineOf(loadPod('sidecar-readiness-fail', 'not-ready'));
    expect(find(tl, 'proxy', 'NotReady')[0]).toMatchObject({ source: 'event', facts: { kind: 'notReady', message: 'Readiness probe failed: upstream not configured\n', failures: 18 } });
    expect(find(tl, 'app', 'Ready').length).toBe(1);
    expect(find(tl, null, 'PodReady')).toEqual([]);
    expect(tl[0].type).toBe('Scheduled');
  });

  it('sidecar-crashloop and image-pull-fail: BackOff entries say what backs off', () => {
    expect(find(timelineOf(loadPod('sidecar-crashloop', 'crashlooping')), 'otel-collector', 'BackOff')[0])
      .toMatchObject({ time: '2026-11-21T22:56:58Z', facts: { kind: 'event', reason: 'BackOff', restartBackOff: true, count: 5, lastTime: '2026-11-21T22:57:58Z' } });
    const pull = timelineOf(loadPod('image-pull-fail', 'pull-backoff'));
    expect(find(pull, 'log-shipper', 'BackOff')[0].facts).toMatchObject({ restartBackOff: false, message: 'Back-off pulling image "registry.example.invalid/fluent-bit:9.9.9"', count: 2 });
    expect(find(pull, 'log-shipper', 'Pulling')[0].facts).toMatchObject({ message: 'Pulling image "registry.example.invalid/fluent-bit:9.9.9"', count: 2 });
    expect(find(pull, 'log-shipper', 'Started')).toEqual([]);
  });

  it('unschedulable-requests: no Scheduled mark at all', () => {
    const tl = timelineOf(loadPod('unschedulable-requests', 'pending'));
    expect(find(tl, null, 'Scheduled')).toEqual([]);
    expect(tl.filter((e) => e.container !== null)).toEqual([]);
  });

  it('job-native-sidecar: PodCompleted once the client exited; the sidecar ends 30 s later', () => {
    const tl = timelineOf(loadPod('job-native-sidecar', 'completed'));
    expect(find(tl, 'client', 'Terminated')[0]).toMatchObject({ time: '2026-11-21T22:56:22.410429899Z', source: 'log', facts: { kind: 'exit', exitCode: 0, reason: 'Completed' } });
    expect(find(tl, 'api', 'Terminated')[0]).toMatchObject({ time: '2026-11-21T22:56:53Z', source: 'status', facts: { kind: 'exit', exitCode: 137, reason: 'Error' } });
    // Ready turned False (PodCompleted) when the client finished; the phase became Succeeded only
    // once the sidecar was killed 30 s later: the status gives no time for it, the last exit stands in
    expect(find(tl, null, 'NotReady')[0]).toMatchObject({ time: '2026-11-21T22:56:23Z', source: 'condition', facts: { condition: 'Ready', status: 'False', reason: 'PodCompleted' } });
    expect(find(tl, null, 'PodCompleted')[0]).toMatchObject({ time: '2026-11-21T22:56:53Z', source: 'status', facts: { kind: 'phase', phase: 'Succeeded' } });
  });
});
