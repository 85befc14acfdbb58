// Completion against hostile servers and credential plugins, through kubectl itself (1.32: its bash
// script passes our candidates to `compgen -W`, which expands `$(…)`): only names of Kubernetes
// syntax are offered, a server that ignores `limit` costs a bounded read, and a hung exec plugin
// cannot hold the shell past the 2 s promise (it is killed).
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT } from './run.js';

let tmp: string;
let hostile: http.Server;
let hostileUrl: string;
/** What the hostile server sends as pod names, by namespace. */
const NAMES: Record<string, string[]> = {};
const HUGE = 3_000_000;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-complete-safety-'));
  NAMES.mixed = [
    'web-1',
    `$(touch ${path.join(tmp, 'pwned')})`,
    '`touch x`',
    'a\u202eb', // bidi override
    'a\u200bb', // zero-width space
    'a\tb',
    '\u0085next', // C1
    'Upper',
    'db-0.shard',
  ];
  hostile = http.createServer((req, res) => {
    const ns = /^\/api\/v1\/namespaces\/([^/]+)\/pods/.exec(req.url ?? '')?.[1];
    if (req.url?.startsWith('/api/v1/namespaces?') || req.url === '/api/v1/namespaces') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'NamespaceList', items: ['ok-ns', '..', 'x/y', '$(id)'].map((name) => ({ metadata: { name } })) }));
      return;
    }
    if (ns === 'huge') {
      // ignores `limit`: 3 M names (~100 MB), written as fast as the client reads
      res.writeHead(200, { 'content-type': 'application/json' });
      let i = 0;
      res.write('{"kind":"PodList","items":[');
      const more = () => {
        while (i < HUGE) {
          const chunk: string[] = [];
          for (let k = 0; k < 10000 && i < HUGE; k++, i++) chunk.push(`${i ? ',' : ''}{"metadata":{"name":"pod-${i}"}}`);
          if (!res.write(chunk.join(''))) return void res.once('drain', more);
        }
        res.end(']}');
      };
      res.on('error', () => undefined);
      more();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'PodList', items: (NAMES[ns ?? ''] ?? []).map((name) => ({ metadata: { name } })) }));
  });
  await new Promise<void>((r) => hostile.listen(0, '127.0.0.1', r));
  hostileUrl = `http://127.0.0.1:${(hostile.address() as { port: number }).port}`;
});
afterAll(async () => {
  hostile.closeAllConnections();
  await new Promise((r) => hostile.close(r));
  fs.rmSync(tmp, { recursive: true, force: true });
});

function kubeconfig(name: string, server: string, namespace: string, user = '{}'): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, [
    'apiVersion: v1', 'kind: Config',
    'clusters:', `- name: c`, '  cluster:', `    server: ${server}`,
    'users:', `- name: u`, `  user: ${user}`,
    'contexts:', '- name: x', '  context:', '    cluster: c', '    user: u', `    namespace: ${namespace}`,
    'current-context: x', '',
  ].join('\n'));
  return file;
}

const PATH = [path.join(ROOT, 'bin'), path.dirname(process.execPath), process.env.PATH ?? ''].join(path.delimiter);

/** `kubectl __complete sidecars WORDS...`: candidates, directive, time. */
function tab(kc: string, ...words: string[]): Promise<{ items: string[]; directive: string; ms: number }> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    execFile('kubectl', ['__complete', 'sidecars', ...words], { cwd: ROOT, env: { PATH, HOME: '/nonexistent', KUBECONFIG: kc }, encoding: 'utf8', timeout: 30000 }, (_e, stdout) => {
      const lines = stdout.trim().split('\n');
      resolve({ items: lines.slice(0, -1).map((l) => l.split('\t')[0]), directive: lines[lines.length - 1], ms: Date.now() - t0 });
    });
  });
}

test('only names of Kubernetes syntax are offered: no shell syntax, bidi, zero-width, C1 or tab', async () => {
  const kc = kubeconfig('mixed', hostileUrl, 'mixed');
  expect((await tab(kc, 'describe', '')).items.filter((i) => !i.endsWith('/'))).toEqual(['web-1', 'db-0.shard']);
  expect((await tab(kc, 'describe', 'pod/')).items).toEqual(['pod/web-1', 'pod/db-0.shard']);
  // namespaces are DNS-1123 labels
  expect((await tab(kc, 'describe', '-n', '')).items).toEqual(['ok-ns']);
});

