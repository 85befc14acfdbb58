// Runs the built executable in a real pseudo-terminal (`script` from util-linux) of a given width,
// and renders what it wrote through a terminal emulator (@xterm/headless): the screen a user is
// left with, rows as the terminal shows them (a row the terminal wrapped itself is marked).
import { spawn } from 'node:child_process';
import xterm from '@xterm/headless';
import { BIN, ROOT } from './run.js';

export interface PtyRun {
  code: number | null;
  /** Every byte written to the terminal (stdout and stderr, as a terminal interleaves them). */
  raw: string;
  /** The screen and its scrollback after the run, trailing blank rows dropped. */
  rows: { text: string; wrapped: boolean }[];
}

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** `kubectl-sidecars ARGS` on a terminal of `cols` columns; both stdout and stderr are the terminal. */
export async function runOnTerminal(args: string[], cols: number, env: Record<string, string> = {}, timeoutMs = 20000): Promise<PtyRun> {
  const command = `stty cols ${cols} rows 50; exec ${quote(process.execPath)} ${quote(BIN)} ${args.map(quote).join(' ')}`;
  const child = spawn('script', ['-q', '-e', '-c', command, '/dev/null'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', TZ: 'UTC', TERM: 'xterm-256color', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let raw = '';
  child.stdout.on('data', (d) => (raw += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
  clearTimeout(timer);
  child.stdin.end();
  const term = new xterm.Terminal({ cols, rows: 50, scrollback: 10000, allowProposedApi: true });
  await new Promise<void>((resolve) => term.write(raw, resolve));
  const buf = term.buffer.active;
  const rows: { text: string; wrapped: boolean }[] = [];
  for (let i = 0; i < buf.length; i++) {
    const line = buf.getLine(i)!;
    rows.push({ text: line.translateToString(true), wrapped: line.isWrapped });
  }
  while (rows.length && rows[rows.length - 1].text === '') rows.pop();
  term.dispose();
  return { code, raw, rows };
}
