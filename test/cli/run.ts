// Runs the built executable the way a user does (bin/kubectl-sidecars → dist bundle), with a
// controlled environment: no ambient KUBECONFIG, HOME or colour settings leak into tests.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/kubectl-sidecars', import.meta.url));
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface Started {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when the process exits (it is killed after timeoutMs, default 20 s). */
  done: Promise<RunResult & { ms: number }>;
  stdout(): string;
  stderr(): string;
  /** When stdout last received data (Date.now()), to wait for the output to settle. */
  lastOutputAt(): number;
}

/** Starts the executable and keeps a handle on it (signals, streaming output, timing). */
export function start(args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Started {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    // TZ pinned: text output prints local times (a test of another zone passes its own)
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', TZ: 'UTC', ...opts.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let last = Date.now();
  child.stdout.on('data', (d) => ((stdout += d), (last = Date.now())));
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
  return { child, done, stdout: () => stdout, stderr: () => stderr, lastOutputAt: () => last };
}

/** Runs the executable to its end. */
export function run(args: string[], opts: { env?: Record<string, string>; input?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return start(args, opts).done;
}
