// `kubectl sidecars <TAB>` through real kubectl (1.26+ asks a `kubectl_complete-sidecars` executable
// on PATH): commands, flags, flag values, namespaces, pod names and TYPE/NAME from the test API server.
// kubectl is run asynchronously: the API server answers from this very process.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, delimiter, join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: ['deployment-mesh', 'ordering', 'job-native-sidecar'] });
});
afterAll(() => srv.close());

/** `kubectl __complete sidecars WORDS...` (what the shell's completion function runs): candidates and directive. */
function tab(...words: string[]): Promise<{ items: string[]; directive: string; code: number; ms: number }> {
  return tabEnv({}, ...words);
}

/** tab() with more environment (KUBECONFIG of its own). */
function tabEnv(more: Record<string, string>, ...words: string[]): Promise<{ items: string[]; directive: string; code: number; ms: number }> {
  const env = { PATH: [join(ROOT, 'bin'), dirname(process.execPath), process.env.PATH ?? ''].join(delimiter), HOME: '/nonexistent', KUBECONFIG: srv.kubeconfigPath, ...more };
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile('kubectl', ['__complete', 'sidecars', ...words], { cwd: ROOT, env, encoding: 'utf8', timeout: 30000 }, (e, stdout) => {
      const lines = stdout.trim().split('\n');
      resolve({ items: lines.slice(0, -1).map((l) => l.split('\t')[0]), directive: lines[lines.length - 1], code: e ? 1 : 0, ms: Date.now() - t0 });
    });
  });
}

test('commands, then flags of the command', async () => {
  expect((await tab('')).items).toEqual(['describe', 'watch', 'version', 'completion']);
  expect((await tab('w')).items).toEqual(['watch']);
  const f = await tab('watch', '--u');
  expect(f).toMatchObject({ items: ['--utc', '--user', '--until'], directive: ':4' });
  expect((await tab('describe', '--det')).items).toEqual(['--details']);
  expect((await tab('watch', '--until', '')).items).toEqual(['initialized', 'ready', 'complete', 'deleted']);
  expect((await tab('watch', '-o', '')).items).toEqual(['text', 'wide', 'json']);
});

test('pod names of the kubeconfig\'s namespace (and TYPE/ prefixes), from the API server', async () => {
  const r = await tab('describe', '');
  expect(r.code).toBe(0);
  // the kubeconfig's namespace is rec-deployment-mesh: its three recorded pods
  expect(r.items.filter((i) => !i.endsWith('/'))).toEqual(['web-5f9c997948-dxxbm', 'web-5f9c997948-kdp9k', 'web-5f9c997948-q22xp']);
  expect(r.items).toContain('deployment/');
  expect((await tab('describe', 'web-5f9c997948-k')).items).toEqual(['web-5f9c997948-kdp9k']);
  expect((await tab('watch', '-n', 'rec-ordering', '')).items.filter((i) => !i.endsWith('/'))).toEqual(['ordering']);
});

test('namespaces and TYPE/NAME', async () => {
  expect((await tab('describe', '-n', 'rec-')).items).toEqual(['rec-deployment-mesh', 'rec-job-native-sidecar', 'rec-ordering']);
  expect((await tab('describe', 'deploy/')).items).toEqual(['deploy/web']);
  expect((await tab('describe', '-n', 'rec-job-native-sidecar', 'job/')).items).toEqual(['job/podbee']);
  // only GETs reached the server
  expect([...new Set(srv.requests.map((q) => q.method))]).toEqual(['GET']);
});

test('silent on errors: an unreachable cluster completes nothing, quickly, with no error text', async () => {
  const r = await tab('describe', '--kubeconfig', '/nonexistent/config', '');
  expect(r.code).toBe(0);
  expect(r.items.filter((i) => !i.endsWith('/'))).toEqual([]);
  expect(r.directive).toMatch(/^:\d+$/);
  expect(r.ms).toBeLessThan(5000);
});

/** A kubeconfig of several contexts, clusters and users (the second file of KUBECONFIG adds its own). */
function kubeconfigs(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ks-complete-'));
  const base = readFileSync(srv.kubeconfigPath, 'utf8');
  const second = join(dir, 'second');
  writeFileSync(second, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: staging', '  cluster: { server: "https://127.0.0.1:1" }', '- name: "bad $(touch x)"', '  cluster: { server: "https://127.0.0.1:1" }',
    'users:', '- name: admin', '  user: {}',
    'contexts:', '- name: staging-admin', '  context: { cluster: staging, user: admin }', '- name: prod-admin', '  context: { cluster: staging, user: admin }',
    '',
  ].join('\n'));
  const first = join(dir, 'first');
  writeFileSync(first, base);
  return [first, second].join(delimiter);
}

test('contexts, clusters and users from the kubeconfig files kubectl reads (KUBECONFIG merged, or --kubeconfig)', async () => {
  const KUBECONFIG = kubeconfigs();
  const env = { KUBECONFIG };
  expect((await tab('describe', '--context', '')).items).toEqual(['test']); // the server's kubeconfig alone
  expect((await tabEnv(env, 'describe', '--context', '')).items).toEqual(['test', 'staging-admin', 'prod-admin']);
  expect((await tabEnv(env, 'watch', '--context', 'sta')).items).toEqual(['staging-admin']);
  // a name the shell would expand is never offered (kubectl's bash script runs compgen -W)
  expect((await tabEnv(env, 'describe', '--cluster', '')).items).toEqual(['test', 'staging']);
  expect((await tabEnv(env, 'describe', '--user', '')).items).toEqual(['test-user', 'admin']);
  expect((await tabEnv(env, 'describe', '--kubeconfig', KUBECONFIG.split(delimiter)[1], '--context', '')).items).toEqual(['staging-admin', 'prod-admin']);
});

test('every flag that help lists is completed, with its short form (one table feeds yargs, help and completion)', async () => {
  for (const command of ['describe', 'watch']) {
    const help = await run([command, '--help']);
    const listed = new Set<string>();
    for (const m of help.stdout.matchAll(/^\s+(?:(-\w), )?(--[\w-]+)/gm)) {
      if (m[1]) listed.add(m[1]);
      listed.add(m[2]);
    }
    for (const m of help.stdout.matchAll(/--(no-[\w-]+)/g)) listed.add(`--${m[1]}`);
    const offered = new Set((await tab(command, '-')).items);
    expect([...listed].filter((f) => !offered.has(f))).toEqual([]);
    expect([...offered].filter((f) => !listed.has(f))).toEqual([]);
  }
  expect((await tab('describe', '--max')).items).toEqual(['--max-response-size']);
});

test('TYPE NAME, kubectl\'s spaced form: names of that type after the type word', async () => {
  expect((await tab('describe', 'deploy', '')).items).toEqual(['web']);
  expect((await tab('watch', '-n', 'rec-job-native-sidecar', 'job', 'pod')).items).toEqual(['podbee']);
});
