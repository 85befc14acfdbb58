// Plain kubeconfig credentials are applied without client-node, and give exactly the options
// client-node's KubeConfig gives for the same file; exec plugins and auth providers still go to it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { KubeConfig } from '@kubernetes/client-node';
import { CERTS_DIR } from '../apiserver/server.js';
import { authNeedsClientNode } from '../../src/sources/credentials.js';
import { loadKubeconfig } from '../../src/sources/kubeconfig.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-credentials-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const b64 = (f: string) => fs.readFileSync(path.join(CERTS_DIR, f)).toString('base64');

/** A kubeconfig file with one cluster and one user (YAML flow mappings). */
function kubeconfig(cluster: string, user: string): string {
  const file = path.join(dir, 'config');
  fs.writeFileSync(
    file,
    `current-context: t
clusters: [{ name: c, cluster: { server: "https://127.0.0.1:6443", ${cluster} } }]
users: [{ name: u, user: ${user} }]
contexts: [{ name: t, context: { cluster: c, user: u } }]
`,
  );
  return file;
}

type Applied = { ca?: unknown; cert?: unknown; key?: unknown; headers?: unknown; rejectUnauthorized?: unknown; servername?: unknown; auth?: unknown };
const pick = (o: Applied) => ({ ca: o.ca, cert: o.cert, key: o.key, headers: o.headers, rejectUnauthorized: o.rejectUnauthorized, servername: o.servername, auth: o.auth });

async function ours(file: string): Promise<{ applied: ReturnType<typeof pick>; loadedClientNode: boolean }> {
  const cfg = loadKubeconfig({ kubeconfig: file, env: {} });
  const o: Applied = {};
  await cfg.kubeConfig.applyToHTTPSOptions(o as never);
  return { applied: pick(o), loadedClientNode: cfg.kubeConfig.loadedClientNode };
}

async function clientNodes(file: string): Promise<ReturnType<typeof pick>> {
  const kc = new KubeConfig();
  kc.loadFromFile(file);
  const o: Applied = {};
  await kc.applyToHTTPSOptions(o as never);
  return pick(o);
}

