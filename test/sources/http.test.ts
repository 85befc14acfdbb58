// The GET client through real kubeconfigs: auth done by client-node (token, exec plugin, client
// certificate), impersonation, TLS and network failures as one-line messages, gzip, watch streams.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { CERTS_DIR, startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { loadKubeconfig } from '../../src/sources/kubeconfig.js';
import { HttpClient } from '../../src/sources/http.js';
import { ApiError } from '../../src/sources/errors.js';
import { KubeApi } from '../../src/sources/api.js';
import type { Pod } from '../../src/model/k8s.js';

const cert = (f: string) => path.join(CERTS_DIR, f);
const b64 = (f: string) => fs.readFileSync(cert(f)).toString('base64');

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-http-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A kubeconfig for `server` with the given user body (YAML lines, already indented by 4). */
function kubeconfig(name: string, server: string, user: string[], ca = 'ca.crt'): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(
    file,
    [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      'clusters:', '- name: c', '  cluster:', `    server: ${server}`, `    certificate-authority-data: ${b64(ca)}`,
      'users:', '- name: the-user', '  user:', ...user.map((l) => `    ${l}`),
      'contexts:', '- name: t', '  context:', '    cluster: c', '    user: the-user', '    namespace: rec-ordering',
      '',
    ].join('\n'),
  );
  return file;
}

function client(file: string, opts: ConstructorParameters<typeof HttpClient>[1] = {}): KubeApi {
  return new KubeApi(new HttpClient(loadKubeconfig({ kubeconfig: file, env: {} }), { retry: { baseDelayMs: 10 }, ...opts }));
}

async function listen(server: http.Server | https.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return `${server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${port}`;
}

async function oneLine(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).oneLine();
  }
  throw new Error('did not fail');
}

describe('auth through client-node', () => {
  let srv: RunningApiServer;
  beforeAll(async () => {
    srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'terminating', auth: { token: 'good-token' } });
  });
  afterAll(() => srv.close());

  test('a token user: client-node sends the kubeconfig\'s token (the server answers 401 without it)', async () => {
    const api = client(kubeconfig('token', srv.url, ['token: good-token']));
    expect((await api.getPod('rec-ordering', 'ordering')).metadata?.name).toBe('ordering');
    api.http.close();
  });

  test('an exec credential plugin (ExecCredential on stdout)', async () => {
    const script = path.join(tmp, 'cred-plugin.mjs');
    fs.writeFileSync(
      script,
      `import fs from 'node:fs';\nfs.appendFileSync(${JSON.stringify(path.join(tmp, 'exec-calls'))}, 'x');\n` +
        `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: process.env.TOKEN_FOR_TEST } }));\n`,
    );
    const user = ['exec:', '  apiVersion: client.authentication.k8s.io/v1', `  command: ${JSON.stringify(process.execPath)}`, `  args: [${JSON.stringify(script)}]`, '  env: [{ name: TOKEN_FOR_TEST, value: good-token }]'];
    const api = client(kubeconfig('exec', srv.url, user));
    const list = await api.listPods({ namespace: 'rec-ordering' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['ordering']);
    await Promise.all([api.getVersion(), api.getPod('rec-ordering', 'ordering'), api.listEvents('rec-ordering')]);
    // one credential for the whole run, as kubectl keeps it (no expirationTimestamp given)
    expect(fs.readFileSync(path.join(tmp, 'exec-calls'), 'utf8')).toBe('x');
    api.http.close();
  });

  test('a failing exec plugin is a credentials error', async () => {
    const script = path.join(tmp, 'bad-plugin.mjs');
    fs.writeFileSync(script, `process.stderr.write('no session: run login first\\n'); process.exit(1);\n`);
    const api = client(kubeconfig('bad-exec', srv.url, ['exec:', '  apiVersion: client.authentication.k8s.io/v1', `  command: ${JSON.stringify(process.execPath)}`, `  args: [${JSON.stringify(script)}]`]));
    expect(await oneLine(api.getVersion())).toBe('error: getting credentials: user "the-user": no session: run login first');
  });

  test('401: the rejected user is named', async () => {
    const api = client(kubeconfig('wrong', srv.url, ['token: expired-token']));
    expect(await oneLine(api.getPod('rec-ordering', 'ordering'))).toBe('error: unauthorized: the server rejected the credentials of user "the-user" (token expired?)');
  });

  test('--as and --as-group become impersonation headers', async () => {
    const api = client(kubeconfig('as', srv.url, ['token: good-token']), { as: 'jane', asGroups: ['dev', 'ops'] });
    srv.requests.length = 0;
    await api.getVersion();
    expect(srv.requests[0].headers['impersonate-user']).toBe('jane');
    // (one header line per group, as the API server needs, is checked on raw headers below)
    api.http.close();
  });
});

