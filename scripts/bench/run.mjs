// `npm run bench [-- --quick]`: builds the CLI bundle, then bundles the benchmark (TypeScript, and
// the test API server it imports) with esbuild on the fly and runs it: no ts-node/tsx needed.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
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
    const exe = join(pkg.OUT_DIR, '.build', pkg.platformId(host), pkg.binName(host));
    await pkg.packagePlatforms([host], { force: !existsSync(exe) });
    env.KS_BENCH_SEA = exe;
  } catch (e) {
    process.stderr.write(`bench: no single executable (${e.message}): measuring the npm launcher\n`);
  }
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
