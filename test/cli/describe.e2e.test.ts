// `kubectl sidecars describe` end to end, as a user runs it: the built executable, a kubeconfig,
// and the local API server answering with the real recorded responses. For every recording:
// the facts that happened there (JSON) and the full text output (golden file, fixed now).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import type { PodLifecycle, PodLifecycleList } from '../../src/model/types.js';
import { ROOT, run } from './run.js';

const RECORDINGS = join(ROOT, 'test', 'fixtures', 'recordings');
const GOLDEN = join(ROOT, 'test', 'golden', 'cli');
const UPDATE = !!process.env.UPDATE_GOLDEN;

/** The moment a snapshot was taken; last-seen (built from the streams) ends with the last line. */
function takenAt(scenario: string, snapshot: string): string {
  const f = join(RECORDINGS, scenario, 'snapshots', snapshot, 'taken-at');
  if (existsSync(f)) return readFileSync(f, 'utf8').trim();
  const lines = readFileSync(join(RECORDINGS, scenario, 'pods.watch.jsonl'), 'utf8').trim().split('\n');
  return lines[lines.length - 1].split('\t')[0];
}

const byName = (p: PodLifecycle, name: string) => {
  const c = p.containers.find((x) => x.name === name);
  if (!c) throw new Error(`no container ${name} in ${p.pod.name}`);
  return c;
};
const ms = (t: string | null) => (t ? Date.parse(t) : NaN);
const codes = (p: PodLifecycle) => p.blockers.map((b) => b.code);

