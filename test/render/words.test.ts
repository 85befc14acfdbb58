// The one place the sentences render/words/ builds from the model's facts are pinned (the model tests
// assert the facts): real model output of recordings, some edited as said, worded as every renderer
// words it. The text goldens and watch transcripts check the same words in context.
import { describePod } from '../../src/model/describe.js';
import type { PodEvidence, PodLifecycle } from '../../src/model/types.js';
import { wordPod } from '../../src/render/words/index.js';
import { contextOf, loadPod } from '../model/evidence.js';

function worded(ev: PodEvidence, scenario: string, snapshot: string): PodLifecycle {
  return wordPod(describePod(ev, contextOf(scenario, snapshot)));
}
const entry = (lc: PodLifecycle, container: string | null, type: string) => lc.timeline.find((e) => e.container === container && e.type === type)!;

describe('timeline details', () => {
  test('sidecar-startup-slow: probe failures with their repeats; a startup time taken from the next container, said so', () => {
    const lc = worded(loadPod('sidecar-startup-slow', 'ready'), 'sidecar-startup-slow', 'ready');
    expect(entry(lc, 'vault-agent', 'ProbeFailed').detail).toBe('startup probe failed (×6, last at 2026-11-21T22:56:29Z)');
    const ok = entry(lc, 'vault-agent', 'StartupSucceeded');
    expect(ok.detail).toBe('startup probe passed by the time migrate started (the status records no time for it); last startup probe failure at 2026-11-21T22:56:29Z');
    expect(ok.estimate).toEqual({ basis: "migrate's first log line" });
    expect(ok.estimateFacts).toEqual({ from: 'nextStart', container: 'migrate', source: 'log' });
  });

  test('sidecar-liveness-fail: kills, exits of the previous instance, the first start from the Started event', () => {
    const lc = worded(loadPod('sidecar-liveness-fail', 'restarting'), 'sidecar-liveness-fail', 'restarting');
    expect(entry(lc, 'proxy', 'Killing').detail).toBe('Init container proxy failed liveness probe (×2, last at 2026-11-21T22:56:57Z)');
    expect(entry(lc, 'proxy', 'Terminated').detail).toBe('previous instance: exit 137 Error');
    expect(entry(lc, 'proxy', 'Started').detail).toBe('first start (×3, last at 2026-11-21T22:57:28Z)');
  });

  test('restart-rules: a status instance says how often its Started event repeated', () => {
    const lc = worded(loadPod('restart-rules', 'retrying'), 'restart-rules', 'retrying');
    expect(entry(lc, 'app', 'Started').detail).toBe('previous instance; Started event (×2, last at 2026-11-30T02:15:20Z)');
  });

  test('job-native-sidecar: conditions and the estimated phase change', () => {
    const lc = worded(loadPod('job-native-sidecar', 'completed'), 'job-native-sidecar', 'completed');
    expect(entry(lc, null, 'NotReady').detail).toBe('Ready=False PodCompleted: the app containers finished');
    expect(entry(lc, null, 'PodCompleted').detail).toBe('phase Succeeded (estimated: reported once the last container stopped, at its exit)');
    expect(entry(lc, 'api', 'Terminated').detail).toBe('exit 137 Error');
  });

  test('sidecar-readiness-fail: a not-ready sidecar quotes its probe output with the failures counted', () => {
    const lc = worded(loadPod('sidecar-readiness-fail', 'not-ready'), 'sidecar-readiness-fail', 'not-ready');
    expect(entry(lc, 'proxy', 'NotReady').detail).toBe('readiness probe failed: upstream not configured (×18)');
  });
});

describe('restart evidence', () => {
  test('sidecar-liveness-fail: the kill event with its occurrences, the exit after it', () => {
    const lc = worded(loadPod('sidecar-liveness-fail', 'restarting'), 'sidecar-liveness-fail', 'restarting');
    expect(lc.restarts[0].evidence).toEqual([
      'Killing "Init container proxy failed liveness probe" ×2 between 2026-11-21T22:56:23Z and 2026-11-21T22:56:57Z',
      'last termination: exit 137 Error at 2026-11-21T22:57:27Z, after the kill',
    ]);
  });
});

describe('termination', () => {
  test('ordering while terminating: who still runs is noted', () => {
    const lc = worded(loadPod('ordering', 'terminating'), 'ordering', 'terminating');
    expect(lc.termination!.notes).toEqual(['still running at the snapshot, not in the order yet: first-sidecar, second-sidecar, app']);
  });

  test('a sidecar exiting 1 on its own during shutdown (ordering/last-seen, second-sidecar edited to exit 1 at 22:56:25)', () => {
    const ev = loadPod('ordering', 'last-seen');
    const pod = structuredClone(ev.pod);
    const st = pod.status!.initContainerStatuses!.find((c) => c.name === 'second-sidecar')!;
    st.state = { terminated: { ...st.state!.terminated!, exitCode: 1, reason: 'Error', finishedAt: '2026-11-21T22:56:25Z' } };
    const t = worded({ ...ev, pod }, 'ordering', 'last-seen').termination!;
    expect(t.violations[0].message).toBe('second-sidecar (sidecar) exited with code 1 on its own at 2026-11-21T22:56:25Z, before app (app) ended at 2026-11-21T22:56:26Z: a sidecar failure during shutdown, not the kubelet breaking the order (sidecars are not restarted while a pod terminates)');
  });

  test('a one-second tie no log splits (ordering/last-seen, second-sidecar moved to first-sidecar\'s second)', () => {
    const ev = loadPod('ordering', 'last-seen');
    const pod = structuredClone(ev.pod);
    pod.status!.initContainerStatuses![2].state!.terminated!.finishedAt = '2026-11-21T22:56:34Z';
    const t = worded({ ...ev, pod }, 'ordering', 'last-seen').termination!;
    expect(t.notes).toEqual(['second-sidecar and first-sidecar tied in 2026-11-21T22:56:34Z (no log line splits them)']);
  });
});

describe('notes and legacy sidecars', () => {
  test('what the model could not read, per container and for the pod', () => {
    const ev = loadPod('ordering', 'running');
    const pod = structuredClone(ev.pod) as any;
    pod.status.containerStatuses[0].state = 'running'; // edited: not an object
    pod.status.containerStatuses[0].restartCount = -1; // edited: not a count
    pod.metadata.creationTimestamp = 'yesterday'; // edited: not a time
    const lc = worded({ ...ev, pod }, 'ordering', 'running');
    expect(lc.containers.find((c) => c.name === 'app')!.notes).toEqual(['state is not an object', 'restartCount is not a count (-1)']);
    expect(lc.notes).toEqual(['metadata.creationTimestamp is not a time ("yesterday"): shown as unknown']);
    expect(lc.noteFacts).toEqual([{ field: 'metadata.creationTimestamp', problem: 'notTime', value: '"yesterday"' }]);
  });

  test('job-legacy-sidecar: why istio-proxy looks like a sidecar', () => {
    const lc = worded(loadPod('job-legacy-sidecar', 'stuck'), 'job-legacy-sidecar', 'stuck');
    expect(lc.containers.find((c) => c.name === 'istio-proxy')!.legacySidecar).toEqual({
      reason: 'well-known sidecar name istio-proxy (Istio)', product: 'Istio', by: 'name', match: 'istio-proxy',
    });
  });
});
