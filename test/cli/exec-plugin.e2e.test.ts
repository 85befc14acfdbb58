// Exec credential plugins, hostile or hung (issue 13 #11): garbage output (escape sequences
// included) gives one escaped error line; a hung plugin, and what it started, is killed with its
// process group when the plugin gets SIGTERM or SIGINT.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { run, start } from './run.js';

let tmp: string;
let srv: RunningApiServer;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-exec-plugin-'));
  srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', auth: { token: 'good-token' } });
});
afterAll(async () => {
  await srv.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function kubeconfigWithPlugin(name: string, script: string): string {
  const file = path.join(tmp, `${name}.mjs`);
  fs.writeFileSync(file, script);
  const user = `{ exec: { apiVersion: client.authentication.k8s.io/v1, command: ${JSON.stringify(process.execPath)}, args: [${JSON.stringify(file)}] } }`;
  const text = fs.readFileSync(srv.kubeconfigPath, 'utf8').replace(/( {2}user:)(?:\n {4}.*)+/, `$1 ${user}`);
  const kc = path.join(tmp, `${name}.kubeconfig`);
  fs.writeFileSync(kc, text);
  return kc;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('garbage output with raw escapes: one error line, escaped', async () => {
  const kc = kubeconfigWithPlugin('garbage', `process.stdout.write('\\u001b[2J\\u001b]0;pwned\\u0007not json at all');\n`);
  const r = await run(['describe', 'ordering', '--kubeconfig', kc]);
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^error: getting credentials: user "test-user": [^\n]*\n$/);
  expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
  expect(r.stderr).toContain('\\x1b');
});

test.each(['SIGTERM', 'SIGINT'] as const)('a hung plugin and its child are killed with its process group on %s', async (sig) => {
  const pids = path.join(tmp, `pids-${sig}`);
  const kc = kubeconfigWithPlugin(`hung-${sig}`, `import { spawn } from 'node:child_process';
import fs from 'node:fs';
const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
fs.writeFileSync(${JSON.stringify(pids)}, JSON.stringify([process.pid, child.pid]));
setTimeout(() => {}, 60000);
`);
  const cli = start(['describe', 'ordering', '--kubeconfig', kc]);
  const t0 = Date.now();
  while (!fs.existsSync(pids) && Date.now() - t0 < 10000) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 100));
  const [plugin, child] = JSON.parse(fs.readFileSync(pids, 'utf8')) as number[];
  expect([alive(plugin), alive(child)]).toEqual([true, true]);
  cli.child.kill(sig);
  const r = await cli.done;
  expect(r.code).toBe(sig === 'SIGTERM' ? 143 : 130);
  const t1 = Date.now();
  while ((alive(plugin) || alive(child)) && Date.now() - t1 < 3000) await new Promise((res) => setTimeout(res, 20));
  try {
    expect([alive(plugin), alive(child)]).toEqual([false, false]);
  } finally {
    for (const p of [plugin, child]) if (alive(p)) process.kill(p, 'SIGKILL');
  }
});

/** A plugin that writes its pid to a file and hangs: its kubeconfig, and a check that it was killed. */
function hungPlugin(name: string): { kc: string; expectKilled(): Promise<void> } {
  const pids = path.join(tmp, `pids-${name}`);
  const kc = kubeconfigWithPlugin(name, `import fs from 'node:fs';
fs.writeFileSync(${JSON.stringify(pids)}, JSON.stringify([process.pid]));
setTimeout(() => {}, 60000);
`);
  return {
    kc,
    async expectKilled() {
      const [plugin] = JSON.parse(fs.readFileSync(pids, 'utf8')) as number[];
      const t1 = Date.now();
      while (alive(plugin) && Date.now() - t1 < 3000) await new Promise((res) => setTimeout(res, 20));
      try {
        expect(alive(plugin)).toBe(false);
      } finally {
        if (alive(plugin)) process.kill(plugin, 'SIGKILL');
      }
    },
  };
}

test('a hung plugin does not outlive --timeout: the watch exits, the plugin is killed', async () => {
  const plugin = hungPlugin('hung-timeout');
  const r = await run(['watch', 'ordering', '--kubeconfig', plugin.kc, '--until', 'ready', '--timeout', '3s'], { timeoutMs: 15000 });
  expect(r.signal).toBeNull(); // not killed by the harness at 15 s
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/^timed out after 3s waiting for pods to be ready: the API server has not answered\n$/);
  await plugin.expectKilled();
}, 30000);

test('a plugin printing without end is stopped at 4Mi: one error line, bounded memory', async () => {
  const kc = kubeconfigWithPlugin('flood', `const chunk = 'x'.repeat(1 << 20);
const more = () => { while (process.stdout.write(chunk)); process.stdout.once('drain', more); };
more();
`);
  const r = await run(['describe', 'ordering', '--kubeconfig', kc], { env: { NODE_OPTIONS: '--max-old-space-size=96' }, timeoutMs: 20000 });
  expect(r.signal).toBeNull();
  expect(r.code).toBe(1);
  expect(r.stderr).toBe('error: getting credentials: user "test-user": the plugin printed more than 4Mi: stopped it\n');
}, 30000);

test('completion with a hung plugin answers within its budget (no names), and the plugin is killed', async () => {
  const plugin = hungPlugin('hung-complete');
  const t0 = Date.now();
  const r = await run(['__complete', 'describe', '--kubeconfig', plugin.kc, ''], { timeoutMs: 15000 });
  expect(Date.now() - t0).toBeLessThan(6000);
  expect(r.signal).toBeNull();
  expect(r.code).toBe(0);
  // the TYPE/ prefixes only (cobra's directive 4|2: no file, no space after the slash)
  expect(r.stdout).toMatch(/^pod\/\n(?:[a-z]+\/\n)+:6\n$/);
  await plugin.expectKilled();
}, 30000);
