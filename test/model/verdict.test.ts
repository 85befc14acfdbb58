// The verdict on recorded pods, through describePod: its state and the FACTS it rests on (what
// kind of answer, the blockers it cites by code and container, the evidence with its source).
// Its summary sentences are checked in the golden files (test/golden/cli, "Verdict").
import { describePod } from '../../src/model/describe.js';
import { contextOf, loadPod } from './evidence.js';

const verdict = (scenario: string, snapshot: string, now?: string) => {
  const ctx = contextOf(scenario, snapshot);
  return describePod(loadPod(scenario, snapshot), now ? { ...ctx, now } : ctx).verdict;
};

test('ordering/running: Healthy on the phase and Ready=True (since 22:56:22, as recorded)', () => {
  expect(verdict('ordering', 'running')).toEqual({
    state: 'Healthy', facts: { kind: 'healthy' },
    evidence: [
      { source: 'status', kind: 'phase', phase: 'Running', reason: null },
      { source: 'condition', kind: 'ready', status: 'True', reason: null, since: '2026-11-21T22:56:22Z' },
    ],
  });
});

test('sidecar-crashloop: Blocked, citing its blocker by code and container', () => {
  const v = verdict('sidecar-crashloop', 'crashlooping');
  expect(v.state).toBe('Blocked');
  expect(v.facts).toEqual({ kind: 'blockers', lead: 'Blocked', blockers: [{ code: 'SidecarCrashLooping', container: 'otel-collector' }] });
  expect(v.evidence.filter((e) => e.source === 'blocker')).toEqual([{ source: 'blocker', kind: 'blocker', code: 'SidecarCrashLooping', container: 'otel-collector' }]);
});

test('sidecar-startup-slow: a sidecar not started is progress within its startup budget, then Blocked (model/budgets.ts)', () => {
  // recorded: vault-agent running since 22:56:18, not started 6 s later; startup probe every 2s,
  // failureThreshold 30, timeout 1s (default): failing only after 22:57:19
  const now = verdict('sidecar-startup-slow', 'waiting-for-sidecar');
  expect(now.state).toBe('Progressing');
  expect(now.facts).toEqual({ kind: 'waiting', waits: [{ container: 'vault-agent', on: 'startupProbe', until: '2026-11-21T22:57:19Z' }] });
  expect(verdict('sidecar-startup-slow', 'waiting-for-sidecar', '2026-11-21T22:57:18Z').state).toBe('Progressing');
  const later = verdict('sidecar-startup-slow', 'waiting-for-sidecar', '2026-11-21T22:57:30Z');
  expect(later.state).toBe('Blocked');
  expect(later.facts).toEqual({ kind: 'blockers', lead: 'Blocked', blockers: [{ code: 'SidecarNotStarted', container: 'vault-agent' }] });
});

test('rollout/mid-rollout: the new pod 4 s old, its readiness probe inside its budget, is Progressing, not Degraded', () => {
  // recorded: web started 02:10:50, readiness exec every 2s (failureThreshold 3, timeout 1s), two
  // Unhealthy events 02:10:51-52; Ready at 02:10:56: failing only after 50 + 2 × 3 + 1 = 02:10:57
  const v = verdict('rollout', 'mid-rollout');
  expect(v.state).toBe('Progressing');
  expect(v.facts).toEqual({ kind: 'waiting', waits: [{ container: 'web', on: 'readinessProbe', until: '2026-11-30T02:10:57Z' }] });
  expect(verdict('rollout', 'mid-rollout', '2026-11-30T02:10:58Z').state).toBe('Degraded');
});

test('job-retries: Failed, with the container that exited non-zero (task, exit 1, Error)', () => {
  const v = verdict('job-retries', 'failed');
  expect(v.state).toBe('Failed');
  expect(v.facts).toEqual({ kind: 'failed', reason: null, message: null, failing: [{ name: 'task', exitCode: 1, reason: 'Error' }] });
});

test('restarts-20/restarts-3: Ready and running again, but flaky-proxy is in a crash loop (3 restarts, back-off): Blocked until the back-off resets', () => {
  const v = verdict('restarts-20', 'restarts-3');
  expect(v.state).toBe('Blocked');
  expect(v.facts).toEqual({ kind: 'blockers', lead: 'Blocked', blockers: [{ code: 'SidecarCrashLooping', container: 'flaky-proxy' }] });
});

test('ordering/terminating: Terminating within its 30s grace period, deadline the deletionTimestamp', () => {
  const v = verdict('ordering', 'terminating');
  expect(v).toMatchObject({ state: 'Terminating', facts: { kind: 'terminating', gracePeriodSeconds: 30, deadline: '2026-11-21T22:56:55Z' } });
  expect(v.evidence).toContainEqual({ source: 'status', kind: 'deletionTimestamp', time: '2026-11-21T22:56:55Z' });
});
