// The advice rules on recorded pods: the FACTS each finds, with values read off the recordings.
// Their sentences are checked once: the golden files for recorded states, test/render/words-findings.test.ts
// for the edited ones.
import { advise, preStopSeconds } from '../../src/model/advice.js';
import { serverVersion } from '../../src/model/facts.js';
import { analysisFrom } from './analysis-fixture.js';
import { EDITED } from './edited-recordings.js';

const advice = (scenario: string, snap: string, opts = {}) => advise(analysisFrom(scenario, snap, opts));

test('sidecar-startup-slow/ready: SlowSidecarStartup measured from vault-agent\'s first log line to migrate\'s (13.7s)', () => {
  // recorded: vault-agent's first log line 22:56:18.…, migrate's 13.659 s later; an exec startup
  // probe every 2s, no initial delay, failed 6 times between 22:56:19 and :29
  expect(advice('sidecar-startup-slow', 'ready')).toEqual([{
    code: 'SlowSidecarStartup', container: 'vault-agent',
    facts: {
      kind: 'slowStartup', next: ['migrate'], gate: { startupProbe: true, postStart: false },
      startupFailures: { count: 6, first: '2026-11-21T22:56:19Z', last: '2026-11-21T22:56:29Z' },
      fix: { probe: { periodSeconds: 2, initialDelaySeconds: 0, faster: false, earlier: false } },
      waitedSeconds: 13.659, precise: true, ongoing: false,
    },
  }]);
});

test('sidecar-startup-slow/waiting-for-sidecar: the wait is reported while it lasts', () => {
  const [a] = advice('sidecar-startup-slow', 'waiting-for-sidecar');
  expect(a.code).toBe('SlowSidecarStartup');
  expect(a.facts).toMatchObject({ kind: 'slowStartup', next: ['migrate'], ongoing: true, waitedSeconds: 6.025, startupFailures: { count: 2 } });
});

test('istio-native: a 3s startup gate is not slow', () => {
  expect(advice('istio-native', 'running').map((x) => x.code)).not.toContain('SlowSidecarStartup');
});

test('sidecar-readiness-fail: SidecarReadinessGatesPod with the probe failures, while app is ready', () => {
  const [a, ...rest] = advice('sidecar-readiness-fail', 'not-ready');
  expect(rest).toEqual([]);
  expect(a).toEqual({
    code: 'SidecarReadinessGatesPod', container: 'proxy',
    facts: { kind: 'readinessGatesPod', readyApps: ['app'], failures: { kind: 'Readiness', count: 18, first: '2026-11-21T22:56:18Z', last: '2026-11-21T22:56:46Z', output: 'upstream not configured' } },
  });
});

test('job-native-sidecar: GracePeriodTooShort, the api sidecar was SIGKILLed 30s after shutdown began', () => {
  // recorded: Killing events at 22:56:23, api exited 137 at 22:56:53; its last log line 22:56:22.41
  expect(advice('job-native-sidecar', 'completed')).toEqual([{
    code: 'GracePeriodTooShort', container: 'api',
    facts: {
      kind: 'graceKilled', finishedAt: '2026-11-21T22:56:53Z', tookSeconds: 30, shutdownStartedAt: '2026-11-21T22:56:23Z', fromStatus: false,
      gracePeriodSeconds: 30, sidecar: true, signal: 'SIGTERM', configuredStopSignal: null, lastLogAt: '2026-11-21T22:56:22.410295418Z', quietAfter: true,
    },
  }]);
});

test('ordering and istio-native terminations fit their grace period: no GracePeriodTooShort', () => {
  for (const [sc, sn] of [['ordering', 'terminating'], ['istio-native', 'terminating']]) {
    expect(advice(sc, sn).map((x) => x.code)).not.toContain('GracePeriodTooShort');
  }
});

test('GracePeriodTooShort from a declared preStop sleep (istio-native with a 20s drain sleep)', () => {
  expect(advise(EDITED.preStopSleep())).toEqual([{
    code: 'GracePeriodTooShort', container: 'reviews',
    facts: { kind: 'preStopTooLong', sleepSeconds: 20, gracePeriodSeconds: 20, sidecars: ['istio-proxy'] },
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
    facts: {
      kind: 'legacySidecar', legacy: { product: 'Istio', by: 'name', match: 'istio-proxy' }, postStart: false, holdsCompletion: 'Never',
      setupSteps: [], otherInits: [], product: 'Istio',
    },
  }]);
});

test('SidecarWithoutRequests: deployment-mesh pod whose istio-proxy has no requests', () => {
  expect(advise(EDITED.sidecarWithoutRequests())).toEqual([{
    code: 'SidecarWithoutRequests', container: 'istio-proxy',
    facts: { kind: 'sidecarWithoutRequests', peers: [{ name: 'web', requests: [['cpu', '20m'], ['memory', '32Mi']] }] },
  }]);
});

test('a pod that requests nothing anywhere gets no SidecarWithoutRequests (ordering)', () => {
  expect(advice('ordering', 'running')).toEqual([]);
});

test('NativeSidecarsUnsupported: ordering seen through an edited GET /version of 1.28 and 1.27', () => {
  expect(advise(EDITED.oldServer('28'))).toEqual([{
    code: 'NativeSidecarsUnsupported', container: null,
    facts: { kind: 'nativeSidecarsUnsupported', server: 'v1.28.15-eks-1', minor: 28, sidecars: ['first-sidecar', 'second-sidecar'] },
  }]);
  expect(advise(EDITED.oldServer('27'))[0].facts).toEqual({ kind: 'nativeSidecarsUnsupported', server: 'v1.27.16', minor: 27, sidecars: ['first-sidecar', 'second-sidecar'] });
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
  // recorded: shutdown began 22:56:25 (Killing events), first-sidecar stopped last at 22:56:34
  expect(advise(EDITED.tightGrace())).toEqual([{
    code: 'GracePeriodTooShort', container: 'first-sidecar',
    facts: { kind: 'graceNearlyUsed', tookSeconds: 9, gracePeriodSeconds: 10, lastStopped: 'first-sidecar', at: '2026-11-21T22:56:34Z' },
  }]);
  // with the recorded 30s grace period the same shutdown is fine
  expect(advise(analysisFrom('ordering', 'last-seen', { now: '2026-11-21T22:56:36Z' }))).toEqual([]);
});
