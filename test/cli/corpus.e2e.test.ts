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
  workload?: { kind: string; name: string; state: string; reason: string; lastFailedPod: string };
}

const cases = readdirSync(CORPUS, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);

test('the corpus is there', () => expect(cases.length).toBeGreaterThanOrEqual(20));

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
