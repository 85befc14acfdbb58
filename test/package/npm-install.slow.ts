// Opt-in (`npm run test:package`): the npm tarball carries the bundle (prepack builds it) and a
// global install of that tarball gives a working `kubectl-sidecars` command. dist/ is bundled
// (scripts/build.mjs: nothing external), so package.json has no runtime `dependencies` and the
// install is this one package (docs/development.md, "What npm installs": 118 packages before).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPackageJson, ROOT } from '../../scripts/package.mjs';
import { startApiServer } from '../apiserver/server.js';

const pkg = readPackageJson();
const npm = (args: string[], cwd = ROOT) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240000 });
let dir: string;
let prefix: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'npm-install-'));
  prefix = join(dir, 'prefix');
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('npm pack includes bin/, dist/ and LICENSE, and a global install of one package runs `version`', () => {
  const pack = npm(['pack', '--json', '--pack-destination', dir]);
  expect(pack.status).toBe(0);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  const paths: string[] = info.files.map((f: { path: string }) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['bin/kubectl-sidecars', 'bin/kubectl_complete-sidecars', 'dist/kubectl-sidecars.cjs', 'dist/client-node.cjs', 'dist/THIRD-PARTY-NOTICES.txt', 'LICENSE', 'package.json']));
  expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/') || p.startsWith('out/'))).toBe(false);

  const install = npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, info.filename)], dir);
  expect(install.status).toBe(0);
  expect(install.stdout).toMatch(/^added 1 package\b/m);
  expect(existsSync(join(prefix, 'lib', 'node_modules', 'kubectl-sidecars', 'node_modules'))).toBe(false);
  const run = spawnSync(join(prefix, 'bin', 'kubectl-sidecars'), ['version'], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`^kubectl-sidecars ${pkg.version.replace(/\./g, '\\.')} \\(commit [0-9a-f]+, node ${process.version}`));
  // the completion executable kubectl asks (kubectl_complete-sidecars) is installed beside it
  const tab = spawnSync(join(prefix, 'bin', 'kubectl_complete-sidecars'), ['wa'], { encoding: 'utf8' });
  expect(tab.stdout).toMatch(/^watch\t.*\n:4\n$/);
}, 300000);

// client-node (exec credential plugins) is the part of dist/ loaded on demand: the installed copy,
// without any node_modules, must still load it and get a token from an exec plugin.
test('the installed copy runs an exec credential plugin (dist/client-node.cjs, no node_modules)', async () => {
  const srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', auth: { token: 'good-token' } });
  try {
    const plugin = join(dir, 'plugin.mjs');
    writeFileSync(plugin, `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'good-token' } }));\n`);
    const user = `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(plugin)}] } }`;
    const kc = join(dir, 'exec.kubeconfig');
    writeFileSync(kc, readFileSync(srv.kubeconfigPath, 'utf8').replace(/( {2}user:)(?:\n {4}.*)+/, `$1 ${user}`));
    // spawn, not spawnSync: the API server answers from this process's event loop
    const child = spawn(join(prefix, 'bin', 'kubectl-sidecars'), ['describe', 'ordering', '-n', 'rec-ordering', '--kubeconfig', kc, '-o', 'json'], { env: { PATH: process.env.PATH, HOME: dir } });
    const r = { stdout: '', stderr: '', status: null as number | null };
    child.stdout.on('data', (d) => (r.stdout += d));
    child.stderr.on('data', (d) => (r.stderr += d));
    r.status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).items.map((i: { pod: { name: string } }) => i.pod.name)).toEqual(['ordering']);
    expect(srv.requests.every((q) => q.headers.authorization === 'Bearer good-token')).toBe(true);
  } finally {
    await srv.close();
  }
}, 60000);
