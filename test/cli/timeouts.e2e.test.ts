// Timeouts mean what they say, against a server that accepts connections and never answers:
// --request-timeout's line counts the requests it ended and the time they took together; without
// it, kubectl's client-go limits hold (a TLS handshake within 10 s) and a request with no answer
// is reported at 30 s (dial-timeouts.ts) instead of a silent wait.
import { spawn } from 'node:child_process';
import { connect, createServer, type Server, type Socket } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run, start } from './run.js';

let tcp: Server;
const sockets = new Set<Socket>();
let dir: string;
let port: number;

beforeAll(async () => {
  tcp = createServer((s) => {
    sockets.add(s);
    s.resume(); // reads what is sent, never writes
    s.on('error', () => undefined);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  port = (tcp.address() as { port: number }).port;
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-timeouts-'));
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => tcp.close(() => r()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function kubeconfig(scheme: 'http' | 'https'): string {
  const kc = path.join(dir, `${scheme}.kubeconfig`);
  fs.writeFileSync(kc, `apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: "${scheme}://127.0.0.1:${port}", insecure-skip-tls-verify: true}\ncontexts:\n- name: c\n  context: {cluster: c, namespace: x}\ncurrent-context: c\n`);
  return kc;
}

test('--request-timeout 1s: describe of a namespace times out its event lists, then its pod list, and says so', async () => {
  const r = await start(['describe', '--kubeconfig', kubeconfig('http'), '--request-timeout', '1s'], { timeoutMs: 20000 }).done;
  expect(r.code).toBe(1);
  const line = /^error: request to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/x\/pods timed out after 1s \(--request-timeout; (\d) requests timed out, 1s each, over (\d+(?:\.\d)?)s\)\n$/.exec(r.stderr);
  expect(line).not.toBeNull();
  // the version and the first event list in parallel, then the other event API, then the pods: 3 s, as the line says
  expect(Number(line![1])).toBe(4);
  expect(Math.abs(Number(line![2]) * 1000 - r.ms)).toBeLessThan(1500);
});

test('a single named pod: one request, the plain line', async () => {
  const r = await run(['describe', 'x', '--kubeconfig', kubeconfig('http'), '--request-timeout', '1s'], { timeoutMs: 20000 });
  expect(r.stderr).toMatch(/^error: request to http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/x\/pods\/x timed out after 1s \(--request-timeout(; 2 requests timed out, 1s each, over 1s)?\)\n$/);
});

/**
 * A port that never accepts: a listener whose process never runs its event loop (so never accepts),
 * with a backlog of 1, its queue filled by a few connections: the kernel then drops new SYNs, and a
 * connect hangs as it does to a host that drops packets.
 */
async function blackhole(): Promise<{ port: number; close(): void }> {
  const child = spawn(process.execPath, ['-e', `const s = require('node:net').createServer().listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
    process.stdout.write(String(s.address().port) + '\\n');
    setTimeout(() => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0), 50);
  });`], { stdio: ['ignore', 'pipe', 'ignore'] });
  const p = Number(await new Promise<string>((r) => child.stdout.once('data', (d) => r(String(d)))));
  await new Promise((r) => setTimeout(r, 200));
  const fill: Socket[] = [];
  for (let i = 0; i < 4; i++) fill.push(connect(p, '127.0.0.1').on('error', () => undefined));
  await new Promise((r) => setTimeout(r, 300));
  return { port: p, close: () => { for (const f of fill) f.destroy(); child.kill('SIGKILL'); } };
}

test('no --request-timeout: no TLS handshake fails at 10 s; no connection at 30 s; no answer is reported at 30 s', async () => {
  const hole = await blackhole();
  try {
    await noAnswers(hole.port);
  } finally {
    hole.close();
  }
}, 60000);

async function noAnswers(holePort: number): Promise<void> {
  const holeKc = path.join(dir, 'hole.kubeconfig');
  fs.writeFileSync(holeKc, fs.readFileSync(kubeconfig('https'), 'utf8').replace(`:${port}`, `:${holePort}`));
  const dial = start(['describe', 'x', '--kubeconfig', holeKc], { timeoutMs: 45000 });
  const tls = start(['describe', 'x', '--kubeconfig', kubeconfig('https')], { timeoutMs: 40000 });
  const plain = start(['describe', 'x', '--kubeconfig', kubeconfig('http')], { timeoutMs: 40000 });
  const r = await tls.done;
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: TLS: 127\.0\.0\.1:\d+ accepted the connection but completed no TLS handshake within 10s \(is it an HTTPS server\? check the server address and port in kubeconfig\)\n$/);
  expect(r.ms).toBeGreaterThan(9500);
  expect(r.ms).toBeLessThan(15000);
  const t0 = Date.now();
  while (!plain.stderr().includes('has not answered') && Date.now() - t0 < 30000) await new Promise((res) => setTimeout(res, 100));
  expect(plain.stderr()).toMatch(/^warning: the API server at http:\/\/127\.0\.0\.1:\d+ has not answered in 30s; still waiting \(Ctrl-C to stop, --request-timeout to set a limit\)\n$/);
  plain.child.kill('SIGINT');
  expect((await plain.done).code).toBe(130);
  const d = await dial.done;
  expect(d.stderr).toMatch(/^error: cannot reach the API server at https:\/\/127\.0\.0\.1:\d+: no connection within 30s \(check the network, VPN or --context\)\n$/);
  expect(d.ms).toBeGreaterThan(29500);
  expect(d.ms).toBeLessThan(40000);
}
