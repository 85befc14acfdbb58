// Installs the linux-amd64 single executable the way krew does (extract the archive, apply the
// committed manifest's `files`, link `bin` as kubectl-sidecars on PATH) and runs it through real
// kubectl plugin discovery. Builds only linux-amd64 (about 10-20 s; reused from out/ while the
// bundle, LICENSE and scripts/package.mjs are unchanged).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { load } from 'js-yaml';
import { MANIFEST_PATH } from '../../scripts/krew-manifest.mjs';
import { archiveName, NODE_VERSION, OUT_DIR, PLATFORMS, readPackageJson, ROOT } from '../../scripts/package.mjs';
import { applyFileOps, KrewManifest } from './krew-rules.js';

const pkg = readPackageJson();
const linux = PLATFORMS.find((p) => p.os === 'linux' && p.arch === 'amd64')!;
const manifest = load(readFileSync(MANIFEST_PATH, 'utf8')) as KrewManifest;
const spec = manifest.spec.platforms.find((p) => p.selector?.matchLabels?.os === 'linux' && p.selector?.matchLabels?.arch === 'amd64')!;

let root: string;
let env: NodeJS.ProcessEnv;
const kubectl = (...args: string[]) => spawnSync('kubectl', args, { cwd: ROOT, env, encoding: 'utf8', timeout: 30000 });

beforeAll(() => {
  const started = Date.now();
  const build = spawnSync(process.execPath, ['scripts/package.mjs', '--platforms', 'linux-amd64', '--no-manifest'], {
    cwd: ROOT, encoding: 'utf8', timeout: 280000,
  });
  if (build.status !== 0) throw new Error(`package.mjs failed:\n${build.stderr}`);
  process.stderr.write(`krew-install: linux-amd64 archive ready in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);

  root = mkdtempSync(join(tmpdir(), 'krew-install-'));
  const extract = join(root, 'download');
  const store = join(root, 'store', 'sidecars', `v${pkg.version}`);
  const bin = join(root, 'bin');
  for (const d of [extract, store, bin]) mkdirSync(d, { recursive: true });
  // krew: download + extract into a temp folder, move `files` into the store, symlink `bin`.
  execFileSync('tar', ['-xzf', join(OUT_DIR, archiveName(pkg.version, linux)), '-C', extract]);
  applyFileOps(extract, store, spec.files);
  symlinkSync(join(store, spec.bin), join(bin, 'kubectl-sidecars'));
  env = { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH}`, KUBECONFIG: join(root, 'no-kubeconfig') };
}, 300000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

test('the installed folder holds the binary and LICENSE, as the manifest says', () => {
  const files = spawnSync('ls', [join(root, 'store', 'sidecars', `v${pkg.version}`)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  expect(files.sort()).toEqual(['LICENSE', 'kubectl-sidecars']);
});

test('kubectl discovers the plugin on PATH', () => {
  const res = kubectl('plugin', 'list');
  expect(res.stdout).toContain(join(root, 'bin', 'kubectl-sidecars'));
});

test('`kubectl sidecars version` reports the version, the git commit and the pinned Node', () => {
  const res = kubectl('sidecars', 'version');
  expect(res.status).toBe(0);
  const m = /^kubectl-sidecars (\S+) \(commit ([0-9a-f]{7,40}|unknown), node (v\S+?)[,)]/.exec(res.stdout);
  expect(m).not.toBeNull();
  expect(m![1]).toBe(pkg.version);
  expect(m![3]).toBe(`v${NODE_VERSION}`);
  let head = '';
  try {
    head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch { /* not a git checkout: nothing to compare */ }
  if (head) expect(m![2]).toBe(head);
});

test('`kubectl sidecars describe -f` works offline through discovery (ordering recording)', () => {
  const dir = 'test/fixtures/recordings/ordering/snapshots/running';
  const res = kubectl('sidecars', 'describe', '-f', dir, '-o', 'json');
  expect(res.stderr).toBe('');
  expect(res.status).toBe(0);
  const out = JSON.parse(res.stdout);
  const recorded = JSON.parse(readFileSync(join(ROOT, dir, 'pods.json'), 'utf8'));
  const pod = (recorded.items ?? [recorded])[0];
  expect(out.items).toHaveLength(1);
  expect(out.items[0].pod.name).toBe(pod.metadata.name);
  // the recorded spec: one init container, two native sidecars, one app container
  expect(out.items[0].containers.map((c: { name: string; kind: string }) => `${c.kind}:${c.name}`)).toEqual([
    ...pod.spec.initContainers.map((c: { name: string; restartPolicy?: string }) => `${c.restartPolicy === 'Always' ? 'sidecar' : 'init'}:${c.name}`),
    ...pod.spec.containers.map((c: { name: string }) => `app:${c.name}`),
  ]);
});

test('the plugin exit code passes through kubectl (bad flag: 1, one line on stderr)', () => {
  const res = kubectl('sidecars', 'describe', '--no-such-flag');
  expect(res.status).toBe(1);
  expect(res.stderr.trim().split('\n')).toHaveLength(1);
});
