// --v=6 and above: one line per request on stderr in the shape kubectl 1.32 prints at -v=6 (checked
// against kubectl itself on the same server), never a credential.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

const TOKEN = 'sEcReT-token-value';
let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: ['ordering'], auth: { token: TOKEN } });
});
afterAll(() => srv.close());

/** klog's info header (severity, MMDD, local time to the µs, pid padded to 7, file:line) and client-go's -v=6 "Response" line. */
const REQUEST_LINE = /^I\d{4} \d\d:\d\d:\d\d\.\d{6} +\d+ [\w.-]+:\d+\] "Response" verb="GET" url="(https:\/\/[^"]+)" status="(\d{3}) [A-Za-z ]+" milliseconds=\d+$/;

test('kubectl -v=6 prints its requests in this shape (the reference)', async () => {
  const stderr = await new Promise<string>((resolve) => {
    execFile('kubectl', ['get', 'pods', '-v=6', '--kubeconfig', srv.kubeconfigPath], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } }, (_e, _out, err) => resolve(String(err)));
  });
  const lines = stderr.split('\n').filter((l) => l.includes('round_trippers') && l.includes('"Response"'));
  expect(lines.length).toBeGreaterThan(0);
  for (const l of lines) expect(l).toMatch(REQUEST_LINE);
});

test.each([['-v=6'], ['--v=6'], ['--v', '8']])('describe %s: one line per request the server saw, no credential', async (...v) => {
  const before = srv.requests.length;
  const r = await run(['describe', 'ordering', '--kubeconfig', srv.kubeconfigPath, ...v]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('ordering');
  const lines = r.stderr.split('\n').filter(Boolean);
  for (const l of lines) expect(l).toMatch(REQUEST_LINE);
  const logged = lines.map((l) => { const m = REQUEST_LINE.exec(l)!; return `${new URL(m[1]).pathname} ${m[2]}`; }).sort();
  const served = srv.requests.slice(before).map((q) => `${q.path} ${q.status}`).sort();
  expect(logged).toEqual(served);
  expect(r.stderr).not.toContain(TOKEN);
  expect(r.stderr).not.toMatch(/authorization|bearer/i);
});

test('below 6, nothing is logged', async () => {
  const r = await run(['describe', 'ordering', '--kubeconfig', srv.kubeconfigPath, '-v=5']);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
});

test('a watch is logged when its stream opens; a failed request without a status', async () => {
  const r = await run(['watch', 'ordering', '--kubeconfig', srv.kubeconfigPath, '-v=6', '--timeout', '1s', '-o', 'json']);
  expect(r.stderr.split('\n').filter((l) => /watch=(true|1)/.test(l))).not.toEqual([]);
  // nothing listens on port 1: the request is logged with an empty status, then the error line
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-verbose-'));
  const kc = path.join(dir, 'kubeconfig');
  fs.writeFileSync(kc, fs.readFileSync(srv.kubeconfigPath, 'utf8').replace(/server: \S+/, 'server: https://127.0.0.1:1'));
  const down = await run(['describe', 'ordering', '--kubeconfig', kc, '-v=6']);
  expect(down.code).toBe(1);
  expect(down.stderr).toMatch(/\] "Response" verb="GET" url="https:\/\/127\.0\.0\.1:1\/api\/v1\/namespaces\/rec-ordering\/pods\/ordering" status="" milliseconds=\d+$/m);
  expect(down.stderr).toMatch(/^error: cannot reach the API server at https:\/\/127\.0\.0\.1:1/m);
  fs.rmSync(dir, { recursive: true, force: true });
});
