// What krew does with a plugin manifest, reduced to what our tests need: the validator's rules
// (kubernetes-sigs/krew internal/index/validation/validate.go and cmd/validate-krew-manifest)
// and the installer's file operations (pkg/installation).
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';

export interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}
export interface FileOp { from: string; to: string }
export interface KrewPlatform { selector?: Selector; uri: string; sha256: string; files: FileOp[]; bin: string }
export interface KrewManifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  spec: {
    version: string;
    homepage?: string;
    shortDescription: string;
    description: string;
    caveats?: string;
    platforms: KrewPlatform[];
  };
}

// krew's os/arch combinations (validate.go osArchCombinations).
export const ALLOWED_OS_ARCH: [string, string][] = [
  ...['windows', 'linux', 'darwin'].flatMap((os) => ['386', 'amd64', 'arm64'].map((arch): [string, string] => [os, arch])),
  ['linux', 'arm'],
  ['linux', 'ppc64le'],
];

export const NAME_RE = /^[\w-]+$/;
export const SHA256_RE = /^[a-f0-9]{64}$/;
// semver 2.0 with krew's mandatory "v" prefix.
export const SEMVER_V_RE = /^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;
// Names the validator accepts as the license file an installed plugin must carry.
export const LICENSE_NAMES = new Set(['license', 'license.txt', 'license.md', 'licenses', 'licenses.txt', 'licenses.md', 'copying', 'copying.txt']);

/** Whether a selector matches an os/arch pair (Kubernetes label selector semantics). */
export function selectorMatches(sel: Selector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = e.key in labels;
    const inValues = has && (e.values ?? []).includes(labels[e.key]);
    if (e.operator === 'In' && !inValues) return false;
    if (e.operator === 'NotIn' && inValues) return false;
    if (e.operator === 'Exists' && !has) return false;
    if (e.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

export const selectorKeys = (sel: Selector): string[] => [
  ...Object.keys(sel.matchLabels ?? {}),
  ...(sel.matchExpressions ?? []).map((e) => e.key),
];

/** Names the description lines that look like usage examples (krew-index wants none). */
export function usageExampleLines(description: string): string[] {
  return description.split('\n').filter((l) =>
    /^\s*\$ /.test(l) || /^\s*(usage|examples?)\s*:/i.test(l) || /```/.test(l) || /\bkubectl\s+sidecars\s+\S/.test(l));
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`);
}

/**
 * krew's file operations: each `from` glob (relative to the extracted archive) is moved to `to`
 * (relative to the install folder; a trailing "." keeps the base name). Returns installed paths.
 */
export function applyFileOps(extractDir: string, installDir: string, ops: FileOp[]): string[] {
  const installed: string[] = [];
  for (const op of ops) {
    const parts = op.from.split('/');
    const dir = join(extractDir, ...parts.slice(0, -1));
    const re = globToRegExp(parts[parts.length - 1]);
    const matches = existsSync(dir) ? readdirSync(dir).filter((n) => re.test(n)) : [];
    if (matches.length === 0) throw new Error(`file operation from=${op.from}: nothing matches`);
    for (const m of matches) {
      const dest = op.to === '.' || op.to.endsWith('/') ? join(installDir, op.to, m) : join(installDir, op.to);
      mkdirSync(join(dest, '..'), { recursive: true });
      if (statSync(join(dir, m)).isFile()) copyFileSync(join(dir, m), dest);
      installed.push(dest);
    }
  }
  return installed;
}

/** The same operations over a list of archive member names (no disk): the installed names. */
export function installedNames(members: string[], ops: FileOp[]): string[] {
  const out: string[] = [];
  for (const op of ops) {
    const re = globToRegExp(op.from);
    for (const m of members.filter((n) => re.test(n))) out.push(op.to === '.' ? basename(m) : op.to);
  }
  return out;
}
