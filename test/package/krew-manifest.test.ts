// The krew manifest that `node scripts/krew-manifest.mjs` writes for a set of archives (as the
// release workflow runs it on the archives it uploads) passes every rule of krew's validator and of
// krew-index review (test/package/krew-rules.ts), names each archive by its own sha256 (computed
// here by coreutils' sha256sum, not by the generator), and is what the krew-release-bot template
// .krew.yaml renders to. No manifest is tracked: it describes one build (scripts/krew-manifest.mjs).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { load } from 'js-yaml';
import { buildManifest, defaultUriBase, MANIFEST_PATH, PLUGIN_NAME, RELEASE_TEMPLATE_PATH, SHORT_DESCRIPTION, wrap } from '../../scripts/krew-manifest.mjs';
import { archiveLayout, archiveName, PLATFORMS, readPackageJson, ROOT } from '../../scripts/package.mjs';
import {
  ALLOWED_OS_ARCH, installedNames, KrewManifest, LICENSE_NAMES, NAME_RE, SEMVER_V_RE, SHA256_RE,
  selectorKeys, selectorMatches, usageExampleLines,
} from './krew-rules.js';

const pkg = readPackageJson();
const label = (os: string, arch: string) => ({ os, arch });
const dir = mkdtempSync(join(tmpdir(), 'krew-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Five stand-in archives of different bytes: the generator must hash each platform's own file.
const shaOfArchive: Record<string, string> = {};
for (const p of PLATFORMS) {
  const file = join(dir, archiveName(pkg.version, p));
  writeFileSync(file, Buffer.concat([Buffer.from(`${p.os}-${p.arch}\n`), randomBytes(4096)]));
  shaOfArchive[`${p.os}-${p.arch}`] = execFileSync('sha256sum', [file], { encoding: 'utf8' }).split(' ')[0];
}
const manifestFile = join(dir, `${PLUGIN_NAME}.yaml`);
const gen = spawnSync(process.execPath, ['scripts/krew-manifest.mjs', '--archives', dir, '--out', manifestFile], { cwd: ROOT, encoding: 'utf8' });
if (gen.status !== 0) throw new Error(`krew-manifest.mjs failed: ${gen.stderr}`);
const text = readFileSync(manifestFile, 'utf8');
const manifest = load(text) as KrewManifest;
const { spec } = manifest;

describe('the generated krew manifest (sidecars.yaml)', () => {
  test('is a v1alpha2 Plugin named like its file, with a valid name', () => {
    expect(manifest.apiVersion).toBe('krew.googlecontainertools.github.com/v1alpha2');
    expect(manifest.kind).toBe('Plugin');
    expect(manifest.metadata.name).toBe(PLUGIN_NAME);
    expect(MANIFEST_PATH.endsWith(`${manifest.metadata.name}.yaml`)).toBe(true);
    expect(manifestFile.endsWith(`${manifest.metadata.name}.yaml`)).toBe(true);
    expect(manifest.metadata.name).toMatch(NAME_RE);
  });

  test('version is semver with the v prefix and matches package.json', () => {
    expect(spec.version).toMatch(SEMVER_V_RE);
    expect(spec.version).toBe(`v${pkg.version}`);
    expect(SEMVER_V_RE.test(pkg.version)).toBe(false); // the regex really requires the "v"
  });

  test('shortDescription is one non-empty line of at most 50 characters', () => {
    expect(spec.shortDescription.trim().length).toBeGreaterThan(0);
    expect(spec.shortDescription).not.toMatch(/[\r\n]/);
    expect(spec.shortDescription.length).toBeLessThanOrEqual(50);
  });

  test('description is wrapped at 80 columns and holds no usage examples', () => {
    expect(spec.description.trim().length).toBeGreaterThan(0);
    const long = spec.description.split('\n').filter((l) => l.length > 80);
    expect(long).toEqual([]);
    expect(usageExampleLines(spec.description)).toEqual([]);
    // the detector itself catches the usual forms of an example
    expect(usageExampleLines('Usage:\n  $ kubectl sidecars describe pod/x')).toHaveLength(2);
  });

  test('homepage is the repository', () => {
    expect(spec.homepage).toBe(pkg.homepage);
  });

  test('one platform per archive, each only among the os/arch pairs krew knows', () => {
    expect(spec.platforms).toHaveLength(PLATFORMS.length);
    for (const p of spec.platforms) {
      const matched = ALLOWED_OS_ARCH.filter(([os, arch]) => selectorMatches(p.selector!, label(os, arch)));
      expect(matched.length).toBeGreaterThan(0);
      for (const v of Object.values(p.selector!.matchLabels ?? {})) {
        expect(ALLOWED_OS_ARCH.some(([os, arch]) => os === v || arch === v)).toBe(true);
      }
    }
    const covered = spec.platforms.map((p) => `${p.selector!.matchLabels!.os}/${p.selector!.matchLabels!.arch}`).sort();
    expect(covered).toEqual(['darwin/amd64', 'darwin/arm64', 'linux/amd64', 'linux/arm64', 'windows/amd64']);
  });

  test('selectors are non-empty and use only the os and arch keys', () => {
    for (const p of spec.platforms) {
      expect(p.selector).toBeDefined();
      const keys = selectorKeys(p.selector!);
      expect(keys.length).toBeGreaterThan(0);
      for (const k of keys) expect(['os', 'arch']).toContain(k);
    }
  });

  test('no two platforms match the same os/arch', () => {
    const overlapping = ALLOWED_OS_ARCH
      .filter(([os, arch]) => spec.platforms.filter((p) => selectorMatches(p.selector!, label(os, arch))).length > 1)
      .map(([os, arch]) => `${os}/${arch}`);
    expect(overlapping).toEqual([]);
  });

  test('sha256 is lower-case hex of 64 digits; uri is the release download of the archive', () => {
    for (const p of spec.platforms) {
      expect(p.sha256).toMatch(SHA256_RE);
      const { os, arch } = p.selector!.matchLabels!;
      const plat = PLATFORMS.find((q) => q.os === os && q.arch === arch)!;
      expect(p.uri).toBe(`${defaultUriBase(pkg)}/${archiveName(pkg.version, plat)}`);
      expect(p.uri).toMatch(/^https:\/\/github\.com\/kubectl-sidecars\/kubectl-sidecars\/releases\/download\/v[^/]+\/kubectl-sidecars_v[^/]+_(linux|darwin|windows)_(amd64|arm64)\.(tar\.gz|zip)$/);
      expect(p.uri.endsWith('.zip')).toBe(os === 'windows');
    }
  });

  test('bin is kubectl-sidecars, with .exe on Windows (krew runs only .exe there)', () => {
    for (const p of spec.platforms) {
      const os = p.selector!.matchLabels!.os;
      expect(p.bin).toBe(os === 'windows' ? 'kubectl-sidecars.exe' : 'kubectl-sidecars');
      expect(p.bin.endsWith('.exe')).toBe(os === 'windows');
      expect(p.files.map((f) => f.from)).toContain(p.bin);
      for (const f of p.files) expect(f.from && f.to).toBeTruthy();
    }
  });

  test('each platform installs a LICENSE from the archive package.mjs writes', () => {
    for (const p of spec.platforms) {
      const { os, arch } = p.selector!.matchLabels!;
      const plat = PLATFORMS.find((q) => q.os === os && q.arch === arch)!;
      const installed = installedNames(archiveLayout(plat).map((e) => e.name), p.files);
      expect(installed).toContain(p.bin);
      expect(installed.some((n) => LICENSE_NAMES.has(n.toLowerCase()))).toBe(true);
    }
  });

  // The archives themselves are checked where they are built: test/package/krew-install.test.ts
  // (linux-amd64, in `npm test`) and test/package/formats.slow.ts (every platform, `npm run
  // test:package`). A loop over whatever happened to be in out/ asserted nothing on a fresh checkout.

  test('names each archive by its own sha256, as sha256sum computes it', () => {
    const got = Object.fromEntries(spec.platforms.map((p) => [`${p.selector!.matchLabels!.os}-${p.selector!.matchLabels!.arch}`, p.sha256]));
    expect(got).toEqual(shaOfArchive);
    expect(spec.shortDescription).toBe(SHORT_DESCRIPTION);
  });

  test('a missing archive is an error, not a manifest', () => {
    const partial = mkdtempSync(join(dir, 'partial-'));
    const p = PLATFORMS[0];
    writeFileSync(join(partial, archiveName(pkg.version, p)), 'x');
    const r = spawnSync(process.execPath, ['scripts/krew-manifest.mjs', '--archives', partial, '--out', join(partial, 'm.yaml')], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^krew-manifest: error: missing .*_(linux_arm64|darwin_amd64|darwin_arm64|windows_amd64)\.(tar\.gz|zip): run `npm run package` first\n$/);
  });

  // `npm run package` must leave the checkout as it was: the manifest goes to out/, which git ignores.
  test('the default manifest path is ignored by git, and no manifest is tracked', () => {
    const rel = relative(ROOT, MANIFEST_PATH);
    expect(spawnSync('git', ['check-ignore', '-q', rel], { cwd: ROOT }).status).toBe(0);
    expect(execFileSync('git', ['ls-files', '--', '*sidecars.yaml'], { cwd: ROOT, encoding: 'utf8' })).toBe('');
  });

  test('.krew.yaml (krew-release-bot template) is up to date and renders to this manifest', () => {
    const template = readFileSync(RELEASE_TEMPLATE_PATH, 'utf8');
    expect(buildManifest({ pkg, template: true })).toBe(template);
    // What the bot does at tag v<version>: fill in the tag, and each uri with its archive's sha256.
    const shaOf = new Map(spec.platforms.map((p) => [p.uri, p.sha256]));
    const rendered = template
      .replace(/\{\{ addURIAndSha "([^"]+)" \.TagName \}\}/g, (_m, uri: string) => {
        const url = uri.replace(/\{\{ \.TagName \}\}/g, spec.version);
        return `uri: ${url}\n      sha256: ${shaOf.get(url) ?? 'missing'}`;
      })
      .replace(/\{\{ \.TagName \}\}/g, spec.version);
    expect(load(rendered)).toEqual(manifest);
  });

  test('wrap keeps words whole and lines within the width', () => {
    const wrapped = wrap('a'.repeat(10) + ' ' + 'b'.repeat(75) + ' c', 80);
    expect(wrapped.split('\n')).toEqual(['a'.repeat(10), `${'b'.repeat(75)} c`]);
  });
});
