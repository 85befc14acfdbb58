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

test('sidecar-startup-slow: a sidecar not started is progress for a minute, then Blocked (model/verdict.ts SIDECAR_START_SECONDS)', () => {
  // recorded: vault-agent running since 22:56:18, not started 6 s later
  const now = verdict('sidecar-startup-slow', 'waiting-for-sidecar');
  expect(now.state).toBe('Progressing');
  expect(now.facts).toEqual({ kind: 'blockers', lead: 'Progressing', blockers: [{ code: 'SidecarNotStarted', container: 'vault-agent' }] });
  const later = verdict('sidecar-startup-slow', 'waiting-for-sidecar', '2026-11-21T22:57:30Z');
  expect(later.state).toBe('Blocked');
  expect(later.facts).toMatchObject({ kind: 'blockers', lead: 'Blocked' });
});

test('job-retries: Failed, with the container that exited non-zero (task, exit 1, Error)', () => {
  const v = verdict('job-retries', 'failed');
  expect(v.state).toBe('Failed');
  expect(v.facts).toEqual({ kind: 'failed', reason: null, message: null, failing: [{ name: 'task', exitCode: 1, reason: 'Error' }] });
});

test('restarts-20/restarts-3: Ready, but a recent restart makes it Degraded (flaky-proxy, 3 restarts, exit 1 at 02:38:47)', () => {
  const v = verdict('restarts-20', 'restarts-3');
  expect(v.state).toBe('Degraded');
  expect(v.facts).toEqual({ kind: 'recentRestarts', restarts: [{ container: 'flaky-proxy', count: 3, agoSeconds: 4.885, exitCode: 1 }] });
  expect(v.evidence).toContainEqual({ source: 'status', kind: 'restarted', container: 'flaky-proxy', count: 3, exitCode: 1, finishedAt: '2026-11-30T02:38:47Z' });
});

test('ordering/terminating: Terminating within its 30s grace period, deadline the deletionTimestamp', () => {
  const v = verdict('ordering', 'terminating');
  expect(v).toMatchObject({ state: 'Terminating', facts: { kind: 'terminating', gracePeriodSeconds: 30, deadline: '2026-11-21T22:56:55Z' } });
  expect(v.evidence).toContainEqual({ source: 'status', kind: 'deletionTimestamp', time: '2026-11-21T22:56:55Z' });
});
