// Entry point (bundled into dist/kubectl-sidecars.cjs). Commands are registered explicitly:
// yargs' commandDir cannot be followed by a bundler (esbuild sees no static import).
import yargs from 'yargs';
import type { DescribeOptions } from '../options.js';
import { errorDetail, errorLine, UsageError } from './errors.js';
import { connectionOptions, flagNamed, gatherOptions, nowOption, outputWidth, parseDuration, renderOptions, targetOptions, useColor, withCommonFlags, type CommonArgs } from './flags.js';
import type { Io } from './io.js';
import { runDescribe } from './describe.js';
import { maxLogRequests, runWatch, untilOption, watchOutput } from './watch.js';
import { completionScript } from './completion.js';

import { versionLine } from './version.js';

export { versionLine };

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

export const COMMANDS = ['describe', 'watch', 'version', 'completion'];

/** Edit distance, for "did you mean" (cobra suggests within 2 edits, or by prefix). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
  }
  return d[a.length][b.length];
}

/** kubectl's (cobra's) wording, on one line: `unknown command "descibe" for "kubectl sidecars"` and a suggestion. */
export function unknownCommand(word: string): string {
  const near = COMMANDS.filter((c) => distance(word.toLowerCase(), c) <= 2 || (word.length >= 2 && c.startsWith(word.toLowerCase())));
  const hint = near.length ? `did you mean ${near.map((c) => `"${c}"`).join(' or ')}?` : `use ${COMMANDS.slice(0, -1).join(', ')} or ${COMMANDS[COMMANDS.length - 1]}`;
  return `unknown command "${word}" for "kubectl sidecars": ${hint} (see kubectl sidecars --help)`;
}

/**
 * yargs' messages, made one line in our words: an unknown flag is named once, as typed (yargs names it
 * twice, kebab and camelCase, without dashes); a value outside the choices says what to use.
 */
export function usageMessage(msg: string, command?: string, argv: string[] = []): string {
  const did = /^Did you mean (\S+?)\?/.exec(msg);
  if (did) return `unknown command: did you mean "${did[1]}"?`;
  const inv = /^Invalid values:\s*Argument: ([^,]+), Given: ("[^"]*"|\S+), Choices: (.*)$/s.exec(msg);
  if (inv) {
    const flag = inv[1].length === 1 ? `-${inv[1]}` : inv[1] === 'shell' ? 'shell' : `--${inv[1]}`;
    return `invalid ${flag} ${inv[2]}: use ${inv[3].replace(/"/g, '').replace(/\s+/g, ' ').trim()}`;
  }
  const m = /^Unknown arguments?: (.*)$/.exec(msg);
  if (!m) return msg.replace(/\s*\n\s*/g, ' ');
  const names = m[1].split(', ');
  const kebab = (n: string) => n.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  // yargs names --no-X as X: the flag as typed
  const typed = (n: string) => (argv.some((a) => a === `--no-${n}` || a.startsWith(`--no-${n}=`)) && !argv.some((a) => a === `--${n}` || a.startsWith(`--${n}=`)) ? `--no-${n}` : `--${n}`);
  const flags = names.filter((n) => !(/[A-Z]/.test(n) && names.includes(kebab(n)))).map((n) => (n.length === 1 ? `-${n}` : typed(n)));
  // a flag of the other command (describe --until, watch -f): say whose it is
  const owners = flags.map((f) => {
    const def = flagNamed(f);
    const other = def?.commands.filter((c) => c !== command) ?? [];
    return def && command && !(def.commands as string[]).includes(command) && other.length ? `${f} is a flag of ${other.join(' and ')}` : null;
  }).filter(Boolean);
  const whose = owners.length ? `: ${owners.join('; ')}, not of ${command}` : '';
  return `unknown flag${flags.length > 1 ? 's' : ''} ${flags.join(', ')}${whose}`;
}

/**
 * `-f -` (stdin, as kubectl spells it): yargs takes a lone "-" after an array flag for the next
 * flag's start and files it as a POD name, so the run went to the cluster instead of stdin.
 */
export function stdinFilename(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if ((argv[i] === '-f' || argv[i] === '--filename') && argv[i + 1] === '-') {
      out.push(`${argv[i]}=-`);
      i++;
    } else {
      if (argv[i] === '--') {
        out.push(...argv.slice(i));
        break;
      }
      out.push(argv[i]);
    }
  }
  return out;
}

