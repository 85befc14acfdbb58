import { advise, preStopSeconds } from '../../src/model/advice.js';
import { serverVersion } from '../../src/model/facts.js';
import type { Pod } from '../../src/model/k8s.js';
import { analysisFrom } from './analysis-fixture.js';

const advice = (scenario: string, snap: string, opts = {}) => advise(analysisFrom(scenario, snap, opts));

test('sidecar-startup-slow/ready: SlowSidecarStartup measured from vault-agent\'s first log line to migrate\'s (13.7s)', () => {
  expect(advice('sidecar-startup-slow', 'ready')).toEqual([{
    code: 'SlowSidecarStartup', container: 'vault-agent',
    message: 'migrate started 13.7s after vault-agent, held back by its startup probe, which failed 6 times in 10s before passing; every later container waits for it on each pod start: start it faster (its startup probe already runs every 2s with no initial delay: the wait is its own start time)',
  }]);
});

test('sidecar-startup-slow/waiting-for-sidecar: the wait is reported while it lasts', () => {
  const [a] = advice('sidecar-startup-slow', 'waiting-for-sidecar');
  expect(a.code).toBe('SlowSidecarStartup');
  expect(a.message).toMatch(/^migrate has waited 6s so far for vault-agent, held back by its startup probe, which has failed twice in 2s/);
});

test('istio-native: a 3s startup gate is not slow', () => {
  expect(advice('istio-native', 'running').map((x) => x.code)).not.toContain('SlowSidecarStartup');
});

