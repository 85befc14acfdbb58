// A credential rotation that changes the TLS material (an exec plugin handing out a new client
// certificate) gives NEW requests a new agent, and must not cut the watch streams still open on
// the old one (src/sources/auth.ts): they run to their end; close() still ends them (Ctrl-C).
// Through the local HTTPS API server, which here records the CN of the certificate each request's
// connection presented.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CERTS_DIR, startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { loadKubeconfig } from '../../src/sources/kubeconfig.js';
import { HttpClient } from '../../src/sources/http.js';
import { KubeApi } from '../../src/sources/api.js';

const pem = (f: string) => fs.readFileSync(path.join(CERTS_DIR, f), 'utf8');
const POD_WATCH = '/api/v1/namespaces/rec-ordering/pods';

let tmp: string;
let srv: RunningApiServer;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-rotate-'));
  srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'terminating', auth: { token: 'good-token' }, clientCertificates: true });
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * An exec plugin whose first run gives certificate A (client.crt, CN test-user) and every later
 * run certificate B (expired.crt, CN 127.0.0.1: the server asks for a certificate but does not
 * verify it, so any key pair shows the switch). No expirationTimestamp: client-node runs it again
 * whenever our credential cache asks (its TTL is shortened through the authTtlMs test hook).
 */
function rotatingClient(name: string): { api: KubeApi; calls: () => number } {
  const calls = path.join(tmp, `${name}-calls`);
  const script = path.join(tmp, `${name}.mjs`);
  const certs = [{ cert: pem('client.crt'), key: pem('client.key') }, { cert: pem('expired.crt'), key: pem('expired.key') }];
  fs.writeFileSync(
    script,
    `import fs from 'node:fs';\n` +
      `const certs = ${JSON.stringify(certs)};\n` +
      `const n = fs.existsSync(${JSON.stringify(calls)}) ? fs.readFileSync(${JSON.stringify(calls)}, 'utf8').length : 0;\n` +
      `fs.appendFileSync(${JSON.stringify(calls)}, 'x');\n` +
      `const c = certs[Math.min(n, 1)];\n` +
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'good-token', clientCertificateData: c.cert, clientKeyData: c.key } }));\n`,
  );
  const file = path.join(tmp, `${name}.kubeconfig`);
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      'clusters:', '- name: c', '  cluster:', `    server: ${srv.url}`, `    certificate-authority-data: ${Buffer.from(pem('ca.crt')).toString('base64')}`,
      'users:', '- name: u', '  user:', '    exec:', '      apiVersion: client.authentication.k8s.io/v1', `      command: ${JSON.stringify(process.execPath)}`, `      args: [${JSON.stringify(script)}]`,
      'contexts:', '- name: t', '  context:', '    cluster: c', '    user: u', '    namespace: rec-ordering', '',
    ].join('\n'),
  );
  const http = new HttpClient(loadKubeconfig({ kubeconfig: file, env: {} }), { retry: { baseDelayMs: 10 }, authTtlMs: 1000 });
  return { api: new KubeApi(http), calls: () => (fs.existsSync(calls) ? fs.readFileSync(calls, 'utf8').length : 0) };
}

async function until(cond: () => boolean, what: string, ms = 10000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Opens a pods watch (from the list's resourceVersion: the server sends nothing until pushed to, and
 * ends it after timeoutSeconds).
 */
async function openWatch(api: KubeApi, signal: AbortSignal, timeoutSeconds = 60) {
  const list = await api.listPods({ namespace: 'rec-ordering' });
  const lines: unknown[] = [];
  let outcome: string | undefined;
  const done = api.http
    .getStream(POD_WATCH, { watch: 'true', resourceVersion: list.resourceVersion, timeoutSeconds }, (o) => lines.push(o), { verb: 'watch', resource: 'pods', namespace: 'rec-ordering' }, signal)
    .then(() => (outcome = 'ended'), (e: Error) => (outcome = `failed: ${e.message}`));
  await until(() => srv.openWatches('pods') === 1, 'the watch to open');
  return { pod: list.items[0], lines, outcome: () => outcome, done };
}

test('a new client certificate: new requests use it, the open watch keeps streaming on the old connection', async () => {
  srv.requests.length = 0;
  const { api, calls } = rotatingClient('rotate');
  const ac = new AbortController();
  const w = await openWatch(api, ac.signal);
  expect(calls()).toBe(1);

  await sleep(1100); // past the credential's TTL: the next request runs the plugin again
  expect((await api.getPod('rec-ordering', 'ordering')).metadata?.name).toBe('ordering');
  expect(calls()).toBe(2);
  const cns = srv.requests.map((r) => `${r.query.watch ? 'watch' : 'get'} ${r.clientCN}`);
  expect(cns).toEqual(['get test-user', 'watch test-user', 'get 127.0.0.1']);

  // The watch opened with certificate A is still open and still delivers.
  expect(w.outcome()).toBeUndefined();
  expect(srv.pushWatch('pods', [{ type: 'MODIFIED', object: w.pod }])).toBe(1);
  await until(() => w.lines.length === 1, 'the pushed event');
  expect((w.lines[0] as { type: string }).type).toBe('MODIFIED');
  expect(srv.requests.filter((r) => r.query.watch).length).toBe(1); // never re-opened

  ac.abort();
  await w.done;
  expect(w.outcome()).toBe('ended');
  api.http.close();
});

test('close() also ends a watch still open on a replaced agent (Ctrl-C ends everything)', async () => {
  const { api } = rotatingClient('close');
  const w = await openWatch(api, new AbortController().signal);
  await sleep(1100);
  await api.getVersion(); // a new certificate: a new agent; the watch stays on the old one
  expect(srv.openWatches('pods')).toBe(1);
  expect(w.outcome()).toBeUndefined();
  api.http.close();
  await w.done;
  expect(w.outcome()).toMatch(/^(ended|failed: )/);
  await until(() => srv.openWatches('pods') === 0, 'the server to see the watch closed');
});

test("the replaced agent's connection is closed once its watch ends, not kept idle", async () => {
  const { api } = rotatingClient('idle');
  const base = srv.openConnections();
  const w = await openWatch(api, new AbortController().signal, 3);
  await sleep(1100);
  await api.getVersion(); // certificate B: a second connection, on the new agent
  expect(srv.openConnections()).toBe(base + 2);
  await w.done; // the server ends the watch after 3 s
  expect(w.outcome()).toBe('ended');
  // the old agent does not pool the freed socket: it closes at once (node's server would keep an
  // idle connection open for its keepAliveTimeout, 5 s)
  await until(() => srv.openConnections() === base + 1, 'the old connection to close', 1500);
  await sleep(300);
  expect(srv.openConnections()).toBe(base + 1);
  api.http.close();
});
