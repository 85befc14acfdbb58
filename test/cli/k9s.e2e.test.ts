// The README's k9s plugin entries (section "k9s") are valid k9s plugins.yaml, by k9s's own schema
// (test/fixtures/k9s/plugins.schema.json), and do what they say when k9s runs them: k9s's variables
// are filled in as k9s does (internal/view/env.go Env.Substitute, ported below), then the command
// runs with those args, through real kubectl plugin discovery, against the test API server. The
// kubeconfig's current context is another one and its context has no namespace, so --context and
// -n must come from the entry.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { load } from 'js-yaml';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

interface Plugin { shortCut: string; description: string; scopes: string[]; command: string; background?: boolean; args?: (string | number)[] }
interface Schema { type?: string | string[]; properties?: Record<string, Schema>; additionalProperties?: boolean | Schema; required?: string[]; items?: Schema }

/** The yaml block under README's "## k9s" heading. */
function readmeSnippet(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## k9s\n'));
  return /```yaml\n([\s\S]*?)```/.exec(section)![1];
}

/** JSON-schema draft-07 checks for the keywords k9s's plugin schema uses; returns the violations. */
function validate(v: unknown, s: Schema, at = '$'): string[] {
  const typeOf = (x: unknown) => (Array.isArray(x) ? 'array' : x === null ? 'null' : typeof x === 'number' ? 'number' : typeof x);
  const errs: string[] = [];
  if (s.type && ![s.type].flat().includes(typeOf(v))) return [`${at}: ${typeOf(v)}, not ${[s.type].flat().join('|')}`];
  if (typeOf(v) === 'object') {
    const o = v as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in o)) errs.push(`${at}: no ${k}`);
    for (const [k, val] of Object.entries(o)) {
      if (s.properties?.[k]) errs.push(...validate(val, s.properties[k], `${at}.${k}`));
      else if (s.additionalProperties === false) errs.push(`${at}.${k}: not allowed`);
      else if (typeof s.additionalProperties === 'object') errs.push(...validate(val, s.additionalProperties, `${at}.${k}`));
    }
  }
  if (Array.isArray(v) && s.items) v.forEach((x, i) => errs.push(...validate(x, s.items!, `${at}[${i}]`)));
  return errs;
}

/** k9s's Env.Substitute: `$VAR` (or `$!VAR`), longest first, looked up upper-cased; unknown is an error. */
function substitute(arg: string, env: Record<string, string>): string {
  const found = (arg.match(/\$(!?[\w|\d|\-|]+)/g) ?? []).sort((a, b) => b.length - a.length);
  for (const k of found) {
    const key = k.slice(1).replace(/^!/, '');
    const v = env[key.toUpperCase()];
    if (v === undefined) throw new Error(`no environment matching key ${k}`);
    arg = arg.split(k).join(v);
  }
  return arg;
}

const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', 'k9s', 'plugins.schema.json'), 'utf8')) as Schema;
const doc = load(readmeSnippet()) as { plugins: Record<string, Plugin> };
const entries = Object.values(doc.plugins ?? {});
const CONTEXT = 'lab-k9s';
const K9S_ENV = { NAME: 'ordering', NAMESPACE: 'rec-ordering', CONTEXT };

let srv: RunningApiServer;
let dir: string;
let env: Record<string, string>;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running' });
  dir = mkdtempSync(join(tmpdir(), 'k9s-'));
  const kc = readFileSync(srv.kubeconfigPath, 'utf8')
    .replace(/^- name: test\n {2}context:/m, `- name: ${CONTEXT}\n  context:`)
    .replace(/^ {4}namespace: .*\n/m, '')
    .replace(/^current-context: test$/m, 'current-context: elsewhere');
  expect(kc).toContain(`- name: ${CONTEXT}\n`);
  writeFileSync(join(dir, 'kubeconfig'), kc);
  // what k9s's child inherits: the user's PATH (with the plugin on it) and KUBECONFIG
  env = { PATH: [join(ROOT, 'bin'), dirname(process.execPath), process.env.PATH ?? ''].join(delimiter), HOME: dir, KUBECONFIG: join(dir, 'kubeconfig'), TZ: 'UTC' };
});
afterAll(async () => {
  await srv.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Starts an entry as k9s does: its command with the substituted args, in its own process group. */
function startEntry(p: Plugin) {
  const args = (p.args ?? []).map((a) => substitute(String(a), K9S_ENV));
  const child = spawn(p.command, args, { cwd: dir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('close', (code, sig) => r(code ?? (sig ? 128 : null))));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

test('the snippet is valid k9s plugins.yaml: two entries on the pods view, distinct shortcuts, in the foreground', () => {
  expect(validate(doc, schema)).toEqual([]);
  expect(entries).toHaveLength(2);
  for (const p of entries) {
    expect(p.scopes).toContain('pods');
    expect(p.background).toBe(false);
  }
  expect(new Set(entries.map((p) => p.shortCut.toLowerCase())).size).toBe(2);
  // the validator itself rejects what k9s rejects
  expect(validate({ plugins: { x: { shortCut: 'a', scopes: 'pods', command: 'k' } } }, schema)).toEqual(['$.plugins.x: no description', '$.plugins.x.scopes: string, not array']);
  expect(validate({ plugin: {} }, schema)).toEqual(['$: no plugins', '$.plugin: not allowed']);
});

test('describe: the selected pod of the selected namespace and context, as describe prints it', async () => {
  const p = entries.find((e) => (e.args ?? []).join(' ').includes('sidecars describe'))!;
  expect(p).toBeDefined();
  const e = startEntry(p);
  expect(await e.exited).toBe(0);
  expect(e.stderr()).toBe('');
  const direct = await run(['describe', 'ordering', '-n', 'rec-ordering', '--kubeconfig', join(dir, 'kubeconfig'), '--context', CONTEXT, '--color', 'always']);
  expect(direct.code).toBe(0);
  expect(e.stdout()).toBe(direct.stdout);
  expect(e.stdout()).toContain('rec-ordering/ordering');
});

test('watch: the selected pod\'s lines until Ctrl-C (exit 130)', async () => {
  const p = entries.find((e) => (e.args ?? []).includes('watch'))!;
  expect(p).toBeDefined();
  const e = startEntry(p);
  const t0 = Date.now();
  while (!/rec-ordering\/ordering\s/.test(e.stdout()) && Date.now() - t0 < 20000) await new Promise((r) => setTimeout(r, 50));
  expect(e.stdout()).toMatch(/rec-ordering\/ordering\s+\S+\s+State\s/);
  process.kill(-e.child.pid!, 'SIGINT'); // the terminal's Ctrl-C reaches the whole foreground group
  expect(await e.exited).toBe(130);
  expect(e.stderr().split('\n').filter((l) => l && !l.startsWith('note: '))).toEqual([]);
  expect(srv.requests.filter((r) => r.path.includes('/namespaces/rec-ordering/pods')).length).toBeGreaterThan(0);
  expect(srv.requests.some((r) => r.path.startsWith('/api/v1/pods'))).toBe(false);
}, 30000);
