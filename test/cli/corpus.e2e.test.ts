// Pods in the states of docs/lifecycle.md "Beyond sidecars" that no recording shows, shaped after
// real objects of peers' test suites and the Kubernetes source (test/fixtures/corpus/README.md):
// each case's expected.json says, with its sources, the verdict and blockers the pod must get.
// Run through the executable with -f, as a user with a support bundle would.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PodLifecycleList } from '../../src/model/types.js';
import { ROOT, run } from './run.js';

const CORPUS = join(ROOT, 'test', 'fixtures', 'corpus');
interface Expected {
  now: string; verdict: string; blockers: string[]; notBlockers?: string[]; mustMention?: string[]; adviceMustMention?: string[];
  /** strings the text output must hold (sections other than the blockers: termination, verdict, notes) */
  textMustMention?: string[];
  workload?: { kind: string; name: string; state: string; reason: string; lastFailedPod: string };
  /** wild-* cases: the real object's public source, and what that source says of it */
  origin?: { repo: string; path: string; commit: string; url: string; transform: string[] };
  sourceSays?: { tool: string; health?: string; status?: string; ready?: string };
}

/**
 * What another tool's word allows of ours: its healthy is our Healthy or Completed, its
 * degraded/unhealthy/warning one of our failures, its progressing a state still moving.
 */
const ALLOWED: Record<string, string[]> = {
  Healthy: ['Healthy', 'Completed'], healthy: ['Healthy', 'Completed'], true: ['Healthy', 'Completed'],
  Degraded: ['Degraded', 'Blocked', 'Failed'], unhealthy: ['Degraded', 'Blocked', 'Failed'], warning: ['Degraded', 'Blocked', 'Failed'],
  Progressing: ['Progressing', 'Terminating'], unknown: ['Unknown', 'Blocked', 'Terminating'],
  'Current: Pod is Ready': ['Healthy'], 'Current: Pod has completed successfully': ['Completed'],
  'Pod has completed, but not successfully': ['Failed'], 'InProgress: Pod is running but is not Ready': ['Progressing', 'Degraded'],
  'Failed: Containers in CrashLoop state: app': ['Degraded', 'Blocked'], Failed: ['Failed'],
};

const cases = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

test('the corpus lists at least 20 cases (an empty listing would pass every case below vacuously)', () => expect(cases.length).toBeGreaterThanOrEqual(20));

describe.each(cases)('%s', (name) => {
  const dir = join(CORPUS, name);
  const exp = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;

  test('verdict and blockers as the sources say', async () => {
    const r = await run(['describe', '-f', dir, '--now', exp.now, '-o', 'json']);
    expect(r.stderr).toBe('');
    const [p] = (JSON.parse(r.stdout) as PodLifecycleList).items;
    const codes = p.blockers.map((b) => b.code);
    expect({ verdict: p.verdict.state, blockers: codes.filter((c) => exp.blockers.includes(c)) }).toEqual({ verdict: exp.verdict, blockers: exp.blockers });
    for (const c of exp.notBlockers ?? []) expect(codes).not.toContain(c);
    const said = p.blockers.map((b) => `${b.container ?? ''} ${b.message}`).join('\n');
    for (const m of exp.mustMention ?? []) expect(said).toContain(m);
    const advised = p.advice.map((a) => a.message).join('\n');
    for (const m of exp.adviceMustMention ?? []) expect(advised).toContain(m);
  });

  if (exp.textMustMention) {
    test('the text says what the data holds', async () => {
      const r = await run(['describe', '-f', dir, '--now', exp.now]);
      for (const m of exp.textMustMention!) expect(r.stdout).toContain(m);
    });
  }

  if (exp.origin) {
    test('a real object: its source recorded, our verdict within what the source says', () => {
      const o = exp.origin!;
      expect(o.url).toBe(`https://github.com/${o.repo}/blob/${o.commit}/${o.path}`);
      expect(o.commit).toMatch(/^[0-9a-f]{40}$/);
      const said = exp.sourceSays!;
      const word = said.health ?? said.ready ?? said.status!;
      expect(ALLOWED[word]).toContain(exp.verdict);
    });
  }

  if (exp.workload) {
    test('the workload\'s own outcome, from the files', async () => {
      const w = exp.workload!;
      const r = await run(['describe', '-f', dir, `${w.kind.toLowerCase()}/${w.name}`, '--now', exp.now, '-o', 'json']);
      expect(r.stderr).toBe('');
      const list = JSON.parse(r.stdout) as PodLifecycleList;
      expect(list.workloads?.[0]).toMatchObject({ kind: w.kind, name: w.name, state: w.state, reason: w.reason, lastFailedPod: { name: w.lastFailedPod } });
    });
  }

  test('--exit-code: 0 only for Healthy and Completed', async () => {
    const r = await run(['describe', '-f', dir, '--now', exp.now, '--exit-code']);
    expect(r.code).toBe(['Healthy', 'Completed'].includes(exp.verdict) && exp.blockers.length === 0 ? 0 : exp.verdict === 'Progressing' || exp.verdict === 'Terminating' ? (exp.blockers.length ? 2 : 0) : 2);
    // the green check only with positive evidence
    expect(r.stdout.includes('✓')).toBe(['Healthy', 'Completed'].includes(exp.verdict));
  });
});
