// Pod objects as they come from the wild (GitOps tools' fixtures, bug reports, support bundles):
// trimmed of conditions or spec fields, or with a container status that lost its name. The verdict
// is judged from the evidence that is there and names what is missing. The objects are the corpus'
// real ones (test/fixtures/corpus/wild-*, with their sources) and a recording, trimmed here the way
// such tools trim them; every status field left is the source's own.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run } from './run.js';

const read = (...p: string[]) => JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', ...p), 'utf8'));
/** Argo CD's healthy pod (gitops-engine pkg/health/testdata/pod-running-restart-always.yaml: Healthy). */
const argoRunning = () => read('corpus', 'wild-argo-running', 'pods.json');
const ARGO_NOW = '2018-12-02T09:30:00Z';

async function describe(list: object, now: string, ...more: string[]) {
  return run(['describe', '-f', '-', '--now', now, ...more], { input: JSON.stringify(list) });
}

test('no conditions at all: every container status running and ready in phase Running is the evidence (Healthy, says what is missing)', async () => {
  const list = argoRunning();
  delete list.items[0].status.conditions;
  const j = JSON.parse((await describe(list, ARGO_NOW, '-o', 'json')).stdout).items[0];
  expect(j.verdict.state).toBe('Healthy');
  expect(j.verdict.summary).toContain('the object has no Ready condition: judged from the container statuses');
  expect(j.verdict.evidence).toContainEqual(expect.objectContaining({ kind: 'allReady', containers: ['main'] }));
  const t = await describe(list, ARGO_NOW, '--exit-code');
  expect(t.code).toBe(0);
  expect(t.stdout).toContain('✓ Healthy');
});

test('no conditions, and the one container not ready: no green check', async () => {
  const list = argoRunning();
  delete list.items[0].status.conditions;
  list.items[0].status.containerStatuses[0].ready = false;
  const r = await describe(list, ARGO_NOW, '--exit-code');
  expect(r.stdout).not.toContain('✓');
  expect(r.code).toBe(2);
});

test('a container status without a name: no phantom container "?", a note on the pod, the missing evidence named', async () => {
  const list = argoRunning();
  delete list.items[0].status.containerStatuses[0].name;
  const j = JSON.parse((await describe(list, ARGO_NOW, '-o', 'json')).stdout).items[0];
  expect(j.containers.map((c: { name: string; index: number }) => [c.name, c.index])).toEqual([['main', 0]]);
  expect(j.notes).toContain('status.containerStatuses[0] has no name: it matches no container and was left out');
  expect(j.verdict.state).toBe('Unknown');
  expect(j.verdict.summary).toBe('Ready=True, but the status has no entry for main: without it the pod\'s health cannot be confirmed');
  const t = await describe(list, ARGO_NOW);
  expect(t.stdout).not.toMatch(/^\s+[ISAE]\d+\s+\?\s/m); // no IDX row named "?"
  expect(t.stdout).toContain('note: status.containerStatuses[0] has no name');
});

test('a trimmed spec (no readiness probe) and no Ready condition: ContainersReady=False names the sidecar that is not ready', async () => {
  const list = read('recordings', 'sidecar-readiness-fail', 'snapshots', 'not-ready', 'pods.json');
  for (const p of list.items) {
    for (const c of [...(p.spec.initContainers ?? []), ...p.spec.containers]) delete c.readinessProbe;
    p.status.conditions = p.status.conditions.filter((c: { type: string }) => c.type !== 'Ready');
  }
  const j = JSON.parse((await describe(list, '2026-11-21T22:56:49Z', '-o', 'json')).stdout).items[0];
  expect(j.blockers.map((b: { code: string; container: string }) => [b.code, b.container])).toEqual([['SidecarNotReady', 'proxy']]);
  expect(j.blockers[0].message).toContain('ContainersReady=False: containers with unready status: [proxy]; the object shows no readiness probe for it');
  expect(j.verdict.state).toBe('Degraded');
});
