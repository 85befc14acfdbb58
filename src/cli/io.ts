// The process's streams and clock, handed to commands so they stay testable and so that a closed
// stdout pipe (`| head`) ends the program quietly instead of with EPIPE.
export interface Io {
  out(text: string): void;
  err(line: string): void;
  now(): string;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  columns?: number;
}

export function processIo(): Io {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  return {
    out: (text) => void process.stdout.write(text),
    err: (line) => void process.stderr.write(line.endsWith('\n') ? line : line + '\n'),
    now: () => new Date().toISOString(),
    stdoutIsTTY: !!process.stdout.isTTY,
    stderrIsTTY: !!process.stderr.isTTY,
    columns: process.stdout.columns,
  };
}
