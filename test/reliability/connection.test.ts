// Kubeconfig and connection failures through the executable: each is one line on stderr that says
// what failed and what to do, exit 1, no stack trace (--v=6 adds the trace for a bug report).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { editedKubeconfig, expectOneErrorLine, run, tempDir } from './helpers.js';

const dir = tempDir();
function kubeconfig(name: string, text: string): string {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
}
const cluster = (server: string, ctx = 'current-context: lab\n') =>
  `apiVersion: v1\nkind: Config\nclusters:\n- name: lab\n  cluster:\n    server: ${server}\nusers:\n- name: me\n  user:\n    token: t0k3n\ncontexts:\n- name: lab\n  context:\n    cluster: lab\n    user: me\n${ctx}`;

/** A local port nobody listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('kubeconfig problems', () => {
  test('--kubeconfig names a missing file', async () => {
    expectOneErrorLine(await run(['describe', '--kubeconfig', join(dir, 'nope')]), /^error: kubeconfig \S+nope not found \(--kubeconfig\)$/m);
  });

  test('no kubeconfig anywhere (no KUBECONFIG, no ~/.kube/config, not in a pod)', async () => {
    expectOneErrorLine(await run(['describe'], { env: { HOME: dir } }), /no kubeconfig found: set KUBECONFIG, use --kubeconfig, or create ~\/.kube\/config/);
  });

  test('unreadable: a directory, or a file without read permission', async () => {
    const d = join(dir, 'a-dir');
    mkdirSync(d);
    expectOneErrorLine(await run(['describe', '--kubeconfig', d]), /cannot read kubeconfig \S+a-dir: is a directory/);
    if (process.getuid?.() !== 0) {
      const f = kubeconfig('locked', cluster('https://127.0.0.1:1'));
      chmodSync(f, 0);
      expectOneErrorLine(await run(['describe', '--kubeconfig', f]), /cannot read kubeconfig \S+locked: EACCES/);
    }
  });

  test('invalid YAML names the file and the line', async () => {
    const f = kubeconfig('broken', 'apiVersion: v1\nclusters: [\n  - name: a\n');
    expectOneErrorLine(await run(['describe', '--kubeconfig', f]), /cannot parse kubeconfig \S+broken: .* \(line \d+\)/);
    const g = kubeconfig('scalar', 'just a string\n');
    expectOneErrorLine(await run(['describe', '--kubeconfig', g]), /cannot parse kubeconfig \S+scalar: not a YAML mapping/);
    const h = kubeconfig('wrong-shape', 'clusters: {a: 1}\n');
    expectOneErrorLine(await run(['describe', '--kubeconfig', h]), /"clusters" must be a list/);
  });

  test('no current context, unknown --context', async () => {
    const f = kubeconfig('no-current', cluster('https://127.0.0.1:1', ''));
    expectOneErrorLine(await run(['describe', '--kubeconfig', f]), /current-context is not set: use --context or kubectl config use-context/);
    expectOneErrorLine(await run(['describe', '--kubeconfig', f, '--context', 'prod']), /context "prod" not found in kubeconfig \(available: lab\)/);
  });

  test('insecure-skip-tls-verify beside a CA is refused, in kubectl\'s words (client-go transport.TLSConfigFor)', async () => {
    for (const ca of ['certificate-authority-data: Zm9v', `certificate-authority: ${join(dir, 'ca.crt')}`]) {
      const f = kubeconfig('insecure-ca', cluster(`https://127.0.0.1:${await closedPort()}\n    insecure-skip-tls-verify: true\n    ${ca}`));
      expectOneErrorLine(await run(['describe', '--kubeconfig', f]), /^error: specifying a root certificates file with the insecure flag is not allowed$/m);
    }
  });

  test('--v=6 adds the stack trace for a bug report; the first line stays the same', async () => {
    const f = join(dir, 'nope');
    const r = await run(['describe', '--kubeconfig', f, '--v=6']);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toBe(`error: kubeconfig ${f} not found (--kubeconfig)`);
    expect(lines.slice(1).some((l) => /^\s+at /.test(l))).toBe(true);
  });
});

describe('connection problems', () => {
  test('connection refused names the server and what to check', async () => {
    const port = await closedPort();
    const f = kubeconfig('refused', cluster(`https://127.0.0.1:${port}`));
    expectOneErrorLine(await run(['describe', '--kubeconfig', f]), new RegExp(`^error: cannot reach the API server at https://127.0.0.1:${port}: connection refused \\(is the cluster running\\? check --context\\)$`, 'm'));
  });

  test('an unknown host: one error line, "host not found", naming the server', async () => {
    const f = kubeconfig('nohost', cluster('https://api.cluster.invalid:6443'));
    expectOneErrorLine(await run(['describe', '--kubeconfig', f]), /cannot reach the API server at https:\/\/api.cluster.invalid:6443: host not found/);
  });

  describe('against the local API server', () => {
    const servers: RunningApiServer[] = [];
    afterAll(async () => {
      for (const s of servers) await s.close();
    });
    const server = async (o: Partial<Parameters<typeof startApiServer>[0]> = {}) => {
      const s = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', ...o });
      servers.push(s);
      return s;
    };

    test('TLS: a server certificate signed by a CA the kubeconfig does not trust', async () => {
      const s = await server({ kubeconfigCa: 'other' });
      expectOneErrorLine(await run(['describe', '--kubeconfig', s.kubeconfigPath]), /^error: TLS: the server's certificate is signed by an unknown authority \(check certificate-authority-data in kubeconfig\)$/m);
      expect(s.requests).toHaveLength(0); // nothing was sent over the untrusted connection
    });

    test('TLS: an expired server certificate', async () => {
      const s = await server({ certificate: 'expired' });
      expectOneErrorLine(await run(['describe', '--kubeconfig', s.kubeconfigPath]), /^error: TLS: the server's certificate has expired \(or this machine's clock is wrong\)$/m);
    });

    test('401: the credentials were rejected', async () => {
      const s = await server({ auth: { token: 'the-right-token' } });
      const wrong = editedKubeconfig(s.kubeconfigPath, (t) => t.replace('the-right-token', 'an-expired-token'));
      const line = expectOneErrorLine(await run(['describe', '--kubeconfig', wrong]), /^error: unauthorized: the server rejected the credentials of user "test-user" \(token expired\?\)$/m);
      expect(line).not.toContain('an-expired-token'); // the token itself is never printed
      // the right token works
      const ok = await run(['describe', '--kubeconfig', s.kubeconfigPath, '-o', 'json', '--no-logs']);
      expect(ok.code).toBe(0);
    });
  });
});
