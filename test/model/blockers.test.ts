import { detectBlockers } from '../../src/model/blockers.js';
import type { CoreEvent, Pod } from '../../src/model/k8s.js';
import { analysisFrom } from './analysis-fixture.js';

const blockers = (scenario: string, snap: string, opts = {}) => detectBlockers(analysisFrom(scenario, snap, opts));

describe('recorded scenarios', () => {
  test('sidecar-readiness-fail: SidecarNotReady on proxy with the probe output, count and span', () => {
    const b = blockers('sidecar-readiness-fail', 'not-ready');
    expect(b).toEqual([{
      code: 'SidecarNotReady', container: 'proxy', since: '2026-11-21T22:56:17Z',
      message: 'readiness probe failing (18 times in 28s): upstream not configured; the pod is not Ready and is out of Service endpoints',
    }]);
  });

  test('sidecar-startup-slow/waiting-for-sidecar: SidecarNotStarted, startup probe failing, migrate and app wait', () => {
    const [b, ...rest] = blockers('sidecar-startup-slow', 'waiting-for-sidecar');
    expect(rest).toEqual([]);
    expect(b.code).toBe('SidecarNotStarted');
    expect(b.container).toBe('vault-agent');
    expect(b.since).toBe('2026-11-21T22:56:18Z');
    expect(b.message).toBe('running for 6s but not started: startup probe failing (twice in 2s); migrate and app wait for it');
  });

  test('sidecar-startup-slow/ready: nothing blocks', () => {
    expect(blockers('sidecar-startup-slow', 'ready')).toEqual([]);
  });

  test('init-crashloop: InitContainerFailing on db-check with exit code, restarts, back-off and last log line', () => {
    const [b, ...rest] = blockers('init-crashloop', 'crashlooping');
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ code: 'InitContainerFailing', container: 'db-check', since: '2026-11-21T22:56:53Z' });
    expect(b.message).toMatch(/exited with code 3 \(Error\)/);
    expect(b.message).toMatch(/restarted 3 times, back-off 4 times in 34s/);
    expect(b.message).toMatch(/app waits for it; the pod stays Pending/);
  });

  test('image-pull-fail: ImagePullFailing on the sidecar log-shipper; app waits', () => {
    const [b, ...rest] = blockers('image-pull-fail', 'pull-backoff');
    expect(rest).toEqual([]);
    expect(b).toMatchObject({ code: 'ImagePullFailing', container: 'log-shipper', since: '2026-11-21T22:56:50Z' });
    expect(b.message).toMatch(/^image registry\.example\.invalid\/fluent-bit:9\.9\.9 cannot be pulled \(ErrImagePull, 2 attempts in 15s\): /);
    expect(b.message).toMatch(/connection refused; app waits for it$/);
  });

  test('sidecar-crashloop: SidecarCrashLooping on otel-collector with its last log line', () => {
    const b = blockers('sidecar-crashloop', 'crashlooping');
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ code: 'SidecarCrashLooping', container: 'otel-collector', since: '2026-11-21T22:56:58Z' });
    expect(b[0].message).toBe('crash-looping: exited with code 1 (Error) after 3s, restarted 3 times, back-off 5 times in 1m, next try in up to 40s; last log line: "fatal: bad exporter config"; the pod is not Ready');
  });

  test('app-crashloop: ContainerCrashLooping on api (its state is terminated between restarts)', () => {
    const b = blockers('app-crashloop', 'crashlooping');
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ code: 'ContainerCrashLooping', container: 'api' });
    expect(b[0].message).toMatch(/exited with code 1 \(Error\) after 2s, restarted 3 times, back-off 4 times in 45s; last log line: "panic: missing DATABASE_URL"/);
  });

  test('sidecar-liveness-fail: the pod stays Ready, but the proxy is killed by its liveness probe (ContainerUnhealthy), each kill held for the whole grace period', () => {
    const a = analysisFrom('sidecar-liveness-fail', 'restarting');
    expect(a.pod.status?.initContainerStatuses?.[0].restartCount).toBe(2);
    const b = detectBlockers(a);
    expect(b.map((x) => [x.code, x.container])).toEqual([['ContainerUnhealthy', 'proxy']]);
    // recorded: Killing "Init container proxy failed liveness probe" ×2, last at 22:56:57Z; the
    // previous instance ended 137 at 22:57:27Z: 30 s later, the pod's grace period
    expect(b[0].message).toMatch(/killed by its liveness probe twice/);
    expect(b[0].message).toMatch(/whole 30s grace period .*ignores SIGTERM/);
    expect(b[0].message).toMatch(/kubectl logs liveness -c proxy --previous/);
  });

  test('job-legacy-sidecar: LegacySidecarBlocksCompletion on istio-proxy, since main finished', () => {
    const b = blockers('job-legacy-sidecar', 'stuck');
    expect(b).toEqual([{
      code: 'LegacySidecarBlocksCompletion', container: 'istio-proxy', since: '2026-11-21T22:56:21Z',
      message: 'main exited with code 0 (Completed) 18s ago, but istio-proxy runs as a plain container (well-known sidecar name istio-proxy (Istio)) and never exits, so with restartPolicy Never the pod stays Running and its Job never completes',
    }]);
  });

  test('unschedulable-requests: Unschedulable quoting the scheduler, with the sidecar share of the CPU request', () => {
    const b = blockers('unschedulable-requests', 'pending');
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ code: 'Unschedulable', container: null, since: '2026-11-21T22:56:49Z' });
    expect(b[0].message).toMatch(/^the scheduler cannot place the pod \(2 attempts in 6s\): 0\/1 nodes are available: 1 Insufficient cpu\./);
    expect(b[0].message).toMatch(/the pod requests 2500m cpu with its sidecars \(1000m without them: sidecar proxy adds 1500m\)$/);
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
      expect(b[0].message).toMatch(/task exited with code 1 \(Error\)/);
      expect(b[0].message).toContain('"connection reset by peer"');
      expect(b[0].message).toContain(`kubectl logs ${pod} -c task -n rec-job-retries`);
    }
  });
});

