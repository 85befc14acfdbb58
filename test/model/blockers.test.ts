// The blocker rules on recorded pods: the FACTS each finds (codes, containers, exit codes, counts,
// spans, the evidence's own strings), with values read off the recordings. Their sentences are
// checked once: the golden files (test/golden/cli) for recorded states, test/render/words-findings.test.ts
// for the edited ones.
import { detectBlockers } from '../../src/model/blockers.js';
import { secondsBetween } from '../../src/model/time.js';
import { analysisFrom } from './analysis-fixture.js';
import { EDITED } from './edited-recordings.js';
import type { WaitFinding } from '../../src/model/findings.js';

const analysis = (scenario: string, snap: string) => analysisFrom(scenario, snap, {});
const blockers = (scenario: string, snap: string, opts = {}) => detectBlockers(analysisFrom(scenario, snap, opts));

describe('recorded scenarios', () => {
  test('sidecar-readiness-fail: SidecarNotReady on proxy with the probe output, count and span', () => {
    const b = blockers('sidecar-readiness-fail', 'not-ready');
    // recorded: Unhealthy "Readiness probe failed: upstream not configured" ×18, 22:56:18 to 22:56:46
    expect(b).toEqual([{
      code: 'SidecarNotReady', container: 'proxy', since: '2026-11-21T22:56:17Z',
      facts: { kind: 'notReady', notReady: { by: 'readinessFailures', failures: {
        kind: 'Readiness', count: 18, first: '2026-11-21T22:56:18Z', last: '2026-11-21T22:56:46Z', output: 'upstream not configured',
      }, probe: { handler: 'exec', program: 'sh', args: true, periodSeconds: 2, failureThreshold: 3, initialDelaySeconds: 0, timeoutSeconds: 1, successThreshold: 1 } } },
    }]);
  });

  test('sidecar-startup-slow/waiting-for-sidecar: 6s into a 2s × 30 startup budget vault-agent is waited on, not a blocker', () => {
    const a = analysis('sidecar-startup-slow', 'waiting-for-sidecar');
    const waits: WaitFinding[] = [];
    expect(detectBlockers(a, waits)).toEqual([]);
    // recorded: an exec startup probe every 2s (failureThreshold 30, timeout default 1s), started
    // 22:56:18, failed twice (22:56:19, :21), no output: failing only after 18 + 2 × 30 + 1 = 22:57:19
    expect(waits).toEqual([{
      container: 'vault-agent', since: '2026-11-21T22:56:18Z', until: '2026-11-21T22:57:19Z',
      facts: {
        on: 'startupProbe',
        budget: { initialDelaySeconds: 0, periodSeconds: 2, failureThreshold: 30, timeoutSeconds: 1, from: '2026-11-21T22:56:18Z', firstCheckBy: '2026-11-21T22:56:20Z', deadline: '2026-11-21T22:57:19Z' },
        failures: { kind: 'Startup', count: 2, first: '2026-11-21T22:56:19Z', last: '2026-11-21T22:56:21Z', output: '' },
      },
    }]);
  });

  test('sidecar-startup-slow/waiting-for-sidecar past its startup budget: SidecarNotStarted, migrate and app wait', () => {
    const a = analysis('sidecar-startup-slow', 'waiting-for-sidecar');
    const [b, ...rest] = detectBlockers({ ...a, ctx: { ...a.ctx, now: '2026-11-21T22:57:20Z' } });
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ code: 'SidecarNotStarted', container: 'vault-agent', since: '2026-11-21T22:56:18Z' });
    expect(b.facts).toMatchObject({ kind: 'notStarted', runningSeconds: 62, holds: { waiting: ['migrate', 'app'], effect: 'none' },
      // recorded: an exec startup probe every 2s (failureThreshold 30), failed twice (22:56:19, :21), no output
      startup: { probe: { handler: 'exec', program: 'test', args: true, periodSeconds: 2, failureThreshold: 30, initialDelaySeconds: 0, timeoutSeconds: 1, successThreshold: 1 }, failures: { kind: 'Startup', count: 2, first: '2026-11-21T22:56:19Z', last: '2026-11-21T22:56:21Z', output: '' } },
    });
  });

  test('sidecar-startup-slow/ready: nothing blocks', () => {
    expect(blockers('sidecar-startup-slow', 'ready')).toEqual([]);
  });

  test('init-crashloop: InitContainerFailing on db-check with exit code, restarts, back-off and last log line', () => {
    const [b, ...rest] = blockers('init-crashloop', 'crashlooping');
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ code: 'InitContainerFailing', container: 'db-check', since: '2026-11-21T22:56:53Z' });
    expect(b.facts).toMatchObject({
      kind: 'crashLoop', exit: { exitCode: 3, reason: 'Error' }, restarts: 3, holds: { waiting: ['app'], effect: 'podPending' },
      backOff: { count: 4 }, lastLogLine: 'checking database at db:5432',
    });
    const f = b.facts as { backOff: { first: string; last: string } };
    expect(secondsBetween(f.backOff.first, f.backOff.last)).toBe(34);
  });

  test('image-pull-fail: ImagePullFailing on the sidecar log-shipper; app waits', () => {
    const [b, ...rest] = blockers('image-pull-fail', 'pull-backoff');
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ code: 'ImagePullFailing', container: 'log-shipper', since: '2026-11-21T22:56:50Z' });
    expect(b.facts).toMatchObject({
      kind: 'imagePull', image: 'registry.example.invalid/fluent-bit:9.9.9', reason: 'ErrImagePull',
      attempts: { count: 2, first: '2026-11-21T22:56:50Z', last: '2026-11-21T22:57:05Z' }, holds: { waiting: ['app'], effect: 'none' },
    });
    // the kubelet's own message, verbatim
    expect((b.facts as { detail: string }).detail).toMatch(/^failed to pull and unpack image "registry\.example\.invalid\/fluent-bit:9\.9\.9": .*connection refused$/);
  });

  test('sidecar-crashloop: SidecarCrashLooping on otel-collector with its last log line', () => {
    const b = blockers('sidecar-crashloop', 'crashlooping');
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ code: 'SidecarCrashLooping', container: 'otel-collector', since: '2026-11-21T22:56:58Z' });
    expect(b[0].facts).toEqual({
      kind: 'crashLoop', exit: { exitCode: 1, reason: 'Error' }, ranSeconds: 3, restarts: 3,
      backOff: { count: 5, first: '2026-11-21T22:56:58Z', last: '2026-11-21T22:57:58Z' }, nextTryIn: '40s',
      lastLogLine: 'fatal: bad exporter config', holds: { waiting: [], effect: 'podNotReady' },
      terminationMessage: null, waitingMessage: null, memoryLimit: null,
    });
  });

  test('app-crashloop: ContainerCrashLooping on api (its state is terminated between restarts)', () => {
    const b = blockers('app-crashloop', 'crashlooping');
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ code: 'ContainerCrashLooping', container: 'api' });
    expect(b[0].facts).toMatchObject({
      kind: 'crashLoop', exit: { exitCode: 1, reason: 'Error' }, ranSeconds: 2, restarts: 3,
      backOff: { count: 4, first: '2026-11-21T23:03:05Z', last: '2026-11-21T23:03:50Z' }, lastLogLine: 'panic: missing DATABASE_URL',
    });
  });

  test('sidecar-liveness-fail: the pod stays Ready, but the proxy is killed by its liveness probe (ContainerUnhealthy), each kill held for the whole grace period', () => {
    const a = analysisFrom('sidecar-liveness-fail', 'restarting');
    expect(a.pod.status?.initContainerStatuses?.[0].restartCount).toBe(2);
    const b = detectBlockers(a);
    expect(b.map((x) => [x.code, x.container])).toEqual([['ContainerUnhealthy', 'proxy']]);
    // recorded: Killing "Init container proxy failed liveness probe" ×2, last at 22:56:57Z; the
    // previous instance ended 137 at 22:57:27Z: 30 s later, the pod's grace period
    expect(b[0].facts).toMatchObject({
      kind: 'unhealthy', probe: 'liveness', kills: { count: 2, last: '2026-11-21T22:56:57Z' }, restarts: 2,
      wholeGrace: { gracePeriodSeconds: 30, killedAt: '2026-11-21T22:56:57Z', exitedAt: '2026-11-21T22:57:27Z', signal: 'SIGTERM' },
      logs: { pod: 'liveness', container: 'proxy', namespace: 'rec-sidecar-liveness-fail', previous: true },
    });
  });

  test('job-legacy-sidecar: LegacySidecarBlocksCompletion on istio-proxy, since main finished', () => {
    const b = blockers('job-legacy-sidecar', 'stuck');
    expect(b).toEqual([{
      code: 'LegacySidecarBlocksCompletion', container: 'istio-proxy', since: '2026-11-21T22:56:21Z',
      facts: {
        kind: 'completionHeld', finished: [{ name: 'main', exit: { exitCode: 0, reason: 'Completed' } }], finishedAgoSeconds: 18.627,
        restartPolicy: 'Never', legacy: { product: 'Istio', by: 'name', match: 'istio-proxy' },
      },
    }]);
  });

  test('unschedulable-requests: Unschedulable quoting the scheduler, with the sidecar share of the CPU request', () => {
    const b = blockers('unschedulable-requests', 'pending');
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ code: 'Unschedulable', container: null, since: '2026-11-21T22:56:49Z' });
    expect(b[0].facts).toMatchObject({
      kind: 'unschedulable', attempts: { count: 2, first: '2026-11-21T22:56:49.305841Z', last: '2026-11-21T22:56:55.614115Z' },
      sidecarShare: [{ resource: 'cpu', withSidecars: '2500m', without: '1000m', added: '1500m', sidecars: ['proxy'] }],
    });
    expect((b[0].facts as { why: string }).why).toMatch(/^0\/1 nodes are available: 1 Insufficient cpu\./);
  });

  test.each([
    ['ordering', 'running'], ['ordering', 'terminating'], ['job-native-sidecar', 'completed'], ['deployment-mesh', 'running'],
    ['istio-native', 'running'], ['istio-native', 'terminating'], ['init-interleaved', 'running'], ['cronjob', 'completed'],
    ['statefulset', 'running'],
  ])('%s/%s: no blocker', (scenario, snap) => {
    expect(blockers(scenario, snap)).toEqual([]);
  });

  test('job-native-sidecar: the sidecar exit 137 of a completed Job does not block', () => {
    const a = analysisFrom('job-native-sidecar', 'completed');
    expect(a.pod.status?.initContainerStatuses?.[0].state?.terminated?.exitCode).toBe(137);
    expect(detectBlockers(a)).toEqual([]);
  });

  test('job-retries: each failed Job pod gets PodFailed with the task\'s exit code and last log line', () => {
    for (const pod of ['flaky-dhdq7', 'flaky-jjnbc', 'flaky-x2tkx']) {
      const b = blockers('job-retries', 'failed', { pod });
      expect(b.map((x) => [x.code, x.container])).toEqual([['PodFailed', 'task']]);
      // recorded: task exited 1 (Error); its log ends "connection reset by peer"
      expect(b[0].facts).toMatchObject({
        kind: 'podFailed', reason: null,
        culprits: [{ name: 'task', init: false, exit: { exitCode: 1, reason: 'Error' }, lastLogLine: 'connection reset by peer', logs: { pod, container: 'task', namespace: 'rec-job-retries', previous: false } }],
      });
    }
  });
});

