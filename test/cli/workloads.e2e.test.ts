// TYPE/NAME targets: the workload's own outcome comes first (docs/output-contract.md `workloads`),
// read from the recorded Job / Deployment objects the local API server serves.
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import type { PodLifecycleList } from '../../src/model/types.js';
import { run } from './run.js';

describe('job/flaky after its backoff limit (job-retries, snapshot failed)', () => {
  let server: RunningApiServer;
  beforeAll(async () => {
    server = await startApiServer({ scenarios: ['job-retries'], snapshot: 'failed' });
  });
  afterAll(() => server.close());
  const base = () => ['--kubeconfig', server.kubeconfigPath, '-n', 'rec-job-retries', '--now', '2026-11-21T23:03:50Z'];

  test('json: the Job failed with BackoffLimitExceeded; the last failed pod and its last log line', async () => {
    const r = await run(['describe', 'job/flaky', ...base(), '-o', 'json']);
    expect(r.stderr).toBe('');
    const list = JSON.parse(r.stdout) as PodLifecycleList;
    // recorded Job status: Failed=True, reason BackoffLimitExceeded, "Job has reached the specified backoff limit", failed 3
    expect(list.workloads).toEqual([expect.objectContaining({
      kind: 'Job', namespace: 'rec-job-retries', name: 'flaky', state: 'Failed', reason: 'BackoffLimitExceeded',
      message: 'Job has reached the specified backoff limit', since: '2026-11-21T23:03:47Z',
    })]);
    const w = list.workloads![0];
    expect([...w.pods].sort()).toEqual(['flaky-dhdq7', 'flaky-jjnbc', 'flaky-x2tkx']);
    expect(w.counts).toMatchObject({ failed: 3, active: 0 });
    // the third attempt (started 23:03:40) failed last: task exit 1, "connection reset by peer"
    expect(w.lastFailedPod).toMatchObject({ name: 'flaky-x2tkx', container: 'task', exitCode: 1, lastLogLine: 'connection reset by peer' });
    expect(list.items.every((p) => p.verdict.state === 'Failed')).toBe(true);
  });

  test('text: the outcome is printed first; --exit-code 2', async () => {
    const r = await run(['describe', 'job/flaky', ...base(), '--exit-code', '--color', 'never']);
    expect(r.code).toBe(2);
    const first = r.stdout.split('\n').slice(0, 3).join('\n');
    expect(first).toMatch(/^Job\/flaky\s+Failed \(BackoffLimitExceeded\), since 23:03:47Z/);
    expect(first).toContain('last failed pod flaky-x2tkx: task exited 1 (Error)');
    expect(first).toContain('"connection reset by peer"');
    expect(r.stdout).not.toContain('✓');
  });
});

describe('deployment/web during and after a rollout (rollout)', () => {
  // the rule that held (JSON facts) and the counts it is worded from, as the recorded Deployment reports them
  const cases: [string, string, string, string, Record<string, number>][] = [
    ['mid-rollout', 'Progressing', '1 of 2 new replicas have been updated', 'replicasUpdating', { updated: 1, desired: 2 }],
    ['after', 'Available', 'rolled out: 2 of 2 replicas available', 'rolledOut', { available: 2, desired: 2 }],
  ];
  test.each(cases)('%s: %s', async (snapshot, state, message, rule, counts) => {
    const server = await startApiServer({ scenarios: ['rollout'], snapshot });
    try {
      const r = await run(['describe', 'deployment/web', '--kubeconfig', server.kubeconfigPath, '-n', 'rec-rollout', '-o', 'json']);
      expect(r.stderr).toBe('');
      const list = JSON.parse(r.stdout) as PodLifecycleList;
      expect(list.workloads?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', state, message, facts: { rule }, counts });
    } finally {
      await server.close();
    }
  });
});