// Codes no recording shows: real recorded objects, edited as each test says.
describe('edited recordings', () => {
  test('ContainerConfigError: image-pull-fail with log-shipper waiting on a missing secret instead of the image', () => {
    const b = blockers('image-pull-fail', 'pull-backoff', {
      editPod: (p: Pod) => {
        // edit: the sidecar's waiting reason/message become a CreateContainerConfigError
        p.status!.initContainerStatuses![0].state = { waiting: { reason: 'CreateContainerConfigError', message: 'secret "fluent-bit-config" not found' } };
      },
      // edit: drop the pull-failure events (a config error emits no Pulling/Failed-to-pull)
      editEvents: (evs: CoreEvent[]) => evs.filter((e) => !['Pulling', 'Failed', 'BackOff'].includes(e.reason ?? '')),
    });
    expect(b).toEqual([{
      code: 'ContainerConfigError', container: 'log-shipper', since: '2026-11-21T22:56:50Z',
      message: 'the container cannot be created: CreateContainerConfigError: secret "fluent-bit-config" not found; app waits for it',
    }]);
  });

  // edit: migrate is running (not Completed) since 22:56:32, app not created yet, pod not initialized
  const migrateRunning = (now: string) => blockers('sidecar-startup-slow', 'ready', {
    now,
    editPod: (p: Pod) => {
      const st = p.status!;
      st.phase = 'Pending';
      st.initContainerStatuses![1] = { ...st.initContainerStatuses![1], ready: false, started: true, state: { running: { startedAt: '2026-11-21T22:56:32Z' } } };
      st.containerStatuses![0] = { ...st.containerStatuses![0], ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } };
      for (const c of st.conditions!) if (c.type !== 'PodScheduled' && c.type !== 'PodReadyToStartContainers') c.status = 'False';
    },
  });

  test('InitContainerRunning: 8 s into its run migrate is progress, not a blocker (seen live: a watch raised it after 0 s)', () => {
    expect(migrateRunning('2026-11-21T22:56:40Z')).toEqual([]);
  });

  test('InitContainerRunning: the same migrate, still running 90 s later', () => {
    expect(migrateRunning('2026-11-21T22:58:02Z')).toEqual([{ code: 'InitContainerRunning', container: 'migrate', since: '2026-11-21T22:56:32Z', message: 'still running after 1m30s; app waits for it' }]);
  });

  test('InitContainerNotExiting: vault-agent whose restartPolicy: Always was dropped (as an old webhook does)', () => {
    const b = blockers('sidecar-startup-slow', 'waiting-for-sidecar', {
      now: '2026-11-21T23:11:18Z',
      editPod: (p: Pod) => {
        // edit: vault-agent loses restartPolicy and its startupProbe (a regular init container may not
        // have probes), keeps running; "now" is 15 minutes after it started
        delete p.spec!.initContainers![0].restartPolicy;
        delete p.spec!.initContainers![0].startupProbe;
        p.status!.initContainerStatuses![0].started = true;
      },
    });
    expect(b).toHaveLength(1);
    expect(b[0]).toMatchObject({ code: 'InitContainerNotExiting', container: 'vault-agent', since: '2026-11-21T22:56:18Z' });
    expect(b[0].message).toBe('a regular init container (no restartPolicy: Always) that has been running for 15m and never exits, and it looks like a sidecar (well-known sidecar name vault-agent (Vault Agent)); migrate and app wait for it: its restartPolicy: Always was likely dropped by an old mutating webhook, or the cluster has no native sidecars');
  });

  test('a short-lived istio-init (proxyv2 image, a real init step) is only InitContainerRunning', () => {
    const b = blockers('istio-native', 'running', {
      now: '2026-11-21T23:04:57Z',
      editPod: (p: Pod) => {
        // edit: back to the moment istio-init ran (as the watch stream shows it), seen 2 minutes later
        const st = p.status!;
        st.phase = 'Pending';
        st.initContainerStatuses![0] = { ...st.initContainerStatuses![0], started: true, ready: false, state: { running: { startedAt: '2026-11-21T23:02:57Z' } } };
        st.initContainerStatuses![1] = { ...st.initContainerStatuses![1], started: false, ready: false, state: { waiting: { reason: 'PodInitializing' } } };
        st.containerStatuses![0] = { ...st.containerStatuses![0], started: false, ready: false, state: { waiting: { reason: 'PodInitializing' } } };
        for (const c of st.conditions!) if (c.type !== 'PodScheduled' && c.type !== 'PodReadyToStartContainers') c.status = 'False';
      },
      editEvents: () => [],
    });
    expect(b.map((x) => [x.code, x.container])).toEqual([['InitContainerRunning', 'istio-init']]);
    expect(b[0].message).toBe('still running after 2m; istio-proxy and reviews wait for it');
  });

  test('ContainerNotReady: sidecar-readiness-fail with the failing readiness probe on app instead of proxy', () => {
    const b = blockers('sidecar-readiness-fail', 'not-ready', {
      editPod: (p: Pod) => {
        // edit: proxy ready, app not ready, conditions name app
        p.status!.initContainerStatuses![0].ready = true;
        p.status!.containerStatuses![0].ready = false;
        for (const c of p.status!.conditions!) if (c.message) c.message = 'containers with unready status: [app]';
      },
      // edit: the recorded Unhealthy event now refers to app
      editEvents: (evs: CoreEvent[]) => evs.map((e) => (e.reason === 'Unhealthy' ? { ...e, involvedObject: { ...e.involvedObject, fieldPath: 'spec.containers{app}' } } : e)),
    });
    expect(b).toEqual([{
      code: 'ContainerNotReady', container: 'app', since: '2026-11-21T22:56:18Z',
      message: 'readiness probe failing (18 times in 28s): upstream not configured; the pod is not Ready and is out of Service endpoints',
    }]);
  });

  test('ReadinessGateNotReady: deployment-mesh pod with a readiness gate whose condition is missing, then False', () => {
    const gate = (status?: string) => blockers('deployment-mesh', 'running', {
      editPod: (p: Pod) => {
        // edit: a readiness gate (as a load-balancer controller adds), Ready False because of it
        p.spec!.readinessGates = [{ conditionType: 'target-health.elbv2.k8s.aws/web' }];
        const ready = p.status!.conditions!.find((c) => c.type === 'Ready')!;
        Object.assign(ready, { status: 'False', reason: 'ReadinessGatesNotReady' });
        if (status) p.status!.conditions!.push({ type: 'target-health.elbv2.k8s.aws/web', status, reason: 'Elb.RegistrationInProgress', message: 'Target registration is in progress', lastTransitionTime: '2026-11-21T22:57:40Z' });
      },
    });
    expect(gate()).toEqual([{
      code: 'ReadinessGateNotReady', container: null, since: '2026-11-21T22:57:39Z',
      message: 'readiness gate "target-health.elbv2.k8s.aws/web" has no condition on the pod yet: the controller that owns it has not reported; the pod is not Ready even though its containers may be',
    }]);
    expect(gate('False')[0]).toMatchObject({ code: 'ReadinessGateNotReady', since: '2026-11-21T22:57:40Z' });
    expect(gate('False')[0].message).toMatch(/is False \(Elb\.RegistrationInProgress: Target registration is in progress\)/);
  });

  test('TerminationOverdue: ordering/terminating seen 90s after its deletionTimestamp with every container still running', () => {
    const a = analysisFrom('ordering', 'terminating', { now: '2026-11-21T22:58:25Z' });
    // the recorded deletionTimestamp is request time + 30s grace
    expect(a.pod.metadata?.deletionTimestamp).toBe('2026-11-21T22:56:55Z');
    expect(detectBlockers(a)).toEqual([{
      code: 'TerminationOverdue', container: null, since: '2026-11-21T22:56:55Z',
      message: 'deletion was requested at 2026-11-21T22:56:25Z with a 30s grace period that ended 1m30s ago, and the pod is still terminating; still running: first-sidecar (sidecar), second-sidecar (sidecar) and app (container)',
    }]);
  });

  test('a terminating pod within its grace period is not blocked', () => {
    expect(blockers('ordering', 'terminating', { now: '2026-11-21T22:56:50Z' })).toEqual([]);
  });

  test('InitContainerFailing on a failed pod: init-crashloop with restartPolicy Never', () => {
    const b = blockers('init-crashloop', 'crashlooping', {
      editPod: (p: Pod) => {
        // edit: restartPolicy Never, so the first exit 3 failed the pod (phase Failed, no restarts)
        p.spec!.restartPolicy = 'Never';
        p.status!.phase = 'Failed';
        const s = p.status!.initContainerStatuses![1];
        s.restartCount = 0;
        delete s.lastState;
      },
    });
    expect(b.map((x) => x.code)).toEqual(['PodFailed', 'InitContainerFailing']);
    expect(b[0].message).toMatch(/init container db-check exited with code 3 \(Error\)/);
    expect(b[1]).toMatchObject({ code: 'InitContainerFailing', container: 'db-check', since: '2026-11-21T22:57:26Z' });
    expect(b[1].message).toMatch(/^exited with code 3 \(Error\) and the pod failed \(restartPolicy Never\)/);
  });
});
