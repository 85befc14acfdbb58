// Running the built executable as a user does, with a handle on the child (signals, timing), and
// the assertions every failure must pass: exit 1, exactly one stderr line starting with "error: ".
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunResult } from '../cli/run.js';

export { run, start } from '../cli/run.js';

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
