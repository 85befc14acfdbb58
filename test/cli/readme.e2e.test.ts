// The README's describe examples are real output: each "$ kubectl sidecars describe -f …" block is
// run through the executable and must print what the README shows (a line "…" stands for lines
// left out); one piped into `| jq …` runs through jq itself. Regenerate an example by running its
// command and pasting the output.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, ROOT, run } from './run.js';

interface Example { args: string[]; jq?: string; expected: string[] }

function examples(): Example[] {
  const out: Example[] = [];
  const blocks = readFileSync(join(ROOT, 'README.md'), 'utf8').split('```');
  for (let i = 1; i < blocks.length; i += 2) {
    const lines = blocks[i].replace(/^\w*\n/, '').split('\n');
    for (let j = 0; j < lines.length; j++) {
      const m = /^\$ kubectl sidecars (describe -f [^|>]+?)(?: \| (jq .*))?$/.exec(lines[j]);
      if (!m) continue;
      const body: string[] = [];
      for (let k = j + 1; k < lines.length && !lines[k].startsWith('$ '); k++) body.push(lines[k]);
      while (body.length && body[body.length - 1] === '') body.pop();
      out.push({ args: m[1].split(/\s+/), jq: m[2], expected: body });
    }
  }
  return out;
}

const cases = examples();
test('the README has describe examples', () => expect(cases.length).toBeGreaterThanOrEqual(3));

/** `kubectl-sidecars ARGS | jq …` in a shell, as the README writes it. */
function throughJq(args: string[], jq: string): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const sh = spawn('bash', ['-o', 'pipefail', '-c', `"$NODE" "$BIN" "$@" | ${jq}`, 'sh', ...args], {
      cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', TZ: 'UTC', NODE: process.execPath, BIN },
    });
    let stdout = '';
    let stderr = '';
    sh.stdout.on('data', (d) => (stdout += d));
    sh.stderr.on('data', (d) => (stderr += d));
    sh.on('close', (code) => resolve({ stdout, stderr: code === 0 ? stderr : `${stderr}exit ${code}` }));
  });
}

test('the README pipes one example into jq', () => expect(cases.filter((c) => c.jq)).toHaveLength(1));

test.each(cases.map((c) => [c.args.join(' ') + (c.jq ? ` | ${c.jq}` : ''), c] as const))('%s', async (_name, c) => {
  // piped: no width limit, as the README shows it
  const r = c.jq ? await throughJq(c.args, c.jq) : await run([...c.args, '--color', 'never']);
  expect(r.stderr).toBe('');
  const got = r.stdout.replace(/\n+$/, '').split('\n');
  // "…" lines: the pieces between them must appear in order
  const pieces: string[][] = [[]];
  for (const l of c.expected) if (l.trim() === '…') pieces.push([]); else pieces[pieces.length - 1].push(l);
  if (pieces.length === 1) return expect(got).toEqual(c.expected);
  let at = 0;
  for (const [i, piece] of pieces.entries()) {
    if (!piece.length) continue;
    const idx = i === 0 ? 0 : got.findIndex((l, k) => k >= at && l === piece[0]);
    expect(got.slice(idx, idx + piece.length)).toEqual(piece);
    at = idx + piece.length;
  }
});
