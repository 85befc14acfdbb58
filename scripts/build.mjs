// Bundles the CLI into one CommonJS file: fast start-up (no module graph to resolve at run time)
// and the input format Node's single-executable builder accepts.
import { build } from 'esbuild';
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
let commit = process.env.GIT_COMMIT ?? '';
if (!commit) {
  try { commit = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim(); } catch { commit = 'unknown'; }
}

/**
 * An esbuild plugin that replaces the ES imports of `pkg` with `wrapper`, a module whose code calls
 * `load()` to require the real package on first use (a require()d ES module's setup runs then).
 * Only ES imports: a CommonJS require() of the same name is another copy (cli-table3 requires
 * string-width 4) that the default-export wrapper would break.
 */
function lazyImport(pkg, wrapper) {
  const namespace = `lazy-${pkg}`;
  return {
    name: namespace,
    setup(b) {
      b.onResolve({ filter: new RegExp(`^${pkg}$`) }, async (args) => { // package names: [a-z0-9-] only
        if (args.pluginData?.real || args.kind !== 'import-statement') return undefined;
        const r = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: { real: true } });
        if (r.errors.length) return { errors: r.errors };
        // relative: the bundle names modules by this path, and must not carry the build's folder
        return { path: relative(process.cwd(), r.path), namespace };
      });
      b.onLoad({ filter: /.*/, namespace }, (args) => ({
        contents: `let real;\nfunction load() {\n  if (!real) { const m = require(${JSON.stringify('./' + basename(args.path))}); real = m.default ?? m; }\n  return real;\n}\n${wrapper}\n`,
        loader: 'js',
        resolveDir: dirname(resolve(args.path)),
      }));
    },
  };
}

// yargs measures its help text with string-width, and renders (and caches) the help of the command
// being run before every handler (yargs' command.js cacheHelpMessage). string-width's module setup
// (an Intl.Segmenter and Unicode-set regexes, not covered by the code cache) took ~50 ms of every
// start in the single executable. Printable ASCII is one column a character, as string-width
// counts it: answered at once; anything else loads the real string-width on first use (esbuild
// runs a require()d ES module's setup then).
const lazyStringWidth = lazyImport('string-width',
  "export default function stringWidth(s, o) {\n  if (typeof s === 'string' && /^[\\x20-\\x7e]*$/.test(s)) return s.length;\n  return load()(s, o);\n}");

// cli-table3 draws only tables whose cells wrap (src/render/layout.ts podTable); the rest go through
// the linear printer. Its module setup (string-width 4, strip-ansi, colour support) is deferred to the
// first such table: a constructor wrapper that loads the real module on first use.
const lazyCliTable = lazyImport('cli-table3', 'export default function Table(options) {\n  const T = load();\n  return new T(options);\n}');

// yargs renders the running command's whole help before every handler, to have it at hand should
// the handler fail (command.js: cacheHelpMessage). We never show help on a failure
// (showHelpOnFail(false), src/cli/main.ts) and --help is answered before any handler, so the
// rendering (~7 ms of every start) is dropped from the bundle. The build fails if yargs changes.
const YARGS_CACHE_HELP = 'yargs.getInternalMethods().getUsageInstance().cacheHelpMessage();';
const noHelpCache = {
  name: 'yargs-no-help-cache',
  setup(b) {
    b.onLoad({ filter: /[\\/]yargs[\\/]build[\\/]lib[\\/]command\.js$/ }, (args) => {
      const src = readFileSync(args.path, 'utf8');
      if (!src.includes(YARGS_CACHE_HELP)) throw new Error(`${args.path}: no "${YARGS_CACHE_HELP}" to drop (yargs changed: review scripts/build.mjs)`);
      return { contents: src.replace(YARGS_CACHE_HELP, '/* help not cached: scripts/build.mjs */'), loader: 'js' };
    });
  },
};

