// Installs the linux-amd64 single executable the way krew does (extract the archive, apply the
// generated manifest's `files`, link `bin` as kubectl-sidecars on PATH) and runs it through real
// kubectl plugin discovery. Builds only linux-amd64 (about 10-20 s; reused from out/ while the
// bundle, LICENSE and scripts/package.mjs are unchanged).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { load } from 'js-yaml';
import { buildManifest } from '../../scripts/krew-manifest.mjs';
import { archiveName, NODE_VERSION, nodeBinary, OUT_DIR, PLATFORMS, readPackageJson, ROOT, sha256File } from '../../scripts/package.mjs';
import { startApiServer } from '../apiserver/server.js';
import { differences, golden } from '../watch/golden.js';
import { iso, parseLines, timeline, until, watches, withServer } from '../watch/replay.js';
import { applyFileOps, KrewManifest, KrewPlatform } from './krew-rules.js';

const pkg = readPackageJson();
const linux = PLATFORMS.find((p) => p.os === 'linux' && p.arch === 'amd64')!;
let spec: KrewPlatform;

let root: string;
let env: NodeJS.ProcessEnv;
const kubectl = (...args: string[]) => spawnSync('kubectl', args, { cwd: ROOT, env, encoding: 'utf8', timeout: 30000 });