export async function main(argv: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  // An unknown first word is a command typo, not a pod name (kubectl's plugins say so)
  if (argv.length > 0 && !argv[0].startsWith('-') && argv[0] !== 'help' && !COMMANDS.includes(argv[0])) {
    io.err(errorLine(new UsageError(unknownCommand(argv[0]))));
    return 1;
  }
  // `--version`, as plugins usually allow beside the `version` command
  if (argv.length === 1 && argv[0] === '--version') {
    io.out(versionLine());
    return 0;
  }
  let code = 0;
  let verbosity = 0;
  /** A command's handler: --v first (a failure prints its trace at 6), then the exit code it returns. */
  const run = <A extends { v?: number }>(fn: (a: A) => Promise<number>) => async (a: A) => {
    verbosity = a.v ?? 0;
    code = await fn(a);
  };
  const parser = yargs(stdinFilename(argv))
    .scriptName('kubectl sidecars')
    .usage('Explain pods with sidecars: startup and termination order, restarts, readiness blockers.\n\nUsage: kubectl sidecars <command> [POD | TYPE/NAME ...] [flags]')
    .command('describe [targets..]', 'one snapshot of each pod\'s container lifecycle, then exit', (y) =>
      withCommonFlags(y, 'describe')
        .example('kubectl sidecars describe ordering -n demo', 'one pod')
        .example('kubectl sidecars describe job/podbee', 'the pods of a Job')
        .example('kubectl sidecars describe -A -o json', 'every pod of the cluster, as JSON')
        .example('kubectl sidecars describe -f ./support-bundle/', 'offline, from files'),
    run((a) => runDescribe(describeOptions(a, env, io), io)))
    .command('watch [targets..]', 'the current state of each pod, then one line per transition (Ctrl-C to stop)', (y) =>
      withCommonFlags(y, 'watch')
        .example('kubectl sidecars watch job/podbee', 'follow a Job\'s pods, retries included')
        .example('kubectl sidecars watch ordering --until deleted', 'until the pod is gone, then its termination order')
        .example('kubectl sidecars watch deploy/web --until ready --timeout 5m', 'exit 3 with the blockers if not ready in time')
        .example('kubectl sidecars watch -o json | jq .', 'one JSON object per line'),
    run((a) => {
      const notice = parseDuration(a['reconnect-notice'] as string | undefined);
      return runWatch({
        connection: connectionOptions(a, env),
        targets: targetOptions(a),
        chunkSize: gatherOptions(a).chunkSize,
        output: watchOutput(a.output),
        color: useColor(a.color, env, io.stdoutIsTTY),
        width: outputWidth(env, { isTTY: io.stdoutIsTTY, columns: io.columns }),
        terminal: io.stdoutIsTTY,
        ...(a.logs ? { logs: { maxStreams: maxLogRequests(a['max-log-requests']) } } : {}),
        utc: !!a.utc,
        until: untilOption(a.until as string | undefined),
        timeoutMs: parseDuration(a.timeout as string | undefined),
        now: nowOption(a),
        timing: {
          ...(notice !== undefined ? { noticeAfterMs: notice } : {}),
          ...(a['watch-stall'] !== undefined ? { stallMs: parseDuration(a['watch-stall'] as string) } : {}),
          ...(a['reconnect-backoff'] !== undefined ? { backoffBaseMs: parseDuration(a['reconnect-backoff'] as string) } : {}),
        },
      }, io);
    }))
    .command('version', 'print the plugin version, git commit and Node version', {}, () => {
      io.out(versionLine());
    })
    .command('completion <shell>', 'print a shell completion script (bash, zsh, fish, powershell)', (y) =>
      y.positional('shell', { type: 'string', choices: ['bash', 'zsh', 'fish', 'powershell'], demandOption: true }),
    (a) => {
      io.out(completionScript(String(a.shell)));
    })
    .command('help', false, {}, async () => {
      io.out(`${await parser.getHelp()}\n`);
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
      throw err ?? new UsageError(`${usageMessage(msg, argv[0], argv)} (see kubectl sidecars --help)`);
    });
  try {
    // kubectl plugins print their help when run without a command, and exit 0
    if (argv.length === 0) {
      io.out(`${await parser.getHelp()}\n`);
      return 0;
    }
    await parser.parseAsync();
    return code;
  } catch (e) {
    io.err(errorLine(e));
    if (verbosity >= 6 || env.KUBECTL_SIDECARS_DEBUG) io.err(errorDetail(e));
    return 1;
  }
}
