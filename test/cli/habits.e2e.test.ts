// kubectl users' habits, through the executable against the local API server: kubectl get's
// spaced `TYPE NAME` form, a not-found that says where the object is, `--version`, and a KUBECONFIG
// that names no file.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

let srv: RunningApiServer;
beforeAll(async () => {
  // deployment/web is recorded in two namespaces (deployment-mesh and rollout); job-retries has job/flaky
  srv = await startApiServer({ scenarios: ['ordering', 'job-retries', 'deployment-mesh', 'rollout'], snapshot: { 'job-retries': 'failed' } });
});
afterAll(() => srv.close());

const kc = () => ['--kubeconfig', srv.kubeconfigPath];
const NOW = ['--now', '2026-11-21T23:03:50Z'];

describe('TYPE NAME (kubectl get\'s spaced form) means TYPE/NAME', () => {
  test.each([
    [['job', 'flaky'], ['job/flaky']],
    [['jobs', 'flaky'], ['job/flaky']],
    [['pod', 'flaky-x2tkx', 'flaky-dhdq7'], ['pod/flaky-x2tkx', 'pod/flaky-dhdq7']],
    [['po', 'flaky-x2tkx'], ['flaky-x2tkx']],
  ])('describe %j prints what describe %j prints', async (spaced, slashed) => {
    const args = [...kc(), '-n', 'rec-job-retries', ...NOW, '-o', 'json', '--no-logs'];
    const a = await run(['describe', ...spaced, ...args]);
    const b = await run(['describe', ...slashed, ...args]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).items.length).toBeGreaterThan(0);
    expect(a.stdout).toBe(b.stdout);
  });

  test('watch job flaky reads the Job, not a pod named "job"', async () => {
    const before = srv.requests.length;
    const r = await run(['watch', 'job', 'flaky', ...kc(), '-n', 'rec-job-retries', '--timeout', '1s', '-o', 'json']);
    expect(r.stderr).toBe('');
    const paths = srv.requests.slice(before).map((q) => q.path);
    expect(paths).toContain('/apis/batch/v1/namespaces/rec-job-retries/jobs/flaky');
    expect(paths).not.toContain('/api/v1/namespaces/rec-job-retries/pods/job');
    const pods = new Set(r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l).pod));
    expect([...pods].sort()).toEqual(['flaky-dhdq7', 'flaky-jjnbc', 'flaky-x2tkx']);
  });

  test('a type alone is kubectl\'s list of that type: pods are every pod, a workload type wants a name', async () => {
    const args = [...kc(), '-n', 'rec-job-retries', ...NOW, '-o', 'json', '--no-logs'];
    const all = await run(['describe', ...args]);
    expect(all.code).toBe(0);
    for (const t of ['pods', 'pod', 'po']) expect((await run(['describe', t, ...args])).stdout).toBe(all.stdout);
    const r = await run(['describe', 'job', ...args]);
    expect(r.stderr).toBe('error: "job" is a resource type: name one (job NAME or job/NAME)\n');
  });
});

describe('not found: where it is, when the user may list there', () => {
  test('found in one other namespace: the error names it and the -n to use', async () => {
    const r = await run(['describe', 'ordering', ...kc(), '-n', 'rec-rollout']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error: pod "ordering" not found in namespace "rec-rollout"; found in namespace "rec-ordering": use -n rec-ordering\n');
  });

  test('several namespaces, for a workload, in watch too', async () => {
    const before = srv.requests.length;
    const r = await run(['watch', 'deploy/web', ...kc(), '-n', 'rec-ordering', '--timeout', '5s']);
    expect(r.stderr).toBe('error: deployment "web" not found in namespace "rec-ordering"; found in namespaces rec-deployment-mesh, rec-rollout: use -n\n');
    // one list across namespaces, by name
    const lists = srv.requests.slice(before).filter((q) => q.path === '/apis/apps/v1/deployments');
    expect(lists.map((q) => q.query.fieldSelector)).toEqual(['metadata.name=web']);
  });

  test('nowhere: the plain line', async () => {
    const r = await run(['describe', 'job/nope', ...kc(), '-n', 'rec-job-retries']);
    expect(r.stderr).toBe('error: job "nope" not found in namespace "rec-job-retries"\n');
  });
});

describe('not found, without the right to list across namespaces', () => {
  let denied: RunningApiServer;
  beforeAll(async () => {
    denied = await startApiServer({ scenarios: ['ordering', 'rollout'], deny: [{ verb: 'list', resource: 'pods' }] });
  });
  afterAll(() => denied.close());

  test('the plain line, nothing about the 403', async () => {
    const r = await run(['describe', 'ordering', '--kubeconfig', denied.kubeconfigPath, '-n', 'rec-rollout']);
    expect(r.stderr).toBe('error: pod "ordering" not found in namespace "rec-rollout"\n');
    // the list was tried, once, and refused
    expect(denied.requests.filter((q) => q.path === '/api/v1/pods').map((q) => q.status)).toEqual([403]);
  });
});

test('--version prints what the version command prints, through kubectl too', async () => {
  const a = await run(['--version']);
  const b = await run(['version']);
  expect(a.code).toBe(0);
  expect(a.stdout).toMatch(/^kubectl-sidecars \d+\.\d+\.\d+/);
  expect(a.stdout).toBe(b.stdout);
  const viaKubectl = await new Promise<string>((resolve) => {
    const PATH = [path.join(ROOT, 'bin'), path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);
    execFile('kubectl', ['sidecars', '--version'], { cwd: ROOT, env: { PATH, HOME: '/nonexistent' } }, (_e, out) => resolve(String(out)));
  });
  expect(viaKubectl).toBe(b.stdout);
});

test('KUBECONFIG naming a file that does not exist says so', async () => {
  const missing = path.join(os.tmpdir(), 'ks-no-such-dir', 'config');
  expect(fs.existsSync(missing)).toBe(false);
  const r = await run(['describe', 'x'], { env: { KUBECONFIG: missing } });
  expect(r.code).toBe(1);
  expect(r.stderr).toBe(`error: KUBECONFIG names ${missing}: no such file (fix KUBECONFIG, or use --kubeconfig)\n`);
});

describe('the NAMESPACE column, as kubectl get pods shows it', () => {
  /** The first header words of kubectl get pods and of our summary, and the first column of their rows. */
  const kubectl = (args: string[]) => new Promise<string>((resolve) => {
    execFile('kubectl', ['get', 'pods', '--kubeconfig', srv.kubeconfigPath, ...args], { env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } }, (_e, out) => resolve(String(out)));
  });
  const shape = (out: string) => out.split('\n\n')[0].split('\n').filter(Boolean).map((l) => l.split(/\s+/)[0]);

  test.each([[['-n', 'rec-job-retries']], [['-A']]])('%j: the header and first column as kubectl get pods prints them', async (args) => {
    const ours = await run(['describe', ...kc(), ...args, '--details', 'none', '--no-logs', ...NOW]);
    expect(ours.code).toBe(0);
    expect(shape(ours.stdout)).toEqual(shape(await kubectl(args)));
  });

  test('pods of several namespaces without -A (files) keep it', async () => {
    const r = await run(['describe', '-f', 'test/fixtures/demo', '--details', 'none', '--now', '2026-11-21T22:57:01Z']);
    expect(r.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+STATUS/);
  });
});
