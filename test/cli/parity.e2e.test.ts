// kubectl parity: the spec's image (kubectl describe's Image), with the runtime's image and digest as
// extra fields; the pod IP; -o wide's summary columns as `kubectl get pods -o wide` prints them
// (checked against real kubectl on the same API server); -o name as `kubectl get pods -o name`.
// The recordings have no readiness gates: the corpus pod readiness-gate-false (one of its two gates
// False, test/fixtures/corpus/README.md) is served beside them so that column is checked too.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

const GATES = join(ROOT, 'test', 'fixtures', 'corpus', 'readiness-gate-false');
const items = (file: string) => JSON.parse(readFileSync(file, 'utf8')).items;
let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: ['app-crashloop', 'deployment-mesh'], snapshot: { 'app-crashloop': 'crashlooping', 'deployment-mesh': 'running' },
    extra: { pods: items(join(GATES, 'pods.json')), events: items(join(GATES, 'events.json')) } });
});
afterAll(() => srv.close());
const kube = () => ['--kubeconfig', srv.kubeconfigPath, '--now', '2026-11-21T23:03:58Z', '--color', 'never'];
// asynchronous: the API server answers from this very process
const kubectl = (...args: string[]) => new Promise<{ status: number; stdout: string }>((resolve) => {
  execFile('kubectl', ['--kubeconfig', srv.kubeconfigPath, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } },
    (e, stdout) => resolve({ status: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout }));
});

test('the spec\'s image, the running image and digest as extra fields, the pod IP (JSON)', async () => {
  const r = await run(['describe', 'app-crash', '-n', 'rec-app-crashloop', '-o', 'json', ...kube()]);
  const p = JSON.parse(r.stdout).items[0];
  // the recording: the manifest asks for busybox:1.36; containerd reports another name of the same digest
  const api = p.containers.find((c: any) => c.name === 'api');
  expect(api).toMatchObject({ image: 'busybox:1.36', statusImage: 'cr.fluentbit.io/fluent/fluent-bit:3.1.4',
    imageID: 'sha256:f9d7565ee81c50d5af4eb4b3541384fc42aa97b0640cff4456aa8829572bdfb8' });
  expect(p.pod).toMatchObject({ ip: '10.244.0.117', nominatedNode: null, readinessGates: [] });
  // new fields come after the contract's fixed ones
  expect(Object.keys(p.pod).indexOf('ip')).toBeGreaterThan(Object.keys(p.pod).indexOf('terminationGracePeriodSeconds'));
});

test('text shows the pod IP and the spec\'s image; wide adds what runs', async () => {
  const t = await run(['describe', 'app-crash', '-n', 'rec-app-crashloop', ...kube()]);
  expect(t.stdout.split('\n')[0]).toContain('IP 10.244.0.117');
  const w = await run(['describe', 'app-crash', '-n', 'rec-app-crashloop', '-o', 'wide', ...kube()]);
  expect(w.stdout).toMatch(/A0\s+api\s+app\s+.*busybox:1\.36/);
  expect(w.stdout).toMatch(/IDX\s+NAME\s+RUNNING IMAGE\s+IMAGE ID\n.*\n\s+A0\s+api\s+cr\.fluentbit\.io\/fluent\/fluent-bit:3\.1\.4\s+sha256:f9d7565e/);
});

test('-o wide summary: kubectl get pods -o wide\'s IP, NODE, NOMINATED NODE, READINESS GATES as ready/total (the recorded pods and a gated corpus pod; gates counted from kubectl describe pod)', async () => {
  const ours = await run(['describe', '-A', '-o', 'wide', ...kube()]);
  const lines = ours.stdout.split('\n\n')[0].split('\n');
  expect(lines[0]).toMatch(/AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
  // (the test API server serves no server-side Table, so kubectl get's own columns cannot be compared here)
  const served = [['app-crashloop', 'crashlooping'], ['deployment-mesh', 'running']].flatMap(([s, n]) =>
    items(join(ROOT, 'test', 'fixtures', 'recordings', s, 'snapshots', n, 'pods.json'))).concat(items(join(GATES, 'pods.json')));
  expect(served.length).toBe(5);
  const withGates: string[] = [];
  for (const pod of served) {
    const line = lines.find((l) => l.startsWith(`${pod.metadata.namespace} `) && l.split(/\s+/)[1] === pod.metadata.name);
    const gates = await readinessGatesOfKubectl(pod.metadata.namespace, pod.metadata.name);
    if (gates !== '<none>') withGates.push(`${pod.metadata.name} ${gates}`);
    expect(line?.trim().split(/\s+/).slice(-4)).toEqual([pod.status.podIP, pod.spec.nodeName, pod.status.nominatedNodeName ?? '<none>', gates]);
  }
  // the gated pod was compared: one gate of two True
  expect(withGates).toEqual(['pod-ready 1/2']);
});

/**
 * READINESS GATES as kubectl get -o wide prints it (printers.go: gates whose condition is True, slash,
 * gates), counted from kubectl describe pod's "Readiness Gates:" table of the same pod; <none> without one.
 */
async function readinessGatesOfKubectl(namespace: string, name: string): Promise<string> {
  const r = await kubectl('describe', 'pod', name, '-n', namespace);
  expect(r.status).toBe(0);
  const m = /^Readiness Gates:\n\s+Type\s+Status\n((?:[ \t]+\S+\s+\S+[ \t]*\n)+)/m.exec(r.stdout);
  if (!m) return '<none>';
  const rows = m[1].trim().split('\n').map((l) => l.trim().split(/\s+/));
  return `${rows.filter(([, status]) => status === 'True').length}/${rows.length}`;
}

test('-o name: as kubectl get pods -o name', async () => {
  const ours = await run(['describe', '-n', 'rec-deployment-mesh', '-o', 'name', ...kube()]);
  const theirs = await kubectl('get', 'pods', '-n', 'rec-deployment-mesh', '-o', 'name');
  expect(theirs.status).toBe(0);
  expect(ours.stdout).toBe(theirs.stdout);
});
