// Bundles the CLI into one CommonJS file: fast start-up (no module graph to resolve at run time)
// and the input format Node's single-executable builder accepts.
import { build } from 'esbuild';
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
let commit = process.env.GIT_COMMIT ?? '';
if (!commit) {
  try { commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { commit = 'unknown'; }
}

await build({
  entryPoints: ['src/cli/entry.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  outfile: 'dist/kubectl-sidecars.cjs',
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  // node-fetch 2 (client-node) reaches tr46, which requires the deprecated core punycode module
  // (DEP0040 warning on every run under Node >= 21): use the npm package of the same code.
  alias: { punycode: 'punycode/' },
  define: {
    __VERSION__: JSON.stringify(pkg.version),
    __COMMIT__: JSON.stringify(commit),
    'import.meta.url': '__importMetaUrl',
  },
  banner: { js: "const __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
});
