// `kubectl sidecars <TAB>` through real kubectl (1.26+ asks a `kubectl_complete-sidecars` executable
// on PATH): commands, flags, flag values, namespaces, pod names and TYPE/NAME from the test API server.
// kubectl is run asynchronously: the API server answers from this very process.
import { execFile } from 'node:child_process';
import { dirname, delimiter, join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT } from './run.js';

let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: ['deployment-mesh', 'ordering', 'job-native-sidecar'] });
});
afterAll(() => srv.close());

/** `kubectl __complete sidecars WORDS...` (what the shell's completion function runs): candidates and directive. */
function tab(...words: string[]): Promise<{ items: string[]; directive: string; code: number; ms: number }> {
  const env = { PATH: [join(ROOT, 'bin'), dirname(process.execPath), process.env.PATH ?? ''].join(delimiter), HOME: '/nonexistent', KUBECONFIG: srv.kubeconfigPath };
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
  expect(f).toMatchObject({ items: ['--user', '--utc', '--until'], directive: ':4' });
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