// client-node (with node-fetch, ws, tr46, openid-client…) is two thirds of the code and serves
// only exec plugins, auth providers and proxies (src/sources/credentials.ts). Bundled on its own
// into dist/client-node.cjs, loaded on first use: from beside the bundle (npm), or from the single
// executable's assets (scripts/package.mjs), compiled as a CommonJS module. Every start of the
// single executable was ~12 ms slower deserialising its code and collecting the garbage.
const CLIENT_NODE = 'client-node.cjs';
const clientNodeApart = {
  name: 'client-node-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/client-node\.js$/ }, (args) =>
      args.importer.endsWith(join('src', 'sources', 'credentials.ts')) ? { path: CLIENT_NODE, namespace: 'client-node-apart' } : undefined);
    b.onLoad({ filter: /.*/, namespace: 'client-node-apart' }, () => ({
      loader: 'js',
      resolveDir: process.cwd(),
      contents: `
        // one js-yaml for both files: client-node.cjs takes ours (sharedJsYaml below)
        globalThis[Symbol.for(${JSON.stringify(SHARED_JS_YAML)})] = require('js-yaml');
        const Module = require('node:module');
        let sea = null;
        try { sea = require('node:sea'); } catch {}
        if (sea && sea.isSea()) {
          const m = new Module(${JSON.stringify(CLIENT_NODE)});
          m.filename = process.execPath;
          m.paths = [];
          m._compile(sea.getAsset(${JSON.stringify(CLIENT_NODE)}, 'utf8'), process.execPath);
          module.exports = m.exports;
        } else {
          module.exports = require(require('node:path').join(__dirname, ${JSON.stringify(CLIENT_NODE)}));
        }
      `,
    }));
  },
};

// client-node 1.4 asks for js-yaml ^4.1, the version we use (package.json): instead of a second copy
// in dist/client-node.cjs, it is given the main bundle's, which clientNodeApart hands over before
// loading it (client-node reads kubeconfig YAML with it).
const SHARED_JS_YAML = 'kubectl-sidecars.js-yaml';
const sharedJsYaml = {
  name: 'shared-js-yaml',
  setup(b) {
    b.onResolve({ filter: /^js-yaml$/ }, () => ({ path: 'js-yaml', namespace: 'shared-js-yaml' }));
    b.onLoad({ filter: /.*/, namespace: 'shared-js-yaml' }, () => ({
      loader: 'js',
      contents: `const y = globalThis[Symbol.for(${JSON.stringify(SHARED_JS_YAML)})];\nif (!y) throw new Error('client-node.cjs is loaded by kubectl-sidecars.cjs only');\nmodule.exports = y;`,
    }));
  },
};

// ...and the main bundle's imports and that require() reach the same file (the package's CommonJS
// entry), or esbuild would bundle its ES build and its CommonJS build side by side.
const JS_YAML_CJS = createRequire(import.meta.url).resolve('js-yaml');
const oneJsYaml = {
  name: 'one-js-yaml',
  setup(b) {
    b.onResolve({ filter: /^js-yaml$/ }, () => ({ path: JS_YAML_CJS }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
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
};

const results = await Promise.all([
  build({ ...common, metafile: true, entryPoints: ['src/cli/entry.ts'], outfile: 'dist/kubectl-sidecars.cjs', plugins: [lazyStringWidth, lazyCliTable, noHelpCache, clientNodeApart, oneJsYaml] }),
  build({ ...common, metafile: true, entryPoints: ['src/sources/client-node.ts'], outfile: `dist/${CLIENT_NODE}`, plugins: [lazyStringWidth, sharedJsYaml] }),
]);

// The bundles carry the code of the npm packages they import, and nothing else ships those
// packages (package.json has no runtime dependencies): their licence texts go beside the bundles,
// one entry per package folder the bundles read a file from (esbuild's metafile inputs).
const NOTICES = 'dist/THIRD-PARTY-NOTICES.txt';
const packageDirs = new Set();
for (const r of results) {
  for (const input of Object.keys(r.metafile.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input.replace(/^[^:]+:/, ''));
    if (m) packageDirs.add(m[1]);
  }
}
const notices = [...packageDirs].map((dir) => {
  const meta = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[sc]e|copying)(\.(md|txt))?$/i.test(f));
  const text = file ? readFileSync(join(dir, file), 'utf8').trim() : `(no licence file in the package; package.json says: ${meta.license ?? 'nothing'})`;
  return { name: meta.name, version: meta.version, license: meta.license ?? '', text };
}).filter((n, i, all) => all.findIndex((m) => m.name === n.name && m.version === n.version) === i) // nested copies
  .sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
if (!existsSync('dist')) throw new Error('no dist/ after the build');
writeFileSync(NOTICES, [
  'kubectl-sidecars bundles code of the following npm packages into dist/ (and its single executables).',
  'Their licences:',
  '',
  ...notices.map((n) => `${'='.repeat(78)}\n${n.name} ${n.version} (${n.license})\n${'='.repeat(78)}\n\n${n.text}\n`),
].join('\n'));
