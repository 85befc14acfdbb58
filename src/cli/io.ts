// The process's streams, clock and interrupt signal, handed to commands so they stay testable, so
// that a closed stdout pipe (`| head`) ends the program quietly instead of with EPIPE, and so that
// Ctrl-C / SIGTERM abort what is in flight instead of waiting for it.
import { escapeTerminal } from '../render/sanitize.js';
export interface Io {
  out(text: string): void;
  err(line: string): void;
  now(): string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  columns?: number;
  /** Aborted on SIGINT/SIGTERM: commands close their connections when it fires. */
  signal?: AbortSignal;
}

export function processIo(signal?: AbortSignal): Io {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  // stderr closed too (`2>&-`, a dead pager): nothing left to tell the user, never a crash.
  process.stderr.on('error', () => undefined);
  // the watch asks the time for every update and line, thousands a second: one string a millisecond
  let nowMs = -1;
  let nowText = '';
  return {
    out: (text) => void process.stdout.write(text),
    // notes and errors quote the server (sanitize.ts); a multi-line text (--v=6 stack) keeps its lines
    err: (line) => void process.stderr.write(line.replace(/\n$/, '').split('\n').map(escapeTerminal).join('\n') + '\n'),
    now: () => {
      const t = Date.now();
      if (t !== nowMs) {
        nowMs = t;
        nowText = new Date(t).toISOString();
      }
      return nowText;
    },
    stdoutIsTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    columns: process.stdout.columns,
    signal,
  };
}

/** Exit codes of the shell convention: 128 + signal number. */
export const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/** How long a command that handles the signal itself (watch) may take to wind down. */
export const SIGNAL_GRACE_MS = 1000;

/**
 * SIGINT/SIGTERM: abort in-flight work (sockets are closed by their owners on `abort`), then exit
 * with 130/143. A command with its own handler (watch prints nothing more but stops its streams)
 * gets SIGNAL_GRACE_MS; otherwise (describe: nothing to finish) the process exits at once. A
 * second signal always exits at once.
 */
export function exitOnSignals(controller: AbortController): void {
  let signalled = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.on(sig, () => {
      const code = SIGNAL_EXIT[sig];
      process.exitCode = code;
      if (signalled) process.exit(code);
      signalled = true;
      controller.abort();
      if (process.listenerCount(sig) > 1) setTimeout(() => process.exit(code), SIGNAL_GRACE_MS).unref();
      else process.exit(code);
    });
  }
}