describe('client certificate and TLS failures', () => {
  const servers: (http.Server | https.Server)[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise((r) => s.close(r)))));

  // A tiny HTTPS server that, like the API server, authenticates the client certificate (CN = user).
  async function tlsServer(certName: string, requireClient: boolean): Promise<string> {
    const s = https.createServer(
      { cert: fs.readFileSync(cert(`${certName}.crt`)), key: fs.readFileSync(cert(`${certName}.key`)), ca: fs.readFileSync(cert('ca.crt')), requestCert: requireClient, rejectUnauthorized: requireClient },
      (req, res) => {
        const peer = (req.socket as TLSSocket).getPeerCertificate();
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ major: '1', minor: '33', gitVersion: `user=${peer?.subject?.CN ?? ''}` }));
      },
    );
    servers.push(s);
    return listen(s);
  }

  test('client-certificate / client-key files: the server sees CN=test-user', async () => {
    const url = await tlsServer('server', true);
    const api = client(kubeconfig('cert', url, [`client-certificate: ${cert('client.crt')}`, `client-key: ${cert('client.key')}`]));
    expect((await api.getVersion()).gitVersion).toBe('user=test-user');
    const inline = client(kubeconfig('cert-data', url, [`client-certificate-data: ${b64('client.crt')}`, `client-key-data: ${b64('client.key')}`]));
    expect((await inline.getVersion()).gitVersion).toBe('user=test-user');
    api.http.close();
    inline.http.close();
  });

  test('unknown CA and expired certificate', async () => {
    const good = await tlsServer('server', false);
    expect(await oneLine(client(kubeconfig('other-ca', good, ['{}'], 'other-ca.crt')).getVersion())).toBe(
      "error: TLS: the server's certificate is signed by an unknown authority (check certificate-authority-data in kubeconfig)",
    );
    const expired = await tlsServer('expired', false);
    expect(await oneLine(client(kubeconfig('expired', expired, ['{}'])).getVersion())).toBe("error: TLS: the server's certificate has expired (or this machine's clock is wrong)");
  });

  test('connection refused names the server and what to check', async () => {
    const s = http.createServer();
    const url = (await listen(s)).replace('http:', 'https:');
    await new Promise((r) => s.close(r));
    expect(await oneLine(client(kubeconfig('refused', url, ['{}'])).getVersion())).toBe(
      `error: cannot reach the API server at ${url}: connection refused (is the cluster running? check --context)`,
    );
  });
});

/** Writes the body in pieces ending at `cuts` (byte offsets), 5 ms apart, then ends the response. */
function sendInPieces(res: http.ServerResponse, body: Buffer, cuts: number[]): void {
  let from = 0;
  const send = (k: number) => {
    if (k === cuts.length) return void res.end();
    res.write(body.subarray(from, cuts[k]));
    from = cuts[k];
    setTimeout(() => send(k + 1), 5);
  };
  send(0);
}

