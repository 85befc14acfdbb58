// The watch's status line: one spinner line (ora, on stderr) below the printed lines, only when
// both stdout and stderr are a terminal; on a pipe, nothing. Invariant: the line is cleared before
// anything else is written (a line, a note) and drawn again after, so what is left on the screen
// is the printed lines and notes only, never a piece of the status.
import type { Ora } from 'ora';
import type { Io } from './io.js';
import { escapeTerminal } from '../render/sanitize.js';

export class StatusLine {
  private spinner: Ora | null = null;
  private stopped = false;

  /** `enabled`: both streams are terminals. */
  constructor(private readonly io: Io, private readonly enabled: boolean) {}

  /** Starts the spinner (ora imported here: ~5 ms of every start, and only a terminal shows it). */
  async start(text: string): Promise<void> {
    if (!this.enabled || this.stopped) return;
    const { default: ora } = await import('ora');
    if (this.stopped) return;
    this.spinner = ora({ text: fitted(text), stream: process.stderr, isEnabled: true, discardStdin: false, hideCursor: false }).start();
  }

  get active(): boolean {
    return this.spinner !== null;
  }

  /** The status's text (the cluster's names in it are escaped: sanitize.ts). */
  set(text: string): void {
    const shown = fitted(text);
    if (this.spinner && this.spinner.text !== shown) this.spinner.text = shown;
  }

  /** Writes to stdout with the status line out of the way. */
  out(text: string): void {
    this.around(() => this.io.out(text));
  }

  /** Writes a note or an error to stderr with the status line out of the way. */
  err(line: string): void {
    this.around(() => this.io.err(line));
  }

  private around(write: () => void): void {
    const s = this.spinner;
    if (!s) return write();
    s.clear();
    write();
    s.render();
  }

  /** Clears the line for good. */
  stop(): void {
    this.stopped = true;
    this.spinner?.stop();
    this.spinner = null;
  }
}

/** One row, escaped: a wrapped status would leave its first row behind when cleared. */
function fitted(text: string): string {
  const room = Math.max(10, (process.stderr.columns || 80) - 3);
  return escapeTerminal(text.length > room ? `${text.slice(0, room - 1)}…` : text);
}