beforeAll(() => {
  const started = Date.now();
  const build = spawnSync(process.execPath, ['scripts/package.mjs', '--platforms', 'linux-amd64', '--no-manifest'], {
    cwd: ROOT, encoding: 'utf8', timeout: 280000,
  });
  if (build.status !== 0) throw new Error(`package.mjs failed:\n${build.stderr}`);
  // The manifest as scripts/krew-manifest.mjs writes it; only linux-amd64 is built here, so every
  // platform gets its sha256 (krew-manifest.test.ts checks the per-platform hashes).
  const sha = sha256File(join(OUT_DIR, archiveName(pkg.version, linux)));
  const manifest = load(buildManifest({ pkg, archives: Object.fromEntries(PLATFORMS.map((p) => [`${p.os}-${p.arch}`, sha])) })) as KrewManifest;
  spec = manifest.spec.platforms.find((p) => p.selector?.matchLabels?.os === 'linux' && p.selector?.matchLabels?.arch === 'amd64')!;
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

test('the installed folder holds the binary, LICENSE and the bundled packages\' notices, as the manifest says', () => {
  const files = spawnSync('ls', [join(root, 'store', 'sidecars', `v${pkg.version}`)], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
  expect(files.sort()).toEqual(['LICENSE', 'THIRD-PARTY-NOTICES.txt', 'kubectl-sidecars']);
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

// `watch` relaunches itself with V8's young generation capped (src/cli/relaunch.ts, issue 15):
// the installed executable, started by kubectl (which execs the plugin: the same pid), runs the
// watch under `--node-options=--max-semi-space-size=1 --optimize-for-size --v8-pool-size=1`; its output, stderr and exit codes are those
// of any watch. describe does not relaunch (the flag slowed it).
describe('watch runs with a capped young generation; describe does not', () => {
  const FLAG = '--node-options=--max-semi-space-size=1 --optimize-for-size --v8-pool-size=1';
  /** stderr holds the watch's notes ("no matching pods ... yet") and nothing else: no Node warning. */
  const onlyNotes = (stderr: string) => stderr.split('\n').filter((l) => l && !l.startsWith('note: '));
  const cmdline = (pid: number) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  const startPlugin = (args: string[]) => {
    const child = spawn('kubectl', ['sidecars', ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let last = Date.now();
    child.stdout.on('data', (d) => ((stdout += d), (last = Date.now())));
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    return { child, exited, stdout: () => stdout, stderr: () => stderr, lastOutputAt: () => last };
  };

  test('ordering, -o json: the golden lines, nothing on stderr; SIGINT 130', async () => {
    const tl = timeline('ordering');
    await withServer('ordering', [], async (srv) => {
      const p = startPlugin(['watch', '-o', 'json', '--kubeconfig', srv.kubeconfigPath, '--now', iso(tl[0].t)]);
      await until(() => watches(srv, 'pods') >= 1 && watches(srv, 'events') >= 1, 'the first watches');
      // kubectl has exec'd the plugin, and the plugin itself under the flag: one pid all along
      const argv = cmdline(p.child.pid!);
      expect(argv[1]).toBe(FLAG.replace(/$/, ' --disable-warning=Warning'));
      expect(argv.slice(2)).toEqual(['watch', '-o', 'json', '--kubeconfig', srv.kubeconfigPath, '--now', iso(tl[0].t)]);
      srv.finish();
      const finishedAt = Date.now();
      await until(() => Date.now() - Math.max(finishedAt, p.lastOutputAt()) >= 200, 'the output to settle');
      p.child.kill('SIGINT');
      expect(await p.exited).toBe(130);
      expect(onlyNotes(p.stderr())).toEqual([]);
      expect(differences(parseLines(p.stdout()), golden('ordering'))).toEqual({});
    });
  });

  test('SIGTERM 143; --until complete --timeout 1s: 3 and what still blocks', async () => {
    await withServer('ordering', [], async (srv) => {
      const p = startPlugin(['watch', '--kubeconfig', srv.kubeconfigPath]);
      await until(() => watches(srv, 'pods') >= 1, 'the watch');
      p.child.kill('SIGTERM');
      expect(await p.exited).toBe(143);
      expect(onlyNotes(p.stderr())).toEqual([]);
    });
    await withServer('job-legacy-sidecar', [], async (srv) => {
      const p = startPlugin(['watch', '--until', 'complete', '--timeout', '1s', '--kubeconfig', srv.kubeconfigPath, '--now', iso(timeline('job-legacy-sidecar')[0].t)]);
      await until(() => watches(srv, 'pods') >= 1 || p.child.exitCode !== null, 'the watch');
      expect(cmdline(p.child.pid!)[1]).toMatch(/^--node-options=--max-semi-space-size=1 /);
      srv.finish();
      expect(await p.exited).toBe(3);
      expect(p.stdout()).toMatch(/Blocker\s+LegacySidecarBlocksCompletion: /);
      expect(onlyNotes(p.stderr())).toEqual(['timed out after 1s waiting for pods to be complete: rec-job-legacy-sidecar/legacy-rd8jm (NotReady; LegacySidecarBlocksCompletion istio-proxy)']);
    });
  });

  test('describe is not relaunched (its command line stays as typed)', async () => {
    const srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', faults: [{ match: { path: /\/pods$/ }, kind: 'stall', ms: 10000, times: 1 }] });
    try {
      const p = startPlugin(['describe', '--kubeconfig', srv.kubeconfigPath, '-o', 'json']);
      await until(() => srv.requests.some((r) => r.path.endsWith('/pods')), 'the list in flight');
      expect(cmdline(p.child.pid!).slice(1)).toEqual(['describe', '--kubeconfig', srv.kubeconfigPath, '-o', 'json']);
      p.child.kill('SIGINT');
      expect(await p.exited).toBe(130);
      expect(p.stderr()).toBe('');
    } finally {
      await srv.close();
    }
  });

  test('a user\'s --node-options argument (Node takes it from any position) is refused: exit 1', () => {
    const dir = 'test/fixtures/recordings/ordering/snapshots/running';
    for (const args of [['describe', '--node-options=--max-semi-space-size=2', '-f', dir], ['describe', '-f', dir, '--', '--node-options=--max-semi-space-size=2']]) {
      const res = kubectl('sidecars', ...args);
      expect(res.status).toBe(1);
      expect(res.stdout).toBe('');
      // Node warns first that the executable's code cache does not fit the user's flag
      expect(res.stderr.trim().split('\n').pop()).toBe('error: unknown flag --node-options (see kubectl sidecars --help)');
    }
  });
});

// The npm launcher on a Node with process.execve (the pinned 22.23 the package build fetched):
// `node --max-semi-space-size=1 --optimize-for-size --v8-pool-size=1 bin/kubectl-sidecars watch ...`, with its own code cache file.
test('the npm launcher on Node 22 relaunches watch as node <flag> <launcher>; describe keeps its cache file', async () => {
  const node22 = nodeBinary(linux);
  const cache = join(root, 'xdg');
  await withServer('ordering', [], async (srv) => {
    const p = spawn(node22, [join(ROOT, 'bin', 'kubectl-sidecars'), 'watch', '--kubeconfig', srv.kubeconfigPath], { cwd: ROOT, env: { ...env, XDG_CACHE_HOME: cache }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((r) => p.on('close', (c) => r(c)));
    await until(() => watches(srv, 'pods') >= 1, 'the watch');
    expect(readFileSync(`/proc/${p.pid}/cmdline`, 'utf8').split('\0').slice(1, 6)).toEqual(['--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1', join(ROOT, 'bin', 'kubectl-sidecars'), 'watch']);
    p.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr.split('\n').filter((l) => l && !l.startsWith('note: '))).toEqual([]);
  });
  const describe = spawnSync(node22, [join(ROOT, 'bin', 'kubectl-sidecars'), 'describe', '-f', 'test/fixtures/recordings/ordering/snapshots/running'], { cwd: ROOT, env: { ...env, XDG_CACHE_HOME: cache }, encoding: 'utf8' });
  expect(describe.status).toBe(0);
  // one file per set of V8 flags: V8 rejects a cache made under other flags (bin/kubectl-sidecars)
  const files = readdirSync(join(cache, 'kubectl-sidecars')).filter((f) => f.endsWith('.cache'));
  expect(files).toHaveLength(2);
  expect(files.filter((f) => f.endsWith(`-v${NODE_VERSION}-x64.cache`))).toHaveLength(1);
});
