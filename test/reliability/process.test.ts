// Process behaviour: Ctrl-C (SIGINT) and SIGTERM during a stalled request exit at once with
// 130/143, quietly, and leave no connection open on the server; a closed stdout pipe (`| head -1`)
// ends the run without an EPIPE error.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { BIN, ROOT } from '../cli/run.js';
import { start, tempDir } from './helpers.js';

let srv: RunningApiServer;
afterEach(async () => {
  await srv?.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s during a stalled request', (sig, code) => {
  test(`exits within about a second with ${code}, no output, no stack trace, connection closed`, async () => {
    srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', faults: [{ match: { path: /\/pods$/ }, kind: 'stall', ms: 10000, times: 1 }] });
    const p = start(['describe', '--kubeconfig', srv.kubeconfigPath, '-o', 'json'], { timeoutMs: 15000 });
    // wait until the stalled list is in flight
    for (let i = 0; i < 100 && !srv.requests.some((r) => r.path.endsWith('/pods')); i++) await sleep(20);
    expect(srv.requests.some((r) => r.path.endsWith('/pods'))).toBe(true);
    await sleep(300);
    const t0 = performance.now();
    p.child.kill(sig);
    const r = await p.done;
    expect(performance.now() - t0).toBeLessThan(1500);
    expect({ code: r.code, signal: r.signal, stdout: r.stdout, stderr: r.stderr }).toEqual({ code, signal: null, stdout: '', stderr: '' });
  });
});

test('Ctrl-C against a server that accepts and never answers: exits at once, its socket is closed', async () => {
  // a bare TCP server, so the test sees the socket itself close on the server side
  const open = new Set<Socket>();
  let closed = 0;
  const tcp = createServer((s) => {
    open.add(s);
    s.resume(); // read (and drop) the request, so the client's FIN is seen
    s.on('error', () => undefined);
    s.on('close', () => {
      open.delete(s);
      closed++;
    });
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const dir = tempDir();
  const kc = join(dir, 'kubeconfig');
  writeFileSync(kc, `apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${(tcp.address() as { port: number }).port}"}\ncontexts:\n- name: c\n  context: {cluster: c}\ncurrent-context: c\n`);
  try {
    const p = start(['describe', '--kubeconfig', kc], { timeoutMs: 15000 });
    for (let i = 0; i < 100 && open.size === 0; i++) await sleep(20);
    expect(open.size).toBeGreaterThan(0);
    await sleep(300);
    p.child.kill('SIGINT');
    const r = await p.done;
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 130, stderr: '' });
    expect(r.ms).toBeLessThan(5000);
    for (let i = 0; i < 50 && open.size > 0; i++) await sleep(20);
    expect(open.size).toBe(0);
    expect(closed).toBeGreaterThan(0);
  } finally {
    for (const s of open) s.destroy();
    await new Promise<void>((r) => tcp.close(() => r()));
  }
});

test.each([
  [['--until', 'ready'], 3, 'timed out after 1s waiting for pods to be ready: the API server has not answered\n'],
  [[], 0, ''],
] as const)('watch %j --timeout 1s against a server that accepts and never answers: ends at the timeout (%i)', async (until, code, stderr) => {
  const tcp = createServer((s) => {
    s.resume();
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  const dir = tempDir();
  const kc = join(dir, 'kubeconfig');
  writeFileSync(kc, `apiVersion: v1\nclusters:\n- name: c\n  cluster: {server: "http://127.0.0.1:${(tcp.address() as { port: number }).port}"}\ncontexts:\n- name: c\n  context: {cluster: c}\ncurrent-context: c\n`);
  try {
    const r = await start(['watch', '--kubeconfig', kc, ...until, '--timeout', '1s'], { timeoutMs: 15000 }).done;
    expect({ code: r.code, stdout: r.stdout, stderr: r.stderr }).toEqual({ code, stdout: '', stderr });
    expect(r.ms).toBeLessThan(5000);
  } finally {
    await new Promise<void>((r) => tcp.close(() => r()));
  }
});

test('describe | head -1: the closed pipe ends the run quietly (no EPIPE)', async () => {
  srv = await startApiServer({ scenarios: ['deployment-mesh'], snapshot: 'running' });
  // a real shell pipeline, as a user types it; pipefail exposes the plugin's own exit code
  const cmd = `set -o pipefail; "${process.execPath}" "${BIN}" describe --kubeconfig "${srv.kubeconfigPath}" -o yaml | head -1`;
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const c = spawn('bash', ['-c', cmd], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d) => (stdout += d));
    c.stderr.on('data', (d) => (stderr += d));
    c.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  expect(r.stdout).toBe('apiVersion: kubectl-sidecars/v1alpha1\n');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});