describe('plain credentials, without client-node', () => {
  const cases: [string, () => [string, string]][] = [
    ['token and inline CA', () => [`certificate-authority-data: ${b64('ca.crt')}`, '{ token: abc }']],
    ['token-file, CA file by a relative path', () => {
      // (client-node reads token-file at load without resolving it: an absolute path here)
      fs.writeFileSync(path.join(dir, 'tok'), 'from-file');
      fs.copyFileSync(path.join(CERTS_DIR, 'ca.crt'), path.join(dir, 'ca.crt'));
      return ['certificate-authority: ca.crt', `{ token-file: ${JSON.stringify(path.join(dir, 'tok'))} }`];
    }],
    ['client certificate and key from files', () => {
      fs.copyFileSync(path.join(CERTS_DIR, 'client.crt'), path.join(dir, 'client.crt'));
      fs.copyFileSync(path.join(CERTS_DIR, 'client.key'), path.join(dir, 'client.key'));
      return [`certificate-authority-data: ${b64('ca.crt')}`, '{ client-certificate: client.crt, client-key: client.key }'];
    }],
    ['client certificate and key inline', () => [`certificate-authority-data: ${b64('ca.crt')}`, `{ client-certificate-data: ${b64('client.crt')}, client-key-data: ${b64('client.key')} }`]],
    ['insecure-skip-tls-verify, tls-server-name, basic auth, impersonation', () => ['insecure-skip-tls-verify: true, tls-server-name: kubernetes', '{ username: admin, password: s3cret, as: jane }']],
  ];

  test.each(cases)('%s: the options client-node gives', async (_name, make) => {
    const file = kubeconfig(...make());
    const got = await ours(file);
    expect(got.applied).toEqual(await clientNodes(file));
    expect(got.applied.headers).toBeDefined();
    expect(got.loadedClientNode).toBe(false);
  });

  // client-node lets an inline token win over a token file; client-go's transport reads the file
  // (NewBearerAuthWithRefreshRoundTripper) and keeps the inline token as the fallback (issue 13 #4).
  test('beside an inline token, a readable tokenFile wins (client-go), the inline token is the fallback', async () => {
    fs.writeFileSync(path.join(dir, 'tok'), 'from-file');
    expect((await ours(kubeconfig('tls-server-name: api', '{ token: inline, tokenFile: tok }'))).applied.headers).toEqual({ Authorization: 'Bearer from-file' });
    expect((await ours(kubeconfig('tls-server-name: api', '{ token: inline, tokenFile: gone }'))).applied.headers).toEqual({ Authorization: 'Bearer inline' });
  });

  test('a missing certificate file fails with the same message as client-node', async () => {
    const file = kubeconfig('certificate-authority: nope.crt', '{ token: abc }');
    const theirs = await clientNodes(file).then(() => 'no error', (e: Error) => e.message);
    expect(theirs).toMatch(/ENOENT/);
    await expect(ours(file)).rejects.toThrow(theirs);
  });

  test('basic auth without a password sends an empty one (client-go), not "undefined"', async () => {
    const got = await ours(kubeconfig('tls-server-name: api', '{ username: admin }'));
    expect(got.applied.auth).toBe('admin:');
  });

  test('a token file is read again once a minute (rotated tokens), the last token kept if the file goes', async () => {
    const tok = path.join(dir, 'tok');
    fs.writeFileSync(tok, 'first\n');
    const cfg = loadKubeconfig({ kubeconfig: kubeconfig('tls-server-name: api', '{ token-file: tok }'), env: {} });
    const bearer = async () => {
      const o: { headers?: Record<string, string> } = {};
      await cfg.kubeConfig.applyToHTTPSOptions(o as never);
      return o.headers?.Authorization;
    };
    let now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      fs.writeFileSync(tok, 'second\n');
      expect(await bearer()).toBe('Bearer first');
      now += 61_000;
      expect(await bearer()).toBe('Bearer second');
      fs.rmSync(tok);
      now += 61_000;
      expect(await bearer()).toBe('Bearer second');
    } finally {
      clock.mockRestore();
    }
  });

  test('in-cluster: the service account token without client-node', async () => {
    const sa = path.join(dir, 'sa');
    fs.mkdirSync(sa);
    fs.writeFileSync(path.join(sa, 'token'), 'sa-token');
    fs.writeFileSync(path.join(sa, 'ca.crt'), 'ca');
    const cfg = loadKubeconfig({ env: { HOME: path.join(dir, 'nohome'), KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' } }, { serviceAccountDir: sa });
    const o: { headers?: Record<string, string> } = {};
    await cfg.kubeConfig.applyToHTTPSOptions(o as never);
    expect(o.headers?.Authorization).toBe('Bearer sa-token');
    expect(cfg.kubeConfig.loadedClientNode).toBe(false);
  });
});

describe('what still takes client-node', () => {
  test('authNeedsClientNode: exec plugins and auth providers only', () => {
    expect(authNeedsClientNode({ exec: { command: 'aws' } })).toBe(true);
    expect(authNeedsClientNode({ authProvider: { name: 'oidc', config: {} } })).toBe(true);
    expect(authNeedsClientNode({})).toBe(false);
    const tokenUser = loadKubeconfig({ kubeconfig: kubeconfig('tls-server-name: api', '{ token: abc }'), env: {} }).kubeConfig;
    expect(authNeedsClientNode(tokenUser.getCurrentUser())).toBe(false);
    const certUser = loadKubeconfig({ kubeconfig: kubeconfig('tls-server-name: api', `{ client-certificate-data: ${b64('client.crt')}, client-key-data: ${b64('client.key')} }`), env: {} }).kubeConfig;
    expect(authNeedsClientNode(certUser.getCurrentUser())).toBe(false);
  });

  test('an exec plugin user is applied by client-node (imported on first use)', async () => {
    const script = path.join(dir, 'plugin.mjs');
    fs.writeFileSync(script, `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'from-plugin' } }));\n`);
    const file = kubeconfig('tls-server-name: api', `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(script)}] } }`);
    const cfg = loadKubeconfig({ kubeconfig: file, env: {} });
    expect(cfg.kubeConfig.loadedClientNode).toBe(false);
    const o: { headers?: Record<string, string>; servername?: string } = {};
    await cfg.kubeConfig.applyToHTTPSOptions(o as never);
    expect(o.headers?.Authorization).toBe('Bearer from-plugin');
    expect(o.servername).toBe('api');
    expect(cfg.kubeConfig.loadedClientNode).toBe(true);
  });
});
