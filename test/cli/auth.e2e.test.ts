// `describe POD` through the built bundle with each kind of kubeconfig user: token and client
// certificate users are served without client-node, an exec plugin user loads it on demand (a
// lazily initialised module inside the one bundle file).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CERTS_DIR, startApiServer, type RunningApiServer } from '../apiserver/server.js';
import type { PodLifecycleList } from '../../src/model/types.js';
import { run } from './run.js';

let tmp: string;
let withToken: RunningApiServer;
let open: RunningApiServer;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-auth-e2e-'));
  [withToken, open] = await Promise.all([
    startApiServer({ scenarios: ['ordering'], snapshot: 'terminating', auth: { token: 'good-token' } }),
    startApiServer({ scenarios: ['ordering'], snapshot: 'terminating' }),
  ]);
});
afterAll(async () => {
  await Promise.all([withToken.close(), open.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** The server's own kubeconfig with its user replaced (YAML flow mapping). */
function withUser(server: RunningApiServer, name: string, user: string): string {
  const text = fs.readFileSync(server.kubeconfigPath, 'utf8').replace(/( {2}user:)(?:\n {4}.*)+/, `$1 ${user}`);
  expect(text).toContain(`user: ${user}`);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

async function describePod(kubeconfig: string): Promise<string[]> {
  const r = await run(['describe', 'ordering', '-n', 'rec-ordering', '-o', 'json', '--kubeconfig', kubeconfig]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as PodLifecycleList).items.map((p) => p.pod.name);
}

test('a token user: every request carries the kubeconfig\'s token as a bearer token (the server answers 401 without it)', async () => {
  const before = withToken.requests.length;
  expect(await describePod(withToken.kubeconfigPath)).toEqual(['ordering']);
  const sent = withToken.requests.slice(before);
  expect(sent.length).toBeGreaterThan(0);
  expect(sent.filter((r) => r.headers.authorization !== 'Bearer good-token').map((r) => r.path)).toEqual([]);
});

test('a wrong token is refused by the server (the token is really sent)', async () => {
  const r = await run(['describe', 'ordering', '-n', 'rec-ordering', '--kubeconfig', withUser(withToken, 'wrong', '{ token: wrong }')]);
  expect(r.code).not.toBe(0);
  expect(r.stderr).toContain('unauthorized');
});

test('a client certificate user, inline data', async () => {
  expect(fs.readFileSync(open.kubeconfigPath, 'utf8')).toContain('client-key-data:');
  expect(await describePod(open.kubeconfigPath)).toEqual(['ordering']);
});

test('a client certificate user, files', async () => {
  const [crt, key] = [path.join(CERTS_DIR, 'client.crt'), path.join(CERTS_DIR, 'client.key')];
  expect(await describePod(withUser(open, 'cert-files', `{ client-certificate: ${JSON.stringify(crt)}, client-key: ${JSON.stringify(key)} }`))).toEqual(['ordering']);
});

test('an exec plugin user (client-node loaded on demand)', async () => {
  const script = path.join(tmp, 'plugin.mjs');
  fs.writeFileSync(script, `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'good-token' } }));\n`);
  const user = `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(script)}] } }`;
  expect(await describePod(withUser(withToken, 'exec', user))).toEqual(['ordering']);
});
