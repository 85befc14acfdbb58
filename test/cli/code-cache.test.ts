// bin/kubectl-sidecars keeps V8's code cache per user. V8 accepts cached data for any source of the
// same length, so the cache must be keyed by the bundle's content (issue 13 #5): an upgrade to a
// bundle of the same length runs the new code, and two installs do not share one file.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from './run.js';

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-code-cache-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** An install: the real launcher beside a bundle of our choosing. */
function install(dir: string, bundle: string): string {
  fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true });
  fs.copyFileSync(BIN, path.join(dir, 'bin', 'kubectl-sidecars'));
  fs.writeFileSync(path.join(dir, 'dist', 'kubectl-sidecars.cjs'), bundle);
  return path.join(dir, 'bin', 'kubectl-sidecars');
}

const run = (bin: string) => execFileSync(process.execPath, [bin, 'describe'], { env: { PATH: process.env.PATH ?? '', XDG_CACHE_HOME: path.join(tmp, 'cache') } }).toString();
const bundle = (word: string) => `function say() { return ${JSON.stringify(word)}; }\nprocess.stdout.write(say() + '\\n');\n`;

test('an upgrade to a bundle of the same length runs the new code', () => {
  const bin = install(path.join(tmp, 'one'), bundle('old'));
  expect(run(bin)).toBe('old\n');
  expect(run(bin)).toBe('old\n'); // from the cache
  expect(fs.readdirSync(path.join(tmp, 'cache', 'kubectl-sidecars')).filter((f) => f.endsWith('.cache'))).toHaveLength(1);
  fs.writeFileSync(path.join(tmp, 'one', 'dist', 'kubectl-sidecars.cjs'), bundle('new'));
  expect(bundle('new').length).toBe(bundle('old').length);
  expect(run(bin)).toBe('new\n');
  expect(run(bin)).toBe('new\n');
});

test('two installs of different bundles each run their own code', () => {
  const a = install(path.join(tmp, 'a'), bundle('aaa'));
  const b = install(path.join(tmp, 'b'), bundle('bbb'));
  for (let i = 0; i < 2; i++) {
    expect(run(a)).toBe('aaa\n');
    expect(run(b)).toBe('bbb\n');
  }
});
