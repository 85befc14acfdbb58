// Entry point (bundled into dist/kubectl-sidecars.cjs). Commands are registered explicitly:
// yargs' commandDir cannot be followed by a bundler (peers.md §3).
import yargs from 'yargs';
import type { DescribeOptions } from '../options.js';
import { errorDetail, errorLine, UsageError } from './errors.js';
import { connectionOptions, gatherOptions, nowOption, renderOptions, targetOptions, withCommonFlags, type CommonArgs } from './flags.js';
import type { Io } from './io.js';
import { runDescribe } from './describe.js';
import { completionScript } from './completion.js';

declare const __VERSION__: string;
declare const __COMMIT__: string;

export function versionLine(): string {
  return `kubectl-sidecars ${__VERSION__} (commit ${__COMMIT__}, node ${process.version}, ${process.platform}/${process.arch})\n`;
}

function describeOptions(a: CommonArgs & { 'exit-code'?: boolean }, env: Record<string, string | undefined>, io: Io): DescribeOptions {
  return {
    connection: connectionOptions(a, env),
    targets: targetOptions(a),
    gather: gatherOptions(a),
    render: renderOptions(a, env, { isTTY: io.stdoutIsTTY, columns: io.columns }),
    exitCode: !!a['exit-code'],
    now: nowOption(a),
  };
}

export async function main(argv: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  let code = 0;
  let verbosity = 0;
  const parser = yargs(argv)
    .scriptName('kubectl sidecars')
    .usage('Explain pods with sidecars: startup and termination order, restarts, readiness blockers.\n\nUsage: kubectl sidecars <command> [POD | TYPE/NAME ...] [flags]')
    .command('describe [targets..]', 'one snapshot of each pod\'s container lifecycle, then exit', (y) =>
      withCommonFlags(y).option('exit-code', { type: 'boolean', describe: 'exit 2 when any pod has a blocker' })
        .example('kubectl sidecars describe ordering -n demo', 'one pod')
        .example('kubectl sidecars describe job/podbee', 'the pods of a Job')
        .example('kubectl sidecars describe -A -o json', 'every pod of the cluster, as JSON')
        .example('kubectl sidecars describe -f ./support-bundle/', 'offline, from files'),
    async (a) => {
      verbosity = a.v ?? 0;
      code = await runDescribe(describeOptions(a, env, io), io);
    })
    .command('version', 'print the plugin version, git commit and Node version', {}, () => {
      io.out(versionLine());
    })
    .command('completion <shell>', 'print a shell completion script (bash, zsh, fish, powershell)', (y) =>
      y.positional('shell', { type: 'string', choices: ['bash', 'zsh', 'fish', 'powershell'], demandOption: true }),
    (a) => {
      io.out(completionScript(String(a.shell)));
    })
    .demandCommand(1, 'name a command: describe, watch, version or completion')
    .strict()
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version(false)
    .wrap(Math.min(120, io.columns ?? 100))
    .showHelpOnFail(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(`${msg} (see kubectl sidecars --help)`);
    });
  try {
    await parser.parseAsync();
    return code;
  } catch (e) {
    io.err(errorLine(e));
    if (verbosity >= 6 || env.KUBECTL_SIDECARS_DEBUG) io.err(errorDetail(e));
    return 1;
  }
}
