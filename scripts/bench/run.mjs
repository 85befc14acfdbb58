// `npm run bench [-- --quick]`: builds the CLI bundle, then bundles the benchmark (TypeScript, and
// the test API server it imports) with esbuild on the fly and runs it: no ts-node/tsx needed.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

const b = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
if (b.status !== 0) process.exit(b.status ?? 1);

// The single executable krew installs, for this platform only (scripts/package.mjs; reused while
// the bundle is unchanged). Without it (no pinned Node for this platform, registry unreachable)
// the bench measures the npm launcher alone and says so.
const env = { ...process.env };
if (!process.argv.includes('--no-sea')) {
  try {
    const pkg = await import('../package.mjs');
    const host = pkg.hostPlatform();
    const built = join(pkg.OUT_DIR, '.build', pkg.platformId(host), pkg.binName(host));
    const [{ archive }] = await pkg.packagePlatforms([host], { force: !existsSync(built) });
    env.KS_BENCH_SEA = installLikeKrew(pkg, archive, join(pkg.OUT_DIR, '.build', 'krew-installed', pkg.platformId(host)), pkg.binName(host));
  } catch (e) {
    process.stderr.write(`bench: no single executable (${e.message}): measuring the npm launcher\n`);
  }
}

/**
 * The executable as krew leaves it: extracted from the platform's archive in 32 KB writes, as
 * krew's extractTARGZ does (internal/download/downloader.go: io.Copy into the file). How a file
 * was written shapes its page cache, and that is part of RSS: package.mjs writes the 127 MB
 * executable in one call, and Linux then keeps it as 2 MB folios that it maps into the process
 * whole (FilePmdMapped 62 MB in /proc/PID/smaps_rollup), so the watch's file-backed RSS read 64-79
 * MB, where the executable extracted as krew does, or read back from disk after its pages were
 * evicted, maps 46-47 MB (docs/performance.md: what RSS counts).
 */
function installLikeKrew(pkg, archive, dir, name) {
  const file = pkg.readArchive(archive).find((f) => f.name === name);
  if (!file) throw new Error(`${archive} holds no ${name}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const exe = join(dir, name);
  const fd = openSync(exe, 'w', file.mode);
  try {
    for (let at = 0; at < file.data.length; at += 32 * 1024) writeSync(fd, file.data, at, Math.min(32 * 1024, file.data.length - at));
  } finally {
    closeSync(fd);
  }
  return exe;
}

// The test server finds its certificates and recordings from import.meta.url: keep each source
// file's own URL instead of the bundle's.
const ownUrl = {
  name: 'own-import-meta-url',
  setup(api) {
    api.onLoad({ filter: /\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
      loader: 'ts',
    }));
  },
};

const outDir = join(here, '.build');
mkdirSync(outDir, { recursive: true });
const outfile = join(outDir, 'bench.mjs');
await build({
  entryPoints: [join(here, 'bench.ts')],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // node_modules resolve from scripts/bench/.build (inside the repo)
  packages: 'external',
  outfile,
  logLevel: 'warning',
  plugins: [ownUrl],
});

// The server holds the synthetic cluster (10,000 pods, 100,000 events) in this process.
const r = spawnSync(process.execPath, ['--max-old-space-size=8192', outfile, ...process.argv.slice(2).filter((a) => a !== '--no-sea')], { cwd: root, stdio: 'inherit', env });
process.exit(r.status ?? 1);
