// The README's install from a checkout, as written: its commands run, as one shell script, in a
// fresh clone of this repository (committed files only, as a user's clone) by a user whose home is
// a temp folder (npm's --prefix ~/.local needs no root), then kubectl's plugin discovery finds the
// plugin there and `kubectl sidecars version` runs it.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../cli/run.js';

/** The lines of the sh block under README's "### From a checkout" heading. */
function readmeCommands(): string[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### From a checkout'));
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1];
  return block.split('\n').map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'readme-install-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('the install commands of the README work from a fresh clone, without root', () => {
  const commands = readmeCommands();
  expect(commands[0]).toBe('npm ci');
  expect(commands).toContain('kubectl plugin list');
  expect(commands[commands.length - 1]).toBe('kubectl sidecars version');
  expect(commands.some((c) => /^npm install -g --prefix ~\/\.local /.test(c))).toBe(true);
  const clone = join(dir, 'clone');
  expect(spawnSync('git', ['clone', '--quiet', ROOT, clone], { encoding: 'utf8' }).status).toBe(0);
  const home = join(dir, 'home');
  mkdirSync(home);
  // npm's cache stays the real one (no second download); nothing else of the user's is read
  const env = {
    PATH: process.env.PATH, HOME: home, npm_config_cache: join(process.env.HOME ?? home, '.npm'),
    npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false', KUBECONFIG: join(dir, 'none'),
  };
  const script = ['set -eu', ...commands.flatMap((c) => [`echo "+ ${c.replace(/["$`\\]/g, '\\$&')}" >&2`, c])].join('\n');
  const r = spawnSync('bash', ['-c', script], { cwd: clone, env, encoding: 'utf8', timeout: 400000 });
  expect({ status: r.status, stderr: r.status === 0 ? '' : r.stderr.slice(-3000) }).toEqual({ status: 0, stderr: '' });
  // `kubectl plugin list` names the installed executable, under the user's home
  expect(r.stdout).toContain(join(home, '.local', 'bin', 'kubectl-sidecars'));
  expect(r.stdout).toMatch(/^kubectl-sidecars \d+\.\d+\.\d+ \(commit [0-9a-f]+/m);
}, 420000);
