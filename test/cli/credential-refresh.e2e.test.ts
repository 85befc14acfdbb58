// A 401 refreshes the credentials and tries once more, as client-go does: a rotated token file is
// read again at once, an exec plugin is run again (with or without expirationTimestamp). The old
// token is revoked while `watch` runs (the test server's accepted token changes): the watch goes
// on. A second 401 in a row stands (one error line).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { start } from './run.js';

let tmp: string;
let srv: RunningApiServer;
const auth = { token: 'old-token' };
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-credential-refresh-'));
  srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', auth });
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});
beforeEach(() => {
  auth.token = 'old-token';
});

function kubeconfig(name: string, user: string): string {
  const text = fs.readFileSync(srv.kubeconfigPath, 'utf8').replace(/( {2}user:)(?:\n {4}.*)+/, `$1 ${user}`);
  const kc = path.join(tmp, `${name}.kubeconfig`);
  fs.writeFileSync(kc, text);
  return kc;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A plugin printing the token in `file`, with an expirationTimestamp an hour away or none. */
function plugin(name: string, file: string, expires: boolean): string {
  const script = path.join(tmp, `${name}.mjs`);
  fs.writeFileSync(script, `import fs from 'node:fs';
const status = { token: fs.readFileSync(${JSON.stringify(file)}, 'utf8').trim() };
${expires ? "status.expirationTimestamp = new Date(Date.now() + 3600e3).toISOString();" : ''}
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status }));
`);
  return `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(script)}] } }`;
}

test.each([
  ['a token file', (file: string) => `{ tokenFile: ${JSON.stringify(file)} }`],
  ['an exec plugin without expirationTimestamp', (file: string) => plugin('no-expiry', file, false)],
  ['an exec plugin whose token says it has an hour left', (file: string) => plugin('expiry', file, true)],
])('%s: the old token revoked while watching, the watch goes on with the new one', async (name, user) => {
  const file = path.join(tmp, `${name.replace(/\W+/g, '-')}.token`);
  fs.writeFileSync(file, 'old-token\n');
  // every watch re-made after a second of silence (hidden --watch-stall): each is a new request
  const cli = start(['watch', 'ordering', '--kubeconfig', kubeconfig(name.replace(/\W+/g, '-'), user(file)), '-o', 'json', '--timeout', '6s', '--watch-stall', '1s'], { timeoutMs: 20000 });
  const t0 = Date.now();
  while (cli.stdout() === '' && Date.now() - t0 < 10000) await sleep(20);
  expect(cli.stdout()).not.toBe('');
  const first = srv.requests.length;
  fs.writeFileSync(file, 'new-token\n');
  auth.token = 'new-token';
  const r = await cli.done;
  const after = srv.requests.slice(first);
  expect(r.stderr).not.toMatch(/error|unauthorized/);
  expect(r.code).toBe(0);
  // one 401 per stream at most, each followed by a success; watching went on
  expect(after.filter((q) => q.status === 401).length).toBeGreaterThanOrEqual(1);
  expect(after.filter((q) => q.status === 401).length).toBeLessThanOrEqual(2);
  expect(after.filter((q) => q.status === 200 && q.query.watch === 'true').length).toBeGreaterThanOrEqual(2);
}, 30000);

test('a token revoked and not rotated: the second 401 ends the watch with one line', async () => {
  const file = path.join(tmp, 'stale.token');
  fs.writeFileSync(file, 'old-token\n');
  const cli = start(['watch', 'ordering', '--kubeconfig', kubeconfig('stale', `{ tokenFile: ${JSON.stringify(file)} }`), '-o', 'json', '--timeout', '10s', '--watch-stall', '1s'], { timeoutMs: 20000 });
  const t0 = Date.now();
  while (cli.stdout() === '' && Date.now() - t0 < 10000) await sleep(20);
  const first = srv.requests.length;
  auth.token = 'another-token';
  const r = await cli.done;
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: unauthorized: the server rejected the credentials of user "test-user" \(token expired\?\)\n$/m);
  expect(srv.requests.slice(first).filter((q) => q.status === 401).length).toBeLessThanOrEqual(4);
}, 30000);

test('a rotated token file, the old token still good: sent within about a minute (the file is re-read once a minute)', async () => {
  const file = path.join(tmp, 'rotated.token');
  fs.writeFileSync(file, 'old-token\n');
  const cli = start(['watch', 'ordering', '--kubeconfig', kubeconfig('rotated', `{ tokenFile: ${JSON.stringify(file)} }`), '-o', 'json', '--timeout', '75s', '--watch-stall', '2s'], { timeoutMs: 90000 });
  const t0 = Date.now();
  while (cli.stdout() === '' && Date.now() - t0 < 10000) await sleep(20);
  fs.writeFileSync(file, 'new-token\n');
  const rotatedAt = Date.now();
  const first = srv.requests.length;
  // the server takes both (revoking the old one is the other tests'): only the header says which was sent
  const seen = () => srv.requests.slice(first).find((q) => q.headers.authorization === 'Bearer new-token');
  const origAuth = auth.token;
  auth.token = undefined as unknown as string;
  try {
    while (!seen() && Date.now() - rotatedAt < 70000) await sleep(250);
    expect(seen()).toBeDefined();
    // the credentials are cached a minute (sources/auth.ts AUTH_TTL_MS), then the file is read again
    expect(Date.now() - rotatedAt).toBeLessThan(70000);
  } finally {
    auth.token = origAuth;
    cli.child.kill('SIGINT');
    await cli.done;
  }
}, 100000);