/** What happened in each recording, as an operator would state it. */
const FACTS: Record<string, (items: PodLifecycle[]) => void> = {
  'ordering/running': ([p]) => {
    expect(p.containers.map((c) => [c.name, c.kind])).toEqual([
      ['init-config', 'init'], ['first-sidecar', 'sidecar'], ['second-sidecar', 'sidecar'], ['app', 'app'],
    ]);
    const starts = ['init-config', 'first-sidecar', 'second-sidecar', 'app'].map((n) => ms(byName(p, n).startedAt));
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    expect(new Set(starts).size).toBe(4);
    expect(byName(p, 'init-config').finishedAt! <= byName(p, 'first-sidecar').startedAt!).toBe(true);
    expect(p.pod).toMatchObject({ status: 'Running', ready: '3/3' });
    expect(p.blockers).toEqual([]);
    expect(p.termination).toBeNull();
  },
  'ordering/last-seen': ([p]) => {
    expect(p.termination).toMatchObject({ order: ['app', 'second-sidecar', 'first-sidecar'], ordered: true, violations: [], killed: [] });
    expect(p.termination!.trigger).toBe('deletion');
  },
  'job-native-sidecar/completed': ([p]) => {
    expect(p.pod.status).toBe('Completed');
    expect(p.verdict.state).toBe('Completed');
    expect(byName(p, 'api').kind).toBe('sidecar');
    expect(p.termination).toMatchObject({ order: ['client', 'api'], ordered: true, killed: ['api'] });
    expect(byName(p, 'api').exitCode).toBe(137);
    expect(p.blockers).toEqual([]);
    expect(p.advice.map((a) => a.code)).toContain('GracePeriodTooShort');
  },
  'job-legacy-sidecar/stuck': ([p]) => {
    expect(byName(p, 'istio-proxy').kind).toBe('app');
    expect(byName(p, 'istio-proxy').legacySidecar).not.toBeNull();
    expect(codes(p)).toContain('LegacySidecarBlocksCompletion');
    expect(p.advice.find((a) => a.code === 'LegacySidecar')?.message).toMatch(/initContainers.*restartPolicy: Always/);
  },
  'sidecar-readiness-fail/not-ready': ([p]) => {
    const b = p.blockers.find((x) => x.code === 'SidecarNotReady');
    expect(b?.container).toBe('proxy');
    expect(b?.message).toMatch(/upstream not configured/);
    expect(p.pod.ready).toBe('1/2');
  },
  'sidecar-liveness-fail/restarting': ([p]) => {
    const r = p.restarts.find((x) => x.kind === 'sidecar');
    expect(r?.count).toBeGreaterThan(0);
    expect(r?.causes).toContain('LivenessProbeFailed');
  },
  'sidecar-startup-slow/waiting-for-sidecar': ([p]) => {
    // 6s into its startup probe's budget (2s × 30 + 1s timeout from 22:56:18): waited on, not a blocker
    expect(p.blockers).toEqual([]);
    expect(p.verdict.state).toBe('Progressing');
    expect(p.waitingOn.map((w) => [w.container, w.on, w.until])).toEqual([['vault-agent', 'startupProbe', '2026-11-21T22:57:19Z']]);
    expect(p.pod.status).toMatch(/^Init:0\//);
  },
  'rollout/mid-rollout': (pods) => {
    // the new pod, 4s old: its readiness probe (2s × 3 + 1s from 02:10:50) has not used its budget
    const p = pods.find((x) => x.pod.name === 'web-5bb656864b-t5wlj')!;
    expect(p.blockers).toEqual([]);
    expect(p.verdict.state).toBe('Progressing');
    expect(p.waitingOn.map((w) => [w.container, w.on, w.until])).toEqual([['web', 'readinessProbe', '2026-11-30T02:10:57Z']]);
  },
  'sidecar-startup-slow/ready': ([p]) => {
    expect(p.blockers).toEqual([]);
    expect(p.advice.map((a) => a.code)).toContain('SlowSidecarStartup');
    expect(ms(byName(p, 'migrate').startedAt) - ms(byName(p, 'vault-agent').startedAt)).toBeGreaterThanOrEqual(10000);
  },
  'init-crashloop/crashlooping': ([p]) => {
    expect(codes(p)).toContain('InitContainerFailing');
    expect(p.pod.status).toMatch(/^Init:(CrashLoopBackOff|Error)$/);
  },
  'image-pull-fail/pull-backoff': ([p]) => {
    expect(p.blockers.map((b) => b.code)).toContain('ImagePullFailing');
    expect(p.pod.status).toMatch(/^Init:(ErrImagePull|ImagePullBackOff)$/);
  },
  'sidecar-crashloop/crashlooping': ([p]) => {
    expect(codes(p)).toContain('SidecarCrashLooping');
    expect(p.restarts[0].backOff?.events).toBeGreaterThan(0);
  },
  'app-crashloop/crashlooping': ([p]) => {
    expect(codes(p)).toContain('ContainerCrashLooping');
    expect(p.termination).toBeNull();
  },
  'unschedulable-requests/pending': ([p]) => {
    expect(codes(p)).toEqual(['Unschedulable']);
    expect(p.resources.requests.cpu).toBe('2500m');
  },
  'deployment-mesh/running': (items) => {
    expect(items).toHaveLength(3);
    for (const p of items) {
      expect(p.pod).toMatchObject({ status: 'Running', ready: '2/2' });
      expect(p.blockers).toEqual([]);
    }
  },
  'istio-native/running': ([p]) => {
    expect(p.containers.map((c) => [c.name, c.kind])).toEqual([['istio-init', 'init'], ['istio-proxy', 'sidecar'], ['reviews', 'app']]);
  },
  'istio-native/last-seen': ([p]) => {
    expect(p.termination).toMatchObject({ order: ['reviews', 'istio-proxy'], ordered: true });
  },
  'init-interleaved/running': ([p]) => {
    expect(p.containers.map((c) => c.kind)).toEqual(['init', 'sidecar', 'init', 'sidecar', 'app', 'app']);
    // migrate runs beside vault-agent: it starts after vault-agent started, before log-shipper
    expect(ms(byName(p, 'migrate').startedAt)).toBeGreaterThanOrEqual(ms(byName(p, 'vault-agent').startedAt));
    expect(ms(byName(p, 'log-shipper').startedAt)).toBeGreaterThanOrEqual(ms(byName(p, 'migrate').finishedAt));
  },
  'job-retries/failed': (items) => {
    expect(items).toHaveLength(3);
    for (const p of items) {
      expect(p.pod.phase).toBe('Failed');
      expect(p.termination?.ordered).toBe(true);
      // never a green check for a failed pod: the task's exit and its last words
      expect(p.verdict.state).toBe('Failed');
      expect(codes(p)).toEqual(['PodFailed']);
      expect(p.blockers[0].message).toContain('"connection reset by peer"');
    }
  },
  'sidecar-liveness-fail/last-seen': ([p]) => {
    expect(p.verdict.state).toBe('Degraded');
    expect(codes(p)).toContain('ContainerUnhealthy');
  },
  // v1.35 recordings
  'sandbox-fails/no-sandbox': ([p]) => {
    expect(p.verdict.state).toBe('Blocked');
    expect(codes(p)).toEqual(['SandboxNotReady']);
    expect(p.blockers[0].message).toContain('no runtime for "runsc" is configured');
  },
  'poststart-fails/hook-failing': ([p]) => {
    expect(codes(p)).toEqual(['HookFailed']);
    expect(p.blockers[0].container).toBe('cert-agent');
    expect(codes(p)).not.toContain('ContainerConfigError');
    // recorded: Killing "FailedPostStartHook" ×3: the restarts were the kubelet's kills, said so
    expect(p.restarts.find((r) => r.container === 'cert-agent')?.evidence.join('\n')).toMatch(/killed by the kubelet after its postStart hook failed: Killing "FailedPostStartHook" ×3/);
  },
  'resize-infeasible/infeasible': ([p]) => {
    expect(codes(p)).toEqual(['ResizeNotApplied']);
    expect(p.verdict.state).toBe('Degraded');
    // the scheduler counts the status resources when the resize is Infeasible: 100m + 200m, not 1000 CPUs
    expect(p.resources.requests.cpu).toBe('300m');
  },
  'restart-rules/retrying': ([p]) => {
    expect(p.blockers).toEqual([]);
    const r = p.restarts.find((x) => x.container === 'app');
    expect(r?.restartRule).toMatch(/in \[42\]/);
    // the rule as facts beside it (the recorded spec: restartPolicyRules Restart on exit code In [42])
    expect(r?.restartRuleFacts).toEqual({ action: 'Restart', operator: 'In', values: [42] });
    expect(r?.evidenceFacts).toContainEqual(expect.objectContaining({ kind: 'lastExit', exitCode: 42, rule: { action: 'Restart', operator: 'In', values: [42] } }));
    expect(p.verdict.state).toBe('Healthy'); // a restart its rules asked for is not a crash
  },
  'restart-rules/finished': ([p]) => {
    expect(p.verdict.state).toBe('Completed');
    // the final exit 0 is the outcome, not a restart; the kubelet dropped lastState once the pod was
    // over, and with restartPolicy Never only the exit-42 rule restarts the app
    const r = p.restarts.find((x) => x.container === 'app');
    expect(r).toMatchObject({ count: 2, last: null, causes: ['Error'], restartRule: 'Restart when the exit code is in [42]' });
  },
  'restarts-20/backoff-20': ([p]) => {
    expect(codes(p)).toEqual(['SidecarCrashLooping']);
    expect(p.pod.restarts).toBe(20);
  },
  'rollout/after': (items) => {
    for (const p of items) expect(p.verdict.state).toBe('Healthy');
  },

  'cronjob/completed': ([p]) => {
    expect(p.pod.owner?.kind).toBe('Job');
    expect(p.pod.status).toBe('Completed');
  },
  'statefulset/running': (items) => {
    expect(items.map((p) => p.pod.name).sort()).toEqual(['db-0', 'db-1']);
  },
};

const cases: [string, string][] = [];
for (const scenario of readdirSync(RECORDINGS).filter((d) => existsSync(join(RECORDINGS, d, 'snapshots')))) {
  for (const snapshot of readdirSync(join(RECORDINGS, scenario, 'snapshots'))) cases.push([scenario, snapshot]);
}

describe.each(cases)('%s/%s', (scenario, snapshot) => {
  let server: RunningApiServer;
  beforeAll(async () => {
    server = await startApiServer({ scenarios: [scenario], snapshot });
  });
  afterAll(() => server.close());
  const base = () => ['--kubeconfig', server.kubeconfigPath, '-n', `rec-${scenario}`, '--now', takenAt(scenario, snapshot), '--logs'];

  test('json: the contract shape and what happened', async () => {
    const r = await run(['describe', ...base(), '-o', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as PodLifecycleList;
    expect(list).toMatchObject({ apiVersion: 'kubectl-sidecars/v1alpha1', kind: 'PodLifecycleList' });
    expect(list.items.length).toBeGreaterThan(0);
    FACTS[`${scenario}/${snapshot}`]?.(list.items);
    // the plugin only ever reads
    expect(server.requests.every((q) => q.method === 'GET')).toBe(true);
  });

  test('text (--details all) equals its reviewed golden file', async () => {
    // every pod's details (the default shows only those with a problem: test/cli/details.e2e.test.ts)
    const r = await run(['describe', ...base(), '--color', 'never', '--details', 'all']);
    expect(r.code).toBe(0);
    const file = join(GOLDEN, `${scenario}.${snapshot}.txt`);
    if (UPDATE) {
      mkdirSync(GOLDEN, { recursive: true });
      writeFileSync(file, r.stdout);
    }
    // a missing golden file fails (UPDATE_GOLDEN=1 writes it, to be reviewed as a diff)
    expect(existsSync(file) ? readFileSync(file, 'utf8') : `missing golden file ${file}`).toBe(r.stdout);
    // off a TTY the width is 120: the charts fit it (tables and prose run as long as kubectl's)
    expect(r.stdout.split('\n').filter((l) => /[━┬▲■✕▶]/.test(l) && [...l].length > 120)).toEqual([]);
  });
});

test('every scenario with facts was exercised', () => {
  const have = new Set(cases.map(([s, n]) => `${s}/${n}`));
  expect(Object.keys(FACTS).filter((k) => !have.has(k))).toEqual([]);
});

describe('--exit-code: 2 when a pod is blocked, for CI gates', () => {
  let server: RunningApiServer;
  beforeAll(async () => {
    server = await startApiServer({ scenarios: ['sidecar-readiness-fail', 'ordering'], snapshot: { 'sidecar-readiness-fail': 'not-ready', ordering: 'running' } });
  });
  afterAll(() => server.close());

  test.each([
    ['rec-sidecar-readiness-fail', [], 2],
    ['rec-sidecar-readiness-fail', ['readiness'], 2],
    ['rec-ordering', [], 0],
    ['rec-ordering', ['ordering'], 0],
  ] as [string, string[], number][])('%s %j', async (ns, names, code) => {
    for (const output of ['text', 'json', 'yaml']) {
      const r = await run(['describe', ...names, '--kubeconfig', server.kubeconfigPath, '-n', ns, '--exit-code', '-o', output]);
      expect({ output, code: r.code, stderr: r.stderr }).toEqual({ output, code, stderr: '' });
      if (output === 'json') expect(JSON.parse(r.stdout).items.length).toBe(1);
    }
    // without the flag a blocked pod is still a successful describe (and a whole JSON document)
    const plain = await run(['describe', ...names, '--kubeconfig', server.kubeconfigPath, '-n', ns, '-o', 'json']);
    expect(plain.code).toBe(0);
    expect(JSON.parse(plain.stdout).items.length).toBe(1);
  });
});

// A CI gate on a normal rolling update: every snapshot of the rollout recording, at its own moment,
// exits 0, and no pod is Degraded or worse (the new pod 4s old waits on its readiness probe's budget).
describe('--exit-code over a normal rolling update (rollout recording): 0 at every snapshot', () => {
  test.each(readdirSync(join(RECORDINGS, 'rollout', 'snapshots')))('%s', async (snapshot) => {
    const server = await startApiServer({ scenarios: ['rollout'], snapshot });
    try {
      const r = await run(['describe', '--kubeconfig', server.kubeconfigPath, '-n', 'rec-rollout', '--now', takenAt('rollout', snapshot), '--exit-code', '-o', 'json']);
      expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
      const items = (JSON.parse(r.stdout) as PodLifecycleList).items;
      expect(items.filter((p) => !['Healthy', 'Progressing', 'Terminating'].includes(p.verdict.state)).map((p) => [p.pod.name, p.verdict.state])).toEqual([]);
      expect(items.flatMap((p) => p.blockers)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
