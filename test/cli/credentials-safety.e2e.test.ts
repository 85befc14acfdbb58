// Credentials go over TLS only (issue 13 #2), as client-go: "only try to read the auth information
// if we are secure" (clientcmd/client_config.go). Against a plain-http server the plugin sends no
// Authorization header (token, tokenFile, basic auth, exec plugin: which is not even run) and says
// so in one stderr line. And `tokenFile`, client-go's field name (api/v1 AuthInfo), is read (#4).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { run } from './run.js';

let tmp: string;
let plain: RunningApiServer;
let secure: RunningApiServer;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-cred-safety-'));
  [plain, secure] = await Promise.all([
    startApiServer({ scenarios: ['ordering'], snapshot: 'terminating', tls: false }),
    startApiServer({ scenarios: ['ordering'], snapshot: 'terminating', auth: { token: 'file-token' } }),
  ]);
});
afterAll(async () => {
  await Promise.all([plain.close(), secure.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function withUser(server: RunningApiServer, name: string, user: string): string {
  const text = fs.readFileSync(server.kubeconfigPath, 'utf8').replace(/( {2}user:)(?:\n {4}.*| \{\})+/, `$1 ${user}`);
  expect(text).toContain(`user: ${user}`);
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

const describeArgs = (kc: string) => ['describe', 'ordering', '-n', 'rec-ordering', '-o', 'json', '--kubeconfig', kc];

describe('plain http: no credentials sent', () => {
  const users: [string, () => string][] = [
    ['token', () => '{ token: secret-token }'],
    ['tokenFile', () => {
      fs.writeFileSync(path.join(tmp, 'tok'), 'secret-token\n');
      return `{ tokenFile: ${JSON.stringify(path.join(tmp, 'tok'))} }`;
    }],
    ['basic auth', () => '{ username: admin, password: secret-password }'],
    ['exec plugin', () => {
      const script = path.join(tmp, 'plugin.mjs');
      fs.writeFileSync(script, `import fs from 'node:fs'; fs.writeFileSync(${JSON.stringify(path.join(tmp, 'plugin-ran'))}, 'yes');
process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: 'secret-token' } }));\n`);
      return `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(script)}] } }`;
    }],
  ];
  test.each(users)('%s user over plain http: one warning naming the user, no Authorization header sent, no secret printed, no plugin run', async (name, user) => {
    const before = plain.requests.length;
    const kc = withUser(plain, `kc-${name.replace(/ /g, '-')}`, user());
    for (const args of [describeArgs(kc), ['watch', 'ordering', '-n', 'rec-ordering', '--kubeconfig', kc, '--timeout', '300ms']]) {
      const r = await run(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('ordering');
      // exactly one line about it, naming the user, not the secret
      const lines = r.stderr.split('\n').filter((l) => l !== '');
      expect(lines.filter((l) => /not sending the credentials/.test(l))).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^warning: not sending the credentials of user "test-user" \\(${name === 'tokenFile' ? 'token' : name === 'exec plugin' ? 'exec plugin \\(not run\\)' : name}\\) to http://127\\.0\\.0\\.1:\\d+`));
      expect(r.stderr).not.toContain('secret');
    }
    const seen = plain.requests.slice(before);
    expect(seen.length).toBeGreaterThan(2);
    expect(seen.filter((q) => q.headers.authorization !== undefined)).toEqual([]);
    expect(fs.existsSync(path.join(tmp, 'plugin-ran'))).toBe(false);
  }, 20000);

  test('a user without credentials: no warning', async () => {
    const r = await run(describeArgs(plain.kubeconfigPath));
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });
});

describe('tokenFile (client-go: AuthInfo.TokenFile, json "tokenFile")', () => {
  test('the token in the file is sent over https', async () => {
    fs.writeFileSync(path.join(tmp, 'good'), 'file-token\n');
    const r = await run(describeArgs(withUser(secure, 'tf', `{ tokenFile: ${JSON.stringify(path.join(tmp, 'good'))} }`)));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('a relative tokenFile resolves against the kubeconfig folder', async () => {
    fs.mkdirSync(path.join(tmp, 'rel'), { recursive: true });
    fs.writeFileSync(path.join(tmp, 'rel', 'tok'), 'file-token');
    const kc = withUser(secure, 'rel/kc', '{ tokenFile: tok }');
    const r = await run(describeArgs(kc));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  test('with an inline token too, the readable file wins (client-go re-reads the file, the inline token is the fallback)', async () => {
    fs.writeFileSync(path.join(tmp, 'good2'), 'file-token');
    const ok = await run(describeArgs(withUser(secure, 'both', `{ token: stale, tokenFile: ${JSON.stringify(path.join(tmp, 'good2'))} }`)));
    expect(ok.code).toBe(0);
    const fallback = await run(describeArgs(withUser(secure, 'both-missing', `{ token: file-token, tokenFile: ${JSON.stringify(path.join(tmp, 'missing'))} }`)));
    expect(fallback.code).toBe(0);
  });

  test('a missing tokenFile alone is one config error line', async () => {
    const r = await run(describeArgs(withUser(secure, 'tf-missing', `{ tokenFile: ${JSON.stringify(path.join(tmp, 'nope'))} }`)));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot read tokenFile .*nope of user "test-user": ENOENT\n$/);
  });
});