// Codes no recording shows: real recorded objects, edited (test/model/edited-recordings.ts).
describe('edited recordings', () => {
  test('ContainerConfigError: log-shipper waiting on a missing secret; app waits for it', () => {
    expect(detectBlockers(EDITED.configError())).toEqual([{
      code: 'ContainerConfigError', container: 'log-shipper', since: '2026-11-21T22:56:50Z',
      facts: { kind: 'createFailed', reason: 'CreateContainerConfigError', failures: null, detail: 'secret "fluent-bit-config" not found', holds: { waiting: ['app'], effect: 'none' } },
    }]);
  });

  test('InitContainerRunning: 8 s into its run migrate is progress, not a blocker (seen live: a watch raised it after 0 s)', () => {
    expect(detectBlockers(EDITED.migrateRunning('2026-11-21T22:56:40Z'))).toEqual([]);
  });

  test('the same migrate, still running 90 s later: the kubelet gives an init step no timeout, so it is waited on', () => {
    const waits: WaitFinding[] = [];
    expect(detectBlockers(EDITED.migrateRunning('2026-11-21T22:58:02Z'), waits)).toEqual([]);
    expect(waits).toEqual([{
      container: 'migrate', since: '2026-11-21T22:56:32Z', until: '2026-11-21T23:06:32Z',
      facts: { on: 'initStep', runningSeconds: 90, limitSeconds: 600 },
    }]);
  });

  test('InitContainerNotExiting: vault-agent whose restartPolicy: Always was dropped, 15 minutes in', () => {
    const b = detectBlockers(EDITED.vaultNotExiting());
    expect(b).toEqual([{
      code: 'InitContainerNotExiting', container: 'vault-agent', since: '2026-11-21T22:56:18Z',
      facts: { kind: 'initNotExiting', runningSeconds: 900, looksLikeSidecar: { product: 'Vault Agent', by: 'name', match: 'vault-agent' }, holds: { waiting: ['migrate', 'app'], effect: 'none' } },
    }]);
  });

  test('a short-lived istio-init (proxyv2 image, a real init step) running 120 s is waited on, not blocked', () => {
    const waits: WaitFinding[] = [];
    expect(detectBlockers(EDITED.istioInitRunning(), waits)).toEqual([]);
    expect(waits.map((w) => [w.container, w.facts])).toEqual([['istio-init', { on: 'initStep', runningSeconds: 120, limitSeconds: 600 }]]);
  });

  test('ContainerNotReady: the failing readiness probe on app instead of proxy', () => {
    expect(detectBlockers(EDITED.appNotReady())).toEqual([{
      code: 'ContainerNotReady', container: 'app', since: '2026-11-21T22:56:18Z',
      facts: { kind: 'notReady', notReady: { by: 'readinessFailures', failures: {
        kind: 'Readiness', count: 18, first: '2026-11-21T22:56:18Z', last: '2026-11-21T22:56:46Z', output: 'upstream not configured',
      }, probe: { handler: 'exec', program: 'true', args: false, periodSeconds: 2, failureThreshold: 3, initialDelaySeconds: 0, timeoutSeconds: 1, successThreshold: 1 } } },
    }]);
  });

  test('ReadinessGateNotReady: a readiness gate whose condition is missing, then False', () => {
    expect(detectBlockers(EDITED.readinessGate())).toEqual([{
      code: 'ReadinessGateNotReady', container: null, since: '2026-11-21T22:57:39Z',
      facts: { kind: 'readinessGate', gate: 'target-health.elbv2.k8s.aws/web', condition: null },
    }]);
    expect(detectBlockers(EDITED.readinessGate('False'))).toEqual([{
      code: 'ReadinessGateNotReady', container: null, since: '2026-11-21T22:57:40Z',
      facts: { kind: 'readinessGate', gate: 'target-health.elbv2.k8s.aws/web', condition: { status: 'False', reason: 'Elb.RegistrationInProgress', message: 'Target registration is in progress' } },
    }]);
  });

  test('TerminationOverdue: ordering/terminating seen 90s after its deletionTimestamp with every container still running', () => {
    const a = EDITED.orderingOverdue();
    // the recorded deletionTimestamp is request time + 30s grace
    expect(a.pod.metadata?.deletionTimestamp).toBe('2026-11-21T22:56:55Z');
    expect(detectBlockers(a)).toEqual([{
      code: 'TerminationOverdue', container: null, since: '2026-11-21T22:56:55Z',
      facts: {
        kind: 'terminationOverdue', requestedAt: '2026-11-21T22:56:25Z', gracePeriodSeconds: 30, overdueSeconds: 90, node: 'lab-node', nodeLost: null, finalizers: [],
        running: [{ name: 'first-sidecar', role: 'sidecar' }, { name: 'second-sidecar', role: 'sidecar' }, { name: 'app', role: 'container' }],
      },
    }]);
  });

  test('a terminating pod within its grace period is not blocked', () => {
    expect(blockers('ordering', 'terminating', { now: '2026-11-21T22:56:50Z' })).toEqual([]);
  });

  test('InitContainerFailing on a failed pod: init-crashloop with restartPolicy Never', () => {
    const b = detectBlockers(EDITED.initFailedNever());
    expect(b.map((x) => x.code)).toEqual(['PodFailed', 'InitContainerFailing']);
    expect(b[0].facts).toMatchObject({ kind: 'podFailed', culprits: [{ name: 'db-check', init: true, exit: { exitCode: 3, reason: 'Error' } }] });
    expect(b[1]).toEqual({
      code: 'InitContainerFailing', container: 'db-check', since: '2026-11-21T22:57:26Z',
      facts: { kind: 'initFailedPod', exit: { exitCode: 3, reason: 'Error' }, restartPolicy: 'Never', lastLogLine: 'checking database at db:5432', terminationMessage: null },
    });
  });
});
