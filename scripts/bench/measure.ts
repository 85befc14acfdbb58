// Runs one command and measures it: wall time, peak RSS, stdout size. Children are spawned
// asynchronously (the API server they talk to lives in this process's event loop).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, openSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Run {
  ms: number;
  /** Peak resident set size in MB (VmHWM). */
  rssMB: number;
  code: number | null;
  stdoutBytes: number;
  stderr: string;
}

const TIME = '/usr/bin/time';
export const HAVE_GNU_TIME = existsSync(TIME);
const work = mkdtempSync(join(tmpdir(), 'kubectl-sidecars-bench-'));
export const cleanupMeasure = () => rmSync(work, { recursive: true, force: true });

/** Peak RSS from /proc/<pid>/status VmHWM, polled until the process exits (no /usr/bin/time). */
function pollHwm(pid: number, onValue: (kb: number) => void): NodeJS.Timeout {
  return setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) onValue(Number(m[1]));
    } catch {
      // exited
    }
  }, 5);
}

/** Run cmd with stdout to a file; `keepStdout` returns its text too. */
export function run(cmd: string, args: string[], opts: { env?: NodeJS.ProcessEnv; keepStdout?: boolean } = {}): Promise<Run & { stdout?: string }> {
  const outFile = join(work, 'stdout');
  const timeFile = join(work, 'time');
  rmSync(timeFile, { force: true });
  const fd = openSync(outFile, 'w');
  const argv = HAVE_GNU_TIME ? [TIME, ['-f', '%M', '-o', timeFile, cmd, ...args]] as const : [cmd, args] as const;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(argv[0], [...argv[1]], { stdio: ['ignore', fd, 'pipe'], env: opts.env ?? process.env });
    let stderr = '';
    child.stderr!.on('data', (c) => (stderr += c));
    let hwm = 0;
    const poll = HAVE_GNU_TIME ? undefined : pollHwm(child.pid!, (kb) => (hwm = Math.max(hwm, kb)));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (poll) clearInterval(poll);
      closeSync(fd);
      if (HAVE_GNU_TIME) {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        hwm = Number(lines[lines.length - 1]);
      }
      const r: Run & { stdout?: string } = { ms, rssMB: hwm / 1024, code, stdoutBytes: statSync(outFile).size, stderr };
      if (opts.keepStdout) r.stdout = readFileSync(outFile, 'utf8');
      resolve(r);
    });
  });
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}