test('sidecar-readiness-fail: SidecarReadinessGatesPod with the probe failures, while app is ready', () => {
  const [a, ...rest] = advice('sidecar-readiness-fail', 'not-ready');
  expect(rest).toEqual([]);
  expect(a).toMatchObject({ code: 'SidecarReadinessGatesPod', container: 'proxy' });
  expect(a.message).toMatch(/^its readiness probe failed \(18 times in 28s\): upstream not configured, .*every Service's endpoints, even while app is ready/);
});

test('job-native-sidecar: GracePeriodTooShort, the api sidecar was SIGKILLed 30s after shutdown began', () => {
  expect(advice('job-native-sidecar', 'completed')).toEqual([{
    code: 'GracePeriodTooShort', container: 'api',
    message: 'api was killed with SIGKILL (exit code 137) at 2026-11-21T22:56:53Z, 30s after shutdown began at 2026-11-21T22:56:23Z, when the shared 30s grace period ran out, and as a sidecar it only got SIGTERM after the app containers exited, from the same budget: it logged nothing after shutdown began (last log line at 2026-11-21T22:56:22.410295418Z), so it most likely ignores SIGTERM and more grace would not help: make it exit on SIGTERM (a PID-1 process without a handler ignores it)',
  }]);
});

test('ordering and istio-native terminations fit their grace period: no GracePeriodTooShort', () => {
  for (const [sc, sn] of [['ordering', 'terminating'], ['istio-native', 'terminating']]) {
    expect(advice(sc, sn).map((x) => x.code)).not.toContain('GracePeriodTooShort');
  }
});

test('GracePeriodTooShort from a declared preStop sleep (istio-native with a 20s drain sleep)', () => {
  const out = advice('istio-native', 'running', {
    editPod: (p: Pod) => {
      // edit: the app gets a preStop sleep as long as the pod's whole grace period (20s)
      p.spec!.containers![0].lifecycle = { preStop: { sleep: { seconds: 20 } } };
    },
  });
  expect(out).toEqual([{
    code: 'GracePeriodTooShort', container: 'reviews',
    message: 'the preStop hook of reviews sleeps 20s but the whole pod has only terminationGracePeriodSeconds 20, leaving the sidecars istio-proxy no time to stop in order: raise terminationGracePeriodSeconds above 25s or shorten the hook',
  }]);
});

test('preStop duration: sleep action or sleep in an exec command (istio-native proxy drains 2s)', () => {
  const a = analysisFrom('istio-native', 'running');
  expect(preStopSeconds(a.classified.find((c) => c.name === 'istio-proxy')!.spec)).toBe(2);
  expect(preStopSeconds(a.classified.find((c) => c.name === 'reviews')!.spec)).toBeNull();
});

test('job-legacy-sidecar: LegacySidecar with the exact migration and the Istio switch', () => {
  expect(advice('job-legacy-sidecar', 'stuck')).toEqual([{
    code: 'LegacySidecar', container: 'istio-proxy',
    message: 'istio-proxy is a sidecar run the pre-1.28 way as a plain container (well-known sidecar name istio-proxy (Istio); it keeps this restartPolicy Never pod from completing): move istio-proxy into initContainers, add restartPolicy: Always, and replace sleep loops or postStart waits with a startupProbe; for Istio set the pod annotation sidecar.istio.io/nativeSidecar: "true" (Istio 1.24+; or ENABLE_NATIVE_SIDECARS=true on istiod since 1.19) so the injector does this itself',
  }]);
});

test('SidecarWithoutRequests: deployment-mesh pod whose istio-proxy has no requests', () => {
  const out = advice('deployment-mesh', 'running', {
    editPod: (p: Pod) => {
      // edit: the sidecar's requests are removed (spec and the kubelet's allocatedResources/resources)
      p.spec!.initContainers![0].resources = {};
      delete p.status!.initContainerStatuses![0].allocatedResources;
      delete p.status!.initContainerStatuses![0].resources;
    },
  });
  expect(out).toEqual([{
    code: 'SidecarWithoutRequests', container: 'istio-proxy',
    message: "istio-proxy requests no cpu or memory although it runs for the pod's whole life, while web requests 20m cpu, 32Mi memory: the scheduler reserves nothing for it and it is first in line for eviction pressure; set resources.requests (and limits) on it",
  }]);
});

test('a pod that requests nothing anywhere gets no SidecarWithoutRequests (ordering)', () => {
  expect(advice('ordering', 'running')).toEqual([]);
});

test('NativeSidecarsUnsupported: ordering seen through an edited GET /version of 1.28 and 1.27', () => {
  const v28 = advice('ordering', 'running', { version: { major: '1', minor: '28+', gitVersion: 'v1.28.15-eks-1' } });
  expect(v28).toEqual([{
    code: 'NativeSidecarsUnsupported', container: null,
    message: 'the API server is v1.28.15-eks-1: native sidecars there are alpha (feature gate SidecarContainers, off by default) and stopped without ordering, so first-sidecar and second-sidecar may stop before or with the app containers at shutdown; upgrade to 1.29+ for ordered termination',
  }]);
  const v27 = advice('ordering', 'running', { version: { major: '1', minor: '27', gitVersion: 'v1.27.16' } });
  expect(v27[0].message).toMatch(/^the API server is v1\.27\.16, older than 1\.28: .* block initialization forever/);
  // the recorded server (v1.33) supports them
  expect(advice('ordering', 'running', {})).toEqual([]);
});

test('serverVersion reads minor ("28+" too) or falls back to gitVersion', () => {
  expect(serverVersion({ major: '1', minor: '33' })?.minor).toBe(33);
  expect(serverVersion({ gitVersion: 'v1.29.3+k3s1' })).toEqual({ major: 1, minor: 29, text: 'v1.29.3+k3s1' });
  expect(serverVersion(null)).toBeNull();
  expect(serverVersion({ major: '1', minor: '28+' })?.minor).toBe(28);
});

test('GracePeriodTooShort from an observed shutdown that used most of the budget (ordering with a 10s grace)', () => {
  const out = advise(analysisFrom('ordering', 'last-seen', {
    now: '2026-11-21T22:56:36Z',
    editPod: (p: Pod) => {
      // edit: the recorded shutdown (app 1s, then each sidecar 3-4s: 9s in all) against a 10s grace period
      // (the recorded deletionGracePeriodSeconds is 0: the final removal after the pod finished)
      p.spec!.terminationGracePeriodSeconds = 10;
      p.metadata!.deletionGracePeriodSeconds = 10;
    },
  }));
  expect(out).toEqual([{
    code: 'GracePeriodTooShort', container: 'first-sidecar',
    message: 'shutdown took 9s of the shared 10s grace period (first-sidecar stopped last, at 2026-11-21T22:56:34Z): one slower stop and the remaining sidecars get SIGKILL; raise terminationGracePeriodSeconds or make the containers stop faster',
  }]);
  // with the recorded 30s grace period the same shutdown is fine
  expect(advise(analysisFrom('ordering', 'last-seen', { now: '2026-11-21T22:56:36Z' }))).toEqual([]);
});
