// STATUS / READY / RESTARTS of every recorded pod, as `kubectl get pods` prints them. Each expected
// value was worked out from the recorded statuses with printPod's rules (src/model/status.ts):
// e.g. init-crashloop: mesh (sidecar, started+ready) counts 1 ready, db-check terminated exit 3
// reason Error → "Init:Error", restarts = init restarts up to db-check (0+3).
import { podColumns, summarizePod } from '../../src/model/status.js';
import { loadSnapshot, scenarios } from './evidence.js';

type Row = [status: string, ready: string, restarts: number];
const EXPECTED: Record<string, Record<string, Row>> = {
  'app-crashloop/crashlooping': { 'app-crash': ['Error', '1/2', 3] }, // api terminated Error between restarts
  'app-crashloop/last-seen': { 'app-crash': ['Error', '1/2', 3] },
  'cronjob/completed': { 'cleanup-29921704-99x6d': ['Completed', '0/2', 0] },
  'cronjob/last-seen': { 'cleanup-29921704-99x6d': ['Completed', '0/2', 0] }, // deleted, but phase is terminal
  'deployment-mesh/running': { 'web-5f9c997948-dxxbm': ['Running', '2/2', 0], 'web-5f9c997948-kdp9k': ['Running', '2/2', 0], 'web-5f9c997948-q22xp': ['Running', '2/2', 0] },
  'deployment-mesh/last-seen': { 'web-5f9c997948-dxxbm': ['Running', '2/2', 0], 'web-5f9c997948-kdp9k': ['Running', '2/2', 0], 'web-5f9c997948-q22xp': ['Running', '2/2', 0] },
  'image-pull-fail/pull-backoff': { 'pull-fail': ['Init:ErrImagePull', '0/2', 0] },
  'image-pull-fail/last-seen': { 'pull-fail': ['Init:ErrImagePull', '0/2', 0] },
  'init-crashloop/crashlooping': { 'init-crash': ['Init:Error', '1/2', 3] },
  'init-crashloop/last-seen': { 'init-crash': ['Init:Error', '1/2', 3] },
  'init-interleaved/running': { interleaved: ['Running', '4/4', 0] },
  'init-interleaved/last-seen': { interleaved: ['Running', '4/4', 0] },
  'istio-native/running': { reviews: ['Running', '2/2', 0] },
  'istio-native/terminating': { reviews: ['Terminating', '2/2', 0] },
  'istio-native/last-seen': { reviews: ['Completed', '0/2', 0] },
  // main Completed, istio-proxy (a plain container) still running and ready, pod not Ready
  'job-legacy-sidecar/stuck': { 'legacy-rd8jm': ['NotReady', '1/2', 0] },
  'job-legacy-sidecar/last-seen': { 'legacy-rd8jm': ['NotReady', '1/2', 0] },
  // api (sidecar) ended 137 → "Init:Error" at first, but Initialized=True lets the apps decide: Completed
  'job-native-sidecar/completed': { 'podbee-wl9wt': ['Completed', '0/2', 0] },
  'job-native-sidecar/last-seen': { 'podbee-wl9wt': ['Completed', '0/2', 0] },
  'job-retries/failed': { 'flaky-dhdq7': ['Error', '0/2', 0], 'flaky-jjnbc': ['Error', '0/2', 0], 'flaky-x2tkx': ['Error', '0/2', 0] },
  'job-retries/last-seen': { 'flaky-dhdq7': ['Error', '0/2', 0], 'flaky-jjnbc': ['Error', '0/2', 0], 'flaky-x2tkx': ['Error', '0/2', 0] },
  'ordering/running': { ordering: ['Running', '3/3', 0] },
  'ordering/terminating': { ordering: ['Terminating', '3/3', 0] },
  'ordering/last-seen': { ordering: ['Completed', '0/3', 0] },
  // the crash-looping sidecar sets "Init:CrashLoopBackOff"; Initialized=True, the running app sets no reason
  'sidecar-crashloop/crashlooping': { 'sidecar-crash': ['Init:CrashLoopBackOff', '1/2', 3] },
  'sidecar-crashloop/last-seen': { 'sidecar-crash': ['Init:CrashLoopBackOff', '1/2', 3] },
  'sidecar-liveness-fail/restarting': { liveness: ['Running', '2/2', 2] },
  'sidecar-liveness-fail/last-seen': { liveness: ['Running', '2/2', 2] },
  'sidecar-readiness-fail/not-ready': { readiness: ['Running', '1/2', 0] },
  'sidecar-readiness-fail/last-seen': { readiness: ['Running', '1/2', 0] },
  // vault-agent running but not started: index 0 of 2 init containers
  'sidecar-startup-slow/waiting-for-sidecar': { 'slow-start': ['Init:0/2', '0/2', 0] },
  'sidecar-startup-slow/ready': { 'slow-start': ['Running', '2/2', 0] },
  'sidecar-startup-slow/last-seen': { 'slow-start': ['Running', '2/2', 0] },
  'statefulset/running': { 'db-0': ['Running', '2/2', 0], 'db-1': ['Running', '2/2', 0] },
  'statefulset/last-seen': { 'db-0': ['Running', '2/2', 0], 'db-1': ['Running', '2/2', 0] },
  'unschedulable-requests/pending': { 'too-big': ['Pending', '0/2', 0] },
  'unschedulable-requests/last-seen': { 'too-big': ['Pending', '0/2', 0] },
  // v1.35 recordings, each checked by hand against printPod's rules:
  // hooked: the sidecar's current instance ended 0 (skipped), the app waits PodInitializing → that reason
  'poststart-fails/hook-failing': { hooked: ['PodInitializing', '0/2', 2] },
  'poststart-fails/last-seen': { hooked: ['PodInitializing', '0/2', 2] },
  'resize-infeasible/infeasible': { resizable: ['Running', '2/2', 0] },
  'resize-infeasible/last-seen': { resizable: ['Running', '2/2', 0] },
  'resize-infeasible/running': { resizable: ['Running', '2/2', 0] },
  'restart-rules/finished': { retry42: ['Completed', '0/2', 2] },
  'restart-rules/last-seen': { retry42: ['Completed', '0/2', 2] },
  'restart-rules/retrying': { retry42: ['Running', '2/2', 1] },
  // the sidecar ended 1 (not started) → Init:Error, then Init:CrashLoopBackOff; the running app sets no reason
  'restarts-20/backoff-10': { restarts: ['Init:CrashLoopBackOff', '1/2', 10] },
  'restarts-20/backoff-20': { restarts: ['Init:CrashLoopBackOff', '1/2', 20] },
  'restarts-20/last-seen': { restarts: ['Init:CrashLoopBackOff', '1/2', 20] },
  'restarts-20/restarts-20': { restarts: ['Init:Error', '1/2', 20] },
  'restarts-20/restarts-3': { restarts: ['Running', '2/2', 3] },
  'rollout/after': { 'web-5bb656864b-fpcq4': ['Running', '2/2', 0], 'web-5bb656864b-t5wlj': ['Running', '2/2', 0] },
  'rollout/before': { 'web-bbd8d8b84-b5lt9': ['Running', '2/2', 0], 'web-bbd8d8b84-gn5f5': ['Running', '2/2', 0] },
  'rollout/last-seen': { 'web-5bb656864b-fpcq4': ['Running', '2/2', 0], 'web-5bb656864b-t5wlj': ['Running', '2/2', 0], 'web-bbd8d8b84-b5lt9': ['Completed', '0/2', 0], 'web-bbd8d8b84-gn5f5': ['Completed', '0/2', 0] },
  'rollout/mid-rollout': { 'web-5bb656864b-t5wlj': ['Running', '1/2', 0], 'web-bbd8d8b84-b5lt9': ['Running', '2/2', 0], 'web-bbd8d8b84-gn5f5': ['Running', '2/2', 0] },
  'rollout/mid-rollout-later': { 'web-5bb656864b-fpcq4': ['Running', '2/2', 0], 'web-5bb656864b-t5wlj': ['Running', '2/2', 0], 'web-bbd8d8b84-b5lt9': ['Terminating', '2/2', 0], 'web-bbd8d8b84-gn5f5': ['Terminating', '2/2', 0] },
  'rollout/rolled-out': { 'web-5bb656864b-fpcq4': ['Running', '2/2', 0], 'web-5bb656864b-t5wlj': ['Running', '2/2', 0], 'web-bbd8d8b84-gn5f5': ['Terminating', '2/2', 0] },
  // mesh waits PodInitializing (no reason of its own): Init:0/1
  'sandbox-fails/last-seen': { isolated: ['Init:0/1', '0/2', 0] },
  'sandbox-fails/no-sandbox': { isolated: ['Init:0/1', '0/2', 0] },
};

