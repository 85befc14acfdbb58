// Running the built executable as a user does, with a handle on the child (signals, timing), and
// the assertions every failure must pass: exit 1, exactly one stderr line starting with "error: ".
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, type RunResult } from '../cli/run.js';

export { run } from '../cli/run.js';

export interface Started {
  child: ChildProcessWithoutNullStreams;
  done: Promise<RunResult & { ms: number }>;
  stdout(): string;
  stderr(): string;
}

/** Start the executable; `done` resolves when it exits (killed after timeoutMs, default 20 s). */
export function start(args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const t0 = performance.now();
  const done = new Promise<RunResult & { ms: number }>((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0 });
    });
  });
  child.stdin.end(opts.input ?? '');
  return { child, done, stdout: () => stdout, stderr: () => stderr };
}

/** The contract's failure: exit 1 and one line on stderr, "error: …", no stack trace. */
export function expectOneErrorLine(r: RunResult, re?: RegExp): string {
  expect({ code: r.code, stderrLines: r.stderr.split('\n').filter((l) => l !== '').length }).toEqual({ code: 1, stderrLines: 1 });
  expect(r.stderr).toMatch(/^error: [^\n]+\n$/);
  expect(r.stderr).not.toMatch(/\n\s+at |Error:|TypeError/);
  if (re) expect(r.stderr).toMatch(re);
  return r.stderr.trim();
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'kubectl-sidecars-reliability-'));
}

/** A copy of a kubeconfig with `edit` applied to its text. */
export function editedKubeconfig(path: string, edit: (text: string) => string): string {
  const out = join(tempDir(), 'kubeconfig');
  writeFileSync(out, edit(readFileSync(path, 'utf8')));
  return out;
}
