// `watch` relaunches itself under V8 flags where Node has process.execve (src/cli/relaunch.ts; the
// single executable and the npm launcher on Node 22). Run by the pinned Node 22 the package build
// fetches: a Ctrl-C or SIGTERM at any moment of the start is never lost (the old image listened
// for it and was then replaced: 7 of 42 starts kept running), and a command line near the
// system's ARG_MAX runs without the relaunch instead of aborting with a native stack (E2BIG).
import { spawn, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { join } from 'node:path';
import { nodeBinary, PLATFORMS } from '../../scripts/package.mjs';
import { BIN, ROOT } from '../cli/run.js';
import { tempDir } from '../reliability/helpers.js';

const host = PLATFORMS.find((p) => p.os === 'linux' && p.arch === 'amd64')!;
const node22 = nodeBinary(host);
const dir = tempDir();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A server that takes the connection and never answers: the watch waits for its first list. */
let port = 0;
const sockets = new Set<Socket>();
const server = createServer((s) => {
  sockets.add(s);
  s.on('error', () => undefined);
  s.on('close', () => sockets.delete(s));
});
beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  writeFileSync(join(dir, 'kubeconfig'), `apiVersion: v1
kind: Config
clusters: [{ name: h, cluster: { server: "http://127.0.0.1:${port}" } }]
users: [{ name: u, user: {} }]
contexts: [{ name: h, context: { cluster: h, user: u, namespace: x } }]
current-context: h
`);
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

const baseEnv = { PATH: process.env.PATH ?? '', HOME: '/nonexistent', XDG_CACHE_HOME: join(dir, 'cache') };
const watchArgs = () => [BIN, 'watch', '--kubeconfig', join(dir, 'kubeconfig')];

function startWatch(env: Record<string, string>) {
  const p = spawn(node22, watchArgs(), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  p.stderr.on('data', (d) => (stderr += d));
  const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => p.on('close', (code, signal) => r({ code, signal })));
  return { p, closed, stderr: () => stderr };
}

test('SIGINT and SIGTERM at any moment of the start end the watch', async () => {
  const lost: string[] = [];
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    for (let ms = 100; ms <= 500; ms += 40) {
      const w = startWatch(baseEnv);
      await sleep(ms);
      w.p.kill(sig);
      const end = await Promise.race([w.closed, sleep(3000).then(() => null)]);
      if (end === null) {
        lost.push(`${sig} at ${ms} ms`);
        w.p.kill('SIGKILL');
        await w.closed;
        continue;
      }
      // by the signal's default action before our listener exists, else 130/143 from it
      expect([`${end.code}/${end.signal}`]).toContainEqual(expect.stringMatching(sig === 'SIGINT' ? /^(130\/null|null\/SIGINT)$/ : /^(143\/null|null\/SIGTERM)$/));
      expect(w.stderr()).toBe('');
    }
  }
  expect(lost).toEqual([]);
}, 120000);

test('a command line near ARG_MAX: the watch runs without the relaunch, no native stack', async () => {
  // the largest environment with which this command line still starts (execve counts argv and
  // environment strings and their pointers): a probe with the same number and bytes of arguments
  const real = watchArgs();
  const bytes = (a: string[]) => a.reduce((n, s) => n + Buffer.byteLength(s) + 1, 0);
  const probe = ['-e', '0', 'a'];
  probe.push('p'.repeat(bytes(real) - bytes(probe) - 1));
  expect(bytes(probe)).toBe(bytes(real));
  const padded = (total: number): Record<string, string> => {
    const env: Record<string, string> = { ...baseEnv };
    for (let i = 0; total > 0; i++, total -= 100_000) env[`PAD${String(i).padStart(3, '0')}`] = 'x'.repeat(Math.min(total, 100_000));
    return env;
  };
  const starts = (total: number) => !spawnSync(node22, probe, { env: padded(total), stdio: 'ignore' }).error;
  let lo = 0;
  let hi = 64 * 1024 * 1024;
  expect(starts(lo)).toBe(true);
  if (starts(hi)) return; // no limit this test can reach
  while (hi - lo > 16) {
    const mid = Math.floor((lo + hi) / 2);
    if (starts(mid)) lo = mid;
    else hi = mid;
  }
  const w = startWatch(padded(lo));
  await sleep(1500);
  expect(w.p.exitCode).toBeNull(); // still watching (an E2BIG abort ended it with 134 at once)
  w.p.kill('SIGINT');
  expect(await w.closed).toEqual({ code: 130, signal: null });
  expect(w.stderr()).not.toMatch(/E2BIG|native|Abort|FATAL|^\s+at /m);
}, 120000);