describe('kubectl STATUS/READY/RESTARTS (printPod port)', () => {
  const all = scenarios();
  it('covers every recorded snapshot', () => {
    expect(all.map((s) => `${s.scenario}/${s.snapshot}`).sort()).toEqual(Object.keys(EXPECTED).sort());
  });
  for (const { scenario, snapshot } of all) {
    it(`${scenario}/${snapshot}`, () => {
      const expected = EXPECTED[`${scenario}/${snapshot}`];
      const evs = loadSnapshot(scenario, snapshot);
      expect(evs.map((e) => e.pod.metadata?.name).sort()).toEqual(Object.keys(expected).sort());
      for (const ev of evs) {
        const c = podColumns(ev.pod);
        expect([c.status, c.ready, c.restarts]).toEqual(expected[ev.pod.metadata!.name!]);
      }
    });
  }

  it('RESTARTS carries the most recent lastState finish (the "(Xm ago)" of kubectl)', () => {
    // init-crashloop during init: db-check's previous run ended at 22:57:03
    expect(podColumns(loadSnapshot('init-crashloop', 'crashlooping')[0].pod).lastRestartAt).toBe('2026-11-21T22:57:03Z');
    // after init: only sidecars and apps count — liveness's proxy previous instance
    expect(podColumns(loadSnapshot('sidecar-liveness-fail', 'restarting')[0].pod).lastRestartAt).toBe('2026-11-21T22:57:27Z');
    expect(podColumns(loadSnapshot('ordering', 'running')[0].pod).lastRestartAt).toBeNull();
  });

  it('summarizes the pod: owner, conditions, grace, QoS', () => {
    const s = summarizePod(loadSnapshot('job-native-sidecar', 'completed')[0].pod);
    expect(s).toMatchObject({ namespace: 'rec-job-native-sidecar', name: 'podbee-wl9wt', node: 'lab-node', phase: 'Succeeded', status: 'Completed', ready: '0/2', restartPolicy: 'Never', deletionTimestamp: null, terminationGracePeriodSeconds: 30 });
    expect(s.owner).toEqual({ kind: 'Job', name: 'podbee' });
    expect(s.conditions.find((c) => c.type === 'Initialized')).toEqual({ type: 'Initialized', status: 'True', reason: 'PodCompleted', message: null, lastTransitionTime: '2026-11-21T22:56:20Z' });
    const u = summarizePod(loadSnapshot('unschedulable-requests', 'pending')[0].pod);
    expect(u.node).toBeNull();
    expect(u.owner).toBeNull();
    expect(u.conditions[0]).toMatchObject({ type: 'PodScheduled', status: 'False', reason: 'Unschedulable' });
    const t = summarizePod(loadSnapshot('istio-native', 'terminating')[0].pod);
    expect(t.deletionTimestamp).toBe('2026-11-21T23:03:25Z');
    expect(t.terminationGracePeriodSeconds).toBe(20);
  });

  it('reads SchedulingGated and Init:ExitCode from statuses edited from a recording', () => {
    // unschedulable-requests, PodScheduled condition reason changed Unschedulable → SchedulingGated
    const gated = structuredClone(loadSnapshot('unschedulable-requests', 'pending')[0].pod);
    gated.status!.conditions![0].reason = 'SchedulingGated';
    expect(podColumns(gated).status).toBe('SchedulingGated');
    // init-crashloop, db-check's terminated reason removed: kubectl falls back to the exit code
    const noReason = structuredClone(loadSnapshot('init-crashloop', 'crashlooping')[0].pod);
    delete noReason.status!.initContainerStatuses![1].state!.terminated!.reason;
    expect(podColumns(noReason).status).toBe('Init:ExitCode:3');
    // ordering/terminating with pod status.reason NodeLost: kubectl prints Unknown
    const lost = structuredClone(loadSnapshot('ordering', 'terminating')[0].pod);
    lost.status!.reason = 'NodeLost';
    expect(podColumns(lost).status).toBe('Unknown');
  });
});
