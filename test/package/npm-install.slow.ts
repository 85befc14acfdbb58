// Opt-in (`npm run test:package`): the npm tarball carries the bundle (prepack builds it) and a
// global install of that tarball gives a working `kubectl-sidecars` command.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPackageJson, ROOT } from '../../scripts/package.mjs';

const pkg = readPackageJson();
const npm = (args: string[], cwd = ROOT) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 240000 });
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'npm-install-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('npm pack includes bin/, dist/ and LICENSE, and a global install runs `version`', () => {
  const pack = npm(['pack', '--json', '--pack-destination', dir]);
  expect(pack.status).toBe(0);
  const [info] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')));
  const paths: string[] = info.files.map((f: { path: string }) => f.path);
  expect(paths).toEqual(expect.arrayContaining(['bin/kubectl-sidecars', 'bin/kubectl_complete-sidecars', 'dist/kubectl-sidecars.cjs', 'LICENSE', 'package.json']));
  expect(paths.some((p) => p.startsWith('src/') || p.startsWith('test/') || p.startsWith('out/'))).toBe(false);

  const prefix = join(dir, 'prefix');
  const install = npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(dir, info.filename)], dir);
  expect(install.status).toBe(0);
  const run = spawnSync(join(prefix, 'bin', 'kubectl-sidecars'), ['version'], { encoding: 'utf8' });
  expect(run.status).toBe(0);
  expect(run.stdout).toMatch(new RegExp(`^kubectl-sidecars ${pkg.version.replace(/\./g, '\\.')} \\(commit [0-9a-f]+, node ${process.version}`));
  // the completion executable kubectl asks (kubectl_complete-sidecars) is installed beside it
  const tab = spawnSync(join(prefix, 'bin', 'kubectl_complete-sidecars'), ['wa'], { encoding: 'utf8' });
  expect(tab.stdout).toMatch(/^watch\t.*\n:4\n$/);
}, 300000);
