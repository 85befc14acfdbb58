// `watch` relaunches itself under V8's capped young generation (src/cli/relaunch.ts). The command
// lines it builds, per Node's argv rules: a single executable gets the flag as its sea-config's
// `--node-options=` argument (execArgvExtension 'cli', scripts/package.mjs) and shows the typed
// program name as argv[1]; node runs `node [its flags] <flag> <script> args`. The packaged
// executable itself is run in test/package/krew-install.test.ts; on this Node 20 there is no
// process.execve, so the launcher never relaunches here (test/watch/*.test.ts run it uncapped).
import { SEA_EXEC_ARGV as PACKAGED } from '../../scripts/package.mjs';
import { relaunchArgs, SEA_EXEC_ARGV } from '../../src/cli/relaunch.js';

const sea = (argv: string[], env: Record<string, string> = {}, execArgv = [...SEA_EXEC_ARGV]) =>
  ({ execPath: '/home/u/.krew/store/sidecars/v0.1.0/kubectl-sidecars', argv0: 'kubectl-sidecars', argv, execArgv, env, isSea: true });
const launcher = (execArgv: string[], env: Record<string, string> = {}) =>
  ({ execPath: '/usr/bin/node', argv0: 'node', argv: ['/usr/bin/node', '/usr/lib/node_modules/kubectl-sidecars/bin/kubectl-sidecars', 'watch', '-n', 'demo'], execArgv, env, isSea: false });

test('the single executable: the flag as --node-options, the user\'s words after it unchanged', () => {
  const argv = ['/home/u/.krew/store/sidecars/v0.1.0/kubectl-sidecars', '/home/u/.krew/bin/kubectl-sidecars', 'watch', 'job/x', '--until', 'complete', '--', '--node-options=x'];
  expect(relaunchArgs(sea(argv), false)).toEqual([
    '/home/u/.krew/bin/kubectl-sidecars', '--node-options=--max-semi-space-size=1 --optimize-for-size --v8-pool-size=1 --disable-warning=Warning',
    'watch', 'job/x', '--until', 'complete', '--', '--node-options=x',
  ]);
  // NODE_OPTIONS is not read by the executable (sea-config): it does not stop the relaunch
  expect(relaunchArgs(sea(argv, { NODE_OPTIONS: '--max-semi-space-size=8' }), false)).not.toBeNull();
});

test('the npm launcher: node, its own flags, the flag, the launcher, the words', () => {
  expect(relaunchArgs(launcher([]), false)).toEqual(['node', '--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1', '/usr/lib/node_modules/kubectl-sidecars/bin/kubectl-sidecars', 'watch', '-n', 'demo']);
  expect(relaunchArgs(launcher(['--inspect']), false)?.slice(0, 5)).toEqual(['node', '--inspect', '--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1']);
});

test('no relaunch when the flag is in effect already, or once relaunched (no loop)', () => {
  expect(relaunchArgs(launcher(['--max-semi-space-size=8']), false)).toBeNull();
  expect(relaunchArgs(launcher([], { NODE_OPTIONS: '--max-old-space-size=4096 --max-semi-space-size 4' }), false)).toBeNull();
  expect(relaunchArgs(sea(['/x', 'x', 'watch'], {}, [...SEA_EXEC_ARGV, '--max-semi-space-size=1', '--optimize-for-size', '--v8-pool-size=1', '--disable-warning=Warning']), false)).toBeNull();
  expect(relaunchArgs(launcher([]), true)).toBeNull();
  expect(relaunchArgs(sea(['/x', 'x', 'watch']), true)).toBeNull();
  // a look-alike flag is not the flag
  expect(relaunchArgs(launcher(['--max-semi-space-size-x=1']), false)).not.toBeNull();
});

test('the executable\'s own Node flags are the ones the package build puts in its blob', () => {
  // anything else in its execArgv is taken for a user's --node-options (startCheck)
  expect(SEA_EXEC_ARGV).toEqual(PACKAGED);
});