describe('bodies and streams', () => {
  let url: string;
  let lastAccept: string | undefined;
  let lastRaw: string[] = [];
  const s = http.createServer((req, res) => {
    lastAccept = req.headers['accept-encoding'] as string | undefined;
    lastRaw = req.rawHeaders;
    if (req.url?.startsWith('/api/v1/namespaces/utf/pods?watch')) {
      // UTF-8 sequences cut between chunks: the stream is split into lines as bytes
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = Buffer.from(['é-1', '🚀-2', 'ü'].map((n) => JSON.stringify({ type: 'ADDED', object: { metadata: { name: n } } })).join('\n') + '\n');
      const rocket = body.indexOf(Buffer.from('🚀'));
      return sendInPieces(res, body, [body.indexOf(Buffer.from('é')) + 1, rocket + 1, rocket + 3, body.length - 4, body.length]);
    }
    if (req.url?.startsWith('/api/v1/namespaces/ns/pods?watch')) {
      // Lines split at awkward places across chunks, and a last line without a newline.
      res.writeHead(200, { 'content-type': 'application/json' });
      const lines = [1, 2, 3].map((i) => JSON.stringify({ type: 'ADDED', object: { metadata: { name: `p${i}` } } }));
      const text = Buffer.from(`${lines[0]}\n${lines[1]}\n${lines[2]}`);
      return sendInPieces(res, text, [5, 40, text.indexOf('\n') + 1, text.length - 3, text.length]);
    }
    if (req.url === '/api/v1/namespaces/ns/pods') {
      // gzip, as the API server sends large lists to clients that accept it
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      return res.end(zlib.gzipSync(JSON.stringify({ kind: 'PodList', items: [{ metadata: { name: 'zipped' } }], metadata: {} })));
    }
    if (req.url?.startsWith('/api/v1/namespaces/ns/pods/forever?watch')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.write(JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'x' } } }) + '\n');
    }
    if (req.url?.startsWith('/api/v1/namespaces/ns/pods/chatty/log?')) {
      // a followed log: a line, one of 40,000 bytes over three chunks, a line, and one without newline
      res.writeHead(200, { 'content-type': 'text/plain' });
      const long = 'x'.repeat(40000);
      res.write('short\n' + long.slice(0, 10000));
      res.write(long.slice(10000, 30000));
      res.write(long.slice(30000) + '\nafter\n');
      return res.end('tail');
    }
    res.writeHead(404).end();
  });
  beforeAll(async () => {
    // a plain-http server, as behind `kubectl proxy`: kubectl allows it, and so do we
    url = await listen(s);
  });
  afterAll(() => {
    s.closeAllConnections();
    return new Promise((r) => s.close(r));
  });

  function plain(): HttpClient {
    const file = path.join(tmp, 'plain');
    fs.writeFileSync(file, `current-context: t\nclusters: [{ name: c, cluster: { server: "${url}" } }]\ncontexts: [{ name: t, context: { cluster: c } }]\n`);
    return new HttpClient(loadKubeconfig({ kubeconfig: file, env: {} }));
  }

  test('gzip bodies are accepted and decoded', async () => {
    const h = plain();
    const list = await new KubeApi(h).listPods({ namespace: 'ns' });
    expect(list.items.map((p: Pod) => p.metadata?.name)).toEqual(['zipped']);
    expect(lastAccept).toBe('gzip');
    h.close();
  });

  test('each --as-group is its own Impersonate-Group header line', async () => {
    const file = path.join(tmp, 'plain-as');
    fs.writeFileSync(file, `current-context: t\nclusters: [{ name: c, cluster: { server: "${url}" } }]\ncontexts: [{ name: t, context: { cluster: c } }]\n`);
    const h = new HttpClient(loadKubeconfig({ kubeconfig: file, env: {} }), { as: 'jane', asGroups: ['dev', 'ops'] });
    await h.getText('/nothing', {}, { verb: 'get', resource: 'x' }).catch(() => undefined);
    const pairs = lastRaw.flatMap((v, i) => (i % 2 === 0 ? [[v.toLowerCase(), lastRaw[i + 1]]] : []));
    expect(pairs.filter(([k]) => k === 'impersonate-group').map(([, v]) => v)).toEqual(['dev', 'ops']);
    expect(pairs.filter(([k]) => k === 'impersonate-user').map(([, v]) => v)).toEqual(['jane']);
    h.close();
  });

  test.each([
    ['newline-delimited objects across chunk boundaries, then end', 'ns', ['p1', 'p2', 'p3']],
    ['a character cut between two chunks arrives whole', 'utf', ['é-1', '🚀-2', 'ü']],
  ])('getStream: %s', async (_what, namespace, names) => {
    const h = plain();
    const got: unknown[] = [];
    await h.getStream(`/api/v1/namespaces/${namespace}/pods`, { watch: 'true' }, (o) => got.push(o), { verb: 'watch', resource: 'pods', namespace });
    expect(got.map((o) => (o as { object: Pod }).object.metadata?.name)).toEqual(names);
    h.close();
  });

  test('getLines: a line over the limit is cut there and marked, the rest of it dropped, the next lines whole', async () => {
    const h = plain();
    const got: [string, boolean][] = [];
    await h.getLines('/api/v1/namespaces/ns/pods/chatty/log', { follow: 'true' }, (t, cut) => got.push([t, cut]), { verb: 'get', resource: 'pods/log', namespace: 'ns' }, new AbortController().signal, 16384);
    expect(got).toEqual([['short', false], ['x'.repeat(16384), true], ['after', false], ['tail', false]]);
    h.close();
  });

  test('getStream: an abort signal ends an open stream quietly', async () => {
    const h = plain();
    const ac = new AbortController();
    const got: unknown[] = [];
    await h.getStream('/api/v1/namespaces/ns/pods/forever', { watch: 'true' }, (o) => {
      got.push(o);
      ac.abort();
    }, { verb: 'watch', resource: 'pods', namespace: 'ns' }, ac.signal);
    expect(got).toHaveLength(1);
    h.close();
  });
});
