// The README's install from a checkout, as written: its commands run in a fresh clone of this
// repository (committed files only, as a user's clone), with npm's global prefix in a temp folder,
// then `kubectl sidecars version` through real kubectl plugin discovery.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

test('the install commands of the README work from a fresh clone', () => {
  const commands = readmeCommands();
  expect(commands[0]).toBe('npm ci');
  expect(commands[commands.length - 1]).toBe('kubectl sidecars version');
  const clone = join(dir, 'clone');
  expect(spawnSync('git', ['clone', '--quiet', ROOT, clone], { encoding: 'utf8' }).status).toBe(0);
  const prefix = join(dir, 'prefix');
  const env = { ...process.env, npm_config_prefix: prefix, npm_config_audit: 'false', npm_config_fund: 'false', PATH: `${join(prefix, 'bin')}:${process.env.PATH}`, KUBECONFIG: join(dir, 'none') };
  for (const c of commands) {
    const r = spawnSync('bash', ['-c', c], { cwd: clone, env, encoding: 'utf8', timeout: 240000 });
    expect({ command: c, status: r.status, stderr: r.status === 0 ? '' : r.stderr.slice(-2000) }).toEqual({ command: c, status: 0, stderr: '' });
    if (c === 'kubectl sidecars version') expect(r.stdout).toMatch(/^kubectl-sidecars \d+\.\d+\.\d+ \(commit [0-9a-f]+/);
  }
}, 420000);