/** bash-completion's library: kubectl's bash script needs its _get_comp_words_by_ref (apt-get install bash-completion). */
const BASH_COMPLETION = '/usr/share/bash-completion/bash_completion';

(fs.existsSync(BASH_COMPLETION) ? test : test.skip)('bash: TAB through kubectl\'s own completion script never runs a name', async () => {
  const kc = kubeconfig('mixed-bash', hostileUrl, 'mixed');
  const script = [
    `source ${BASH_COMPLETION}`,
    'source <(kubectl completion bash)',
    "COMP_WORDS=(kubectl sidecars describe '')",
    'COMP_CWORD=3',
    "COMP_LINE='kubectl sidecars describe '",
    'COMP_POINT=${#COMP_LINE}',
    '__start_kubectl kubectl "" sidecars',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const out = await new Promise<string>((resolve, reject) => {
    execFile('bash', ['-c', script], { cwd: ROOT, env: { PATH, HOME: '/nonexistent', KUBECONFIG: kc }, encoding: 'utf8', timeout: 30000 }, (e, stdout) => (e ? reject(e) : resolve(stdout)));
  });
  expect(out.split('\n').filter(Boolean).filter((l) => !l.endsWith('/'))).toEqual(['web-1', 'db-0.shard']);
  expect(fs.existsSync(path.join(tmp, 'pwned'))).toBe(false);
});

test('a server that ignores limit (3 M names): one TAB stops at a bound, quickly', async () => {
  const kc = kubeconfig('huge', hostileUrl, 'huge');
  const r = await tab(kc, 'describe', 'pod-1');
  expect(r.ms).toBeLessThan(3000);
  expect(r.items.length).toBeLessThanOrEqual(500);
  expect(r.directive).toMatch(/^:\d+$/);
});

describe('a hung exec credential plugin', () => {
  let srv: RunningApiServer;
  beforeAll(async () => {
    srv = await startApiServer({ scenarios: ['ordering'], auth: { token: 'good-token' } });
  });
  afterAll(() => srv.close());

  test('is killed at the 2 s deadline, and completion answers', async () => {
    const pidFile = path.join(tmp, 'plugin.pid');
    const plugin = path.join(tmp, 'hung.mjs');
    fs.writeFileSync(plugin, `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(pidFile)}, String(process.pid));\nsetTimeout(() => {}, 60000);\n`);
    const base = fs.readFileSync(srv.kubeconfigPath, 'utf8');
    const user = `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(plugin)}] } }`;
    const kc = path.join(tmp, 'hung.kubeconfig');
    fs.writeFileSync(kc, base.replace(/( {2}user:)(?:\n {4}.*)+/, `$1 ${user}`));
    const r = await tab(kc, 'describe', '');
    expect(r.ms).toBeLessThan(4000);
    expect(r.items.every((i) => i.endsWith('/'))).toBe(true);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    // gone within 3 s of the answer (SIGTERM to its process group, then the group's exit)
    const alive = () => { try { process.kill(pid, 0); return true; } catch { return false; } };
    for (let i = 0; i < 30 && alive(); i++) await new Promise((res) => setTimeout(res, 100));
    expect(alive()).toBe(false);
  });
});

describe('namespaces where the user may not list them', () => {
  let srv: RunningApiServer;
  beforeAll(async () => {
    srv = await startApiServer({ scenarios: ['ordering'], deny: [{ verb: 'list', resource: 'namespaces' }] });
  });
  afterAll(() => srv.close());

  test('-n completes nothing, silently (the 403 was asked for and got)', async () => {
    const r = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile('kubectl', ['__complete', 'sidecars', 'describe', '-n', ''], { cwd: ROOT, env: { PATH, HOME: '/nonexistent', KUBECONFIG: srv.kubeconfigPath }, encoding: 'utf8' }, (_e, stdout, stderr) => resolve({ stdout, stderr }));
    });
    expect(r.stdout).toBe(':4\n');
    expect(r.stderr).not.toMatch(/forbidden|error/i);
    expect(srv.requests.filter((q) => q.path === '/api/v1/namespaces').map((q) => q.status)).toEqual([403]);
  });
});
