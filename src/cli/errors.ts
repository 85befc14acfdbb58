// Every failure the user can meet ends as ONE line on stderr and exit code 1 (contract), never a
// stack trace: errors that know their audience carry `oneLine()`; anything else is reported as an
// internal error with the hint to rerun with --v=6 for the trace.
import { escapeTerminal } from '../render/sanitize.js';
import { UserError } from '../sources/errors.js';

export class UsageError extends UserError {}

interface OneLiner { oneLine(): string }

function hasOneLine(e: unknown): e is OneLiner {
  return typeof e === 'object' && e !== null && typeof (e as OneLiner).oneLine === 'function';
}

export function errorLine(e: unknown): string {
  // error lines quote server bodies, file names and flags as typed: escaped, on one line (sanitize.ts)
  if (hasOneLine(e)) {
    const line = escapeTerminal(e.oneLine());
    return line.startsWith('error: ') ? line : `error: ${line}`;
  }
  const msg = e instanceof Error ? e.message : String(e);
  return `error: internal: ${escapeTerminal(msg.split('\n')[0])} (rerun with --v=6 for details, and please report it)`;
}

export function errorDetail(e: unknown): string {
  return e instanceof Error && e.stack ? e.stack : String(e);
}
