// States no recording shows, made from real recorded objects edited as each comment says. The
// rule tests (test/model/blockers.test.ts, advice.test.ts) check the FACTS the model finds in them;
// test/render/words-findings.test.ts checks the SENTENCES those facts read as (no golden file shows them).
import type { PodAnalysis } from '../../src/model/analysis.js';
import type { CoreEvent, Pod } from '../../src/model/k8s.js';
import { analysisFrom } from './analysis-fixture.js';

export const EDITED = {
  /** image-pull-fail with log-shipper waiting on a missing secret instead of the image. */
  configError: (): PodAnalysis => analysisFrom('image-pull-fail', 'pull-backoff', {
    editPod: (p: Pod) => {
      // edit: the sidecar's waiting reason/message become a CreateContainerConfigError
      p.status!.initContainerStatuses![0].state = { waiting: { reason: 'CreateContainerConfigError', message: 'secret "fluent-bit-config" not found' } };
    },
    // edit: drop the pull-failure events (a config error emits no Pulling/Failed-to-pull)
    editEvents: (evs) => (evs as CoreEvent[]).filter((e) => !['Pulling', 'Failed', 'BackOff'].includes(e.reason ?? '')),
  }),

  /** sidecar-startup-slow with migrate running (not Completed) since 22:56:32, app not created yet, pod not initialized. */
  migrateRunning: (now: string): PodAnalysis => analysisFrom('sidecar-startup-slow', 'ready', {
    now,
    editPod: (p: Pod) => {
      const st = p.status!;
      st.phase = 'Pending';
      st.initContainerStatuses![1] = { ...st.initContainerStatuses![1], ready: false, started: true, state: { running: { startedAt: '2026-11-21T22:56:32Z' } } };
      st.containerStatuses![0] = { ...st.containerStatuses![0], ready: false, started: false, state: { waiting: { reason: 'PodInitializing' } } };
      for (const c of st.conditions!) if (c.type !== 'PodScheduled' && c.type !== 'PodReadyToStartContainers') c.status = 'False';
    },
  }),

  /** vault-agent whose restartPolicy: Always was dropped (as an old webhook does), 15 minutes after it started. */
  vaultNotExiting: (): PodAnalysis => analysisFrom('sidecar-startup-slow', 'waiting-for-sidecar', {
    now: '2026-11-21T23:11:18Z',
    editPod: (p: Pod) => {
      // edit: vault-agent loses restartPolicy and its startupProbe (a regular init container may not
      // have probes), keeps running
      delete p.spec!.initContainers![0].restartPolicy;
      delete p.spec!.initContainers![0].startupProbe;
      p.status!.initContainerStatuses![0].started = true;
    },
  }),

  /** istio-native back at the moment istio-init ran (as the watch stream shows it), seen 2 minutes later. */
  istioInitRunning: (): PodAnalysis => analysisFrom('istio-native', 'running', {
    now: '2026-11-21T23:04:57Z',
    editPod: (p: Pod) => {
      const st = p.status!;
      st.phase = 'Pending';
      st.initContainerStatuses![0] = { ...st.initContainerStatuses![0], started: true, ready: false, state: { running: { startedAt: '2026-11-21T23:02:57Z' } } };
      st.initContainerStatuses![1] = { ...st.initContainerStatuses![1], started: false, ready: false, state: { waiting: { reason: 'PodInitializing' } } };
      st.containerStatuses![0] = { ...st.containerStatuses![0], started: false, ready: false, state: { waiting: { reason: 'PodInitializing' } } };
      for (const c of st.conditions!) if (c.type !== 'PodScheduled' && c.type !== 'PodReadyToStartContainers') c.status = 'False';
    },
    editEvents: () => [],
  }),

  /** sidecar-readiness-fail with the failing readiness probe on app instead of proxy. */
  appNotReady: (): PodAnalysis => analysisFrom('sidecar-readiness-fail', 'not-ready', {
    editPod: (p: Pod) => {
      // edit: proxy ready, app not ready, conditions name app
      p.status!.initContainerStatuses![0].ready = true;
      p.status!.containerStatuses![0].ready = false;
      for (const c of p.status!.conditions!) if (c.message) c.message = 'containers with unready status: [app]';
    },
    // edit: the recorded Unhealthy event now refers to app
    editEvents: (evs) => (evs as CoreEvent[]).map((e) => (e.reason === 'Unhealthy' ? { ...e, involvedObject: { ...e.involvedObject, fieldPath: 'spec.containers{app}' } } : e)),
  }),

  /** deployment-mesh with a readiness gate (as a load-balancer controller adds) whose condition is missing, or has `status`. */
  readinessGate: (status?: string): PodAnalysis => analysisFrom('deployment-mesh', 'running', {
    editPod: (p: Pod) => {
      p.spec!.readinessGates = [{ conditionType: 'target-health.elbv2.k8s.aws/web' }];
      const ready = p.status!.conditions!.find((c) => c.type === 'Ready')!;
      Object.assign(ready, { status: 'False', reason: 'ReadinessGatesNotReady' });
      if (status) p.status!.conditions!.push({ type: 'target-health.elbv2.k8s.aws/web', status, reason: 'Elb.RegistrationInProgress', message: 'Target registration is in progress', lastTransitionTime: '2026-11-21T22:57:40Z' });
    },
  }),

  /** ordering/terminating seen 90 s after its deletionTimestamp, every container still running (no edit but the time). */
  orderingOverdue: (): PodAnalysis => analysisFrom('ordering', 'terminating', { now: '2026-11-21T22:58:25Z' }),

  /** init-crashloop with restartPolicy Never: the first exit 3 failed the pod (phase Failed, no restarts). */
  initFailedNever: (): PodAnalysis => analysisFrom('init-crashloop', 'crashlooping', {
    editPod: (p: Pod) => {
      p.spec!.restartPolicy = 'Never';
      p.status!.phase = 'Failed';
      const s = p.status!.initContainerStatuses![1];
      s.restartCount = 0;
      delete s.lastState;
    },
  }),

  /**
   * poststart-fails with cert-agent waiting on PostStartHookError, its message the kubelet's exec-hook
   * form without an exit code (a hook that timed out), the command line carrying a token.
   */
  hookTimedOut: (): PodAnalysis => analysisFrom('poststart-fails', 'hook-failing', {
    editPod: (p: Pod) => {
      p.status!.initContainerStatuses![0].state = { waiting: { reason: 'PostStartHookError', message:
        "Exec lifecycle hook ([/bin/sh -c fetch --token s3cr3t]) for Container \"cert-agent\" in Pod \"hooked\" failed - error: command '/bin/sh -c fetch --token s3cr3t' timed out after 30s" } };
    },
  }),

  /** istio-native whose app gets a preStop sleep as long as the pod's whole grace period (20s). */
  preStopSleep: (): PodAnalysis => analysisFrom('istio-native', 'running', {
    editPod: (p: Pod) => {
      p.spec!.containers![0].lifecycle = { preStop: { sleep: { seconds: 20 } } };
    },
  }),

  /** deployment-mesh whose istio-proxy has no requests (spec and the kubelet's allocatedResources/resources removed). */
  sidecarWithoutRequests: (): PodAnalysis => analysisFrom('deployment-mesh', 'running', {
    editPod: (p: Pod) => {
      p.spec!.initContainers![0].resources = {};
      delete p.status!.initContainerStatuses![0].allocatedResources;
      delete p.status!.initContainerStatuses![0].resources;
    },
  }),

  /** ordering seen through an edited GET /version (1.28 of EKS, or 1.27). */
  oldServer: (minor: '28' | '27'): PodAnalysis => analysisFrom('ordering', 'running', {
    version: minor === '28' ? { major: '1', minor: '28+', gitVersion: 'v1.28.15-eks-1' } : { major: '1', minor: '27', gitVersion: 'v1.27.16' },
  }),

  /**
   * ordering/last-seen with a 10s grace period: the recorded shutdown (app 1s, then each sidecar 3-4s:
   * 9s in all) against it (the recorded deletionGracePeriodSeconds is 0: the final removal after the pod finished).
   */
  tightGrace: (): PodAnalysis => analysisFrom('ordering', 'last-seen', {
    now: '2026-11-21T22:56:36Z',
    editPod: (p: Pod) => {
      p.spec!.terminationGracePeriodSeconds = 10;
      p.metadata!.deletionGracePeriodSeconds = 10;
    },
  }),
};
