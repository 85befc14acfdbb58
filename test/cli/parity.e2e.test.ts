// kubectl parity: the spec's image (kubectl describe's Image), with the runtime's image and digest as
// extra fields; the pod IP; -o wide's summary columns as `kubectl get pods -o wide` prints them
// (checked against real kubectl on the same API server); -o name as `kubectl get pods -o name`.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: ['app-crashloop', 'deployment-mesh'], snapshot: { 'app-crashloop': 'crashlooping', 'deployment-mesh': 'running' } });
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

test('-o wide summary: kubectl get pods -o wide\'s IP, NODE, NOMINATED NODE, READINESS GATES (values of the recorded pods)', async () => {
  const ours = await run(['describe', '-A', '-o', 'wide', ...kube()]);
  const lines = ours.stdout.split('\n\n')[0].split('\n');
  expect(lines[0]).toMatch(/AGE\s+IP\s+NODE\s+NOMINATED NODE\s+READINESS GATES$/);
  // (the test API server serves no server-side Table, so kubectl's own columns cannot be compared here)
  const recorded = [['app-crashloop', 'crashlooping'], ['deployment-mesh', 'running']].flatMap(([s, n]) =>
    JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'recordings', s, 'snapshots', n, 'pods.json'), 'utf8')).items);
  expect(recorded.length).toBe(4);
  for (const pod of recorded) {
    const line = lines.find((l) => l.startsWith(`${pod.metadata.namespace} `) && l.split(/\s+/)[1] === pod.metadata.name);
    const gates = pod.spec.readinessGates?.length ? `${pod.spec.readinessGates.length}` : '<none>';
    expect(line?.trim().split(/\s+/).slice(-4)).toEqual([pod.status.podIP, pod.spec.nodeName, pod.status.nominatedNodeName ?? '<none>', gates]);
  }
});

test('-o name: as kubectl get pods -o name', async () => {
  const ours = await run(['describe', '-n', 'rec-deployment-mesh', '-o', 'name', ...kube()]);
  const theirs = await kubectl('get', 'pods', '-n', 'rec-deployment-mesh', '-o', 'name');
  expect(theirs.status).toBe(0);
  expect(ours.stdout).toBe(theirs.stdout);
});
