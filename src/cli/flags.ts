// The flags kubectl users expect (kubectl's names and meanings), and their reduction to Options.
// This and main.ts are the only places that see argv, the environment and the TTY.
import type { Argv } from 'yargs';
import type { ConnectionOptions, GatherOptions, OutputFormat, RenderOptions, TargetOptions } from '../options.js';
import { UsageError } from './errors.js';
import { MAX_BODY_BYTES_FLAG } from '../sources/http.js';
import { parseTarget, targetArgs } from '../sources/selection.js';
import { checkNamespace } from '../sources/names.js';

export interface CommonArgs {
  namespace?: string;
  'all-namespaces'?: boolean;
  selector?: string;
  'field-selector'?: string;
  output?: string;
  context?: string;
  cluster?: string;
  user?: string;
  kubeconfig?: string;
  'request-timeout'?: string;
  'max-response-size'?: string;
  as?: string;
  'as-group'?: string[];
  headers?: boolean;
  color?: string;
  filename?: string[];
  logs?: boolean;
  'chunk-size'?: number;
  now?: string;
  details?: string;
  utc?: boolean;
  v?: number;
  targets?: string[];
}

const CONNECTION = 'Cluster connection (as kubectl):';
const SELECTION = 'Pod selection:';
const OUTPUT = 'Output:';

export type Command = 'describe' | 'watch';

/**
 * Where a completion finds a flag's values: fixed words, the kubeconfig's names, the cluster's
 * namespaces, or file names (the shell's own completion).
 */
export type FlagValues = string[] | 'files' | 'namespaces' | 'contexts' | 'clusters' | 'users' | 'none';

/** One flag: what yargs is told, what help prints and what completion offers all come from here. */
export interface FlagDef {
  name: string;
  alias?: string;
  type: 'string' | 'boolean' | 'number';
  commands: Command[];
  describe: string | Record<Command, string>;
  group?: string;
  array?: boolean;
  nargs?: number;
  default?: unknown;
  hidden?: boolean;
  /** yargs refuses other values (and completion offers these). */
  choices?: string[];
  /** Completion's candidates for the value, when not `choices`; per command where they differ. */
  values?: FlagValues | Record<Command, FlagValues>;
  /** A boolean also written --no-NAME (completion offers both). */
  negatable?: boolean;
}

const BOTH: Command[] = ['describe', 'watch'];

/** Every flag of describe and watch, in help's order. */
export const FLAG_TABLE: FlagDef[] = [
  { name: 'namespace', alias: 'n', type: 'string', commands: BOTH, values: 'namespaces', describe: 'namespace (default: the context\'s, else "default")', group: SELECTION },
  { name: 'all-namespaces', alias: 'A', type: 'boolean', commands: BOTH, describe: 'pods of every namespace', group: SELECTION },
  { name: 'selector', alias: 'l', type: 'string', commands: BOTH, values: 'none', describe: 'label selector, e.g. app=web,tier!=db', group: SELECTION },
  { name: 'field-selector', type: 'string', commands: BOTH, values: 'none', describe: 'field selector, e.g. status.phase=Running', group: SELECTION },
  { name: 'output', alias: 'o', type: 'string', commands: BOTH, values: { describe: ['text', 'wide', 'json', 'yaml', 'name'], watch: ['text', 'wide', 'json'] }, describe: { describe: 'text | wide | json | yaml | name', watch: 'text | wide | json (one object per line)' }, group: OUTPUT },
  { name: 'color', type: 'string', commands: BOTH, values: ['auto', 'always', 'never'], describe: 'auto | always | never (auto honours NO_COLOR and TTY)', group: OUTPUT },
  { name: 'utc', type: 'boolean', commands: BOTH, describe: 'print times in UTC (default: the local time zone, as kubectl describe)', group: OUTPUT },
  { name: 'chunk-size', type: 'number', commands: BOTH, values: 'none', default: 500, describe: 'page size for list requests', group: SELECTION },
  { name: 'kubeconfig', type: 'string', commands: BOTH, values: 'files', describe: 'path to the kubeconfig file (only this file)', group: CONNECTION },
  { name: 'context', type: 'string', commands: BOTH, values: 'contexts', describe: 'kubeconfig context to use', group: CONNECTION },
  { name: 'cluster', type: 'string', commands: BOTH, values: 'clusters', describe: 'kubeconfig cluster to use', group: CONNECTION },
  { name: 'user', type: 'string', commands: BOTH, values: 'users', describe: 'kubeconfig user to use', group: CONNECTION },
  { name: 'request-timeout', type: 'string', commands: BOTH, values: 'none', describe: 'per-request timeout, e.g. 10s, 1m (0 = none)', group: CONNECTION },
  { name: 'max-response-size', type: 'string', commands: BOTH, values: 'none', describe: 'largest response body read, e.g. 256Mi (default), up to 512Mi', group: CONNECTION },
  { name: 'as', type: 'string', commands: BOTH, values: 'none', describe: 'impersonate this user', group: CONNECTION },
  { name: 'as-group', type: 'string', commands: BOTH, values: 'none', array: true, describe: 'impersonate this group (repeatable)', group: CONNECTION },
  { name: 'now', type: 'string', commands: BOTH, values: 'none', describe: {
    describe: 'the replay clock: take this RFC 3339 time as "now" (AGE, "ago", running bars), for reproducible output of recorded snapshots',
    watch: 'the replay clock: start at this RFC 3339 time and let the clock follow the evidence (replays of recordings)',
  } },
  { name: 'v', type: 'number', commands: BOTH, values: 'none', hidden: true, describe: 'verbosity: 6+ logs each request (as kubectl -v=6) and prints stack traces of errors' },
  // describe only
  // nargs 1: one path per -f, as kubectl; without it `-f DIR POD` took POD for a second file
  { name: 'filename', alias: 'f', type: 'string', commands: ['describe'], values: 'files', array: true, nargs: 1, describe: 'read pods, events and logs from a file, a folder, a .tar.gz (support bundle, must-gather, cluster-info dump) or - (stdin): no cluster needed; repeatable', group: SELECTION },
  { name: 'details', type: 'string', commands: ['describe'], choices: ['all', 'problems', 'none'], values: ['problems', 'all', 'none'], default: 'problems', describe: 'with several pods, whose details follow the summary: all, those with a problem (a blocker, or a verdict other than Healthy or Completed), or none', group: OUTPUT },
  { name: 'headers', type: 'boolean', commands: ['describe'], negatable: true, default: true, describe: 'print table headers (--no-headers to drop them)', group: OUTPUT },
  { name: 'logs', type: 'boolean', commands: ['describe'], negatable: true, describe: 'read container logs to refine times below one second (default: only for up to 5 pods; --no-logs never)', group: OUTPUT },
  { name: 'logs', type: 'boolean', commands: ['watch'], describe: "follow the containers' logs too, merged with the lifecycle lines in time order", group: OUTPUT },
  { name: 'max-log-requests', type: 'number', commands: ['watch'], values: 'none', default: 5, group: OUTPUT, describe: 'with --logs: log streams followed at once (as kubectl logs); the others wait, named' },
  { name: 'exit-code', type: 'boolean', commands: ['describe'], describe: 'exit 2 when a pod has a blocker or a verdict of Degraded, Blocked, Failed or Unknown, or a named workload failed' },
  // watch only
  { name: 'until', type: 'string', commands: ['watch'], choices: ['initialized', 'ready', 'complete', 'deleted'], describe: "exit 0 once every matching pod is initialized, ready, complete or deleted (complete on job/NAME: the Job's own outcome; exit 2 when it or a pod failed)" },
  { name: 'timeout', type: 'string', commands: ['watch'], values: 'none', describe: 'give up after this long, e.g. 30s, 5m (with --until: exit 3 and print what still blocks)' },
  { name: 'reconnect-notice', type: 'string', commands: ['watch'], values: 'none', hidden: true, describe: 'say "reconnecting" after failures last this long (default 5s)' },
  { name: 'watch-stall', type: 'string', commands: ['watch'], values: 'none', hidden: true, describe: 're-watch a stream silent this long (default 60s)' },
  { name: 'reconnect-backoff', type: 'string', commands: ['watch'], values: 'none', hidden: true, describe: 'first back-off after a failure (default 800ms; doubles, capped at 30s: sources/retry.ts)' },
];

/** The flags of `command`, from the table. */
export const flagsOf = (command: string): FlagDef[] => FLAG_TABLE.filter((f) => (f.commands as string[]).includes(command));

/** The table's flag named `word` as typed (--name, --no-name, -a, --name=value), if any. */
export function flagNamed(word: string): FlagDef | undefined {
  const m = /^(--?)(?:no-)?([^=]+)/.exec(word);
  if (!m) return undefined;
  const bare = word.replace(/^--?/, '').split('=')[0];
  return FLAG_TABLE.find((f) => (m[1] === '-' ? f.alias === bare || (f.name.length === 1 && f.name === bare) : f.name === bare || (f.negatable && `no-${f.name}` === bare)));
}

/** The flags describe and watch take, from FLAG_TABLE; each lists only what it accepts (watch reads no files, logs or headers). */
export function withCommonFlags<T>(y: Argv<T>, command: Command): Argv<T & CommonArgs> {
  let out: Argv<any> = y.positional('targets', { describe: 'POD, TYPE/NAME or TYPE NAME...: pod/x, job/x, cronjob/x, deployment/x, replicaset/x, statefulset/x, daemonset/x', type: 'string', array: true });
  for (const f of flagsOf(command)) {
    out = out.option(f.name, {
      type: f.type,
      describe: typeof f.describe === 'string' ? f.describe : f.describe[command],
      ...(f.alias ? { alias: f.alias } : {}),
      ...(f.group ? { group: f.group } : {}),
      ...(f.array ? { array: true } : {}),
      ...(f.nargs ? { nargs: f.nargs } : {}),
      ...(f.default !== undefined ? { default: f.default } : {}),
      ...(f.hidden ? { hidden: true } : {}),
      ...(f.choices ? { choices: f.choices } : {}),
    });
  }
  return out as unknown as Argv<T & CommonArgs>;
}

/** kubectl's duration syntax for --request-timeout: "0", "30", "10s", "1m30s", "500ms". */
export function parseDuration(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  if (/^\d+$/.test(s)) return Number(s) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  let total = 0;
  let consumed = '';
  for (let m = re.exec(s); m; m = re.exec(s)) {
    consumed += m[0];
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60000, h: 3600000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
  }
  if (consumed !== s) throw new UsageError(`invalid duration "${s}": use e.g. 30s, 1m, 500ms, or 0 for none`);
  return total;
}

/** --max-response-size: bytes, or a Kubernetes quantity with a binary or decimal suffix (256Mi, 300M). */
export function parseByteSize(s: string | undefined): number | undefined {
  if (s === undefined || s === '') return undefined;
  const m = /^(\d+)(Ki|Mi|Gi|k|K|M|G)?$/.exec(s);
  const unit = { Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, k: 1e3, K: 1e3, M: 1e6, G: 1e9 }[m?.[2] ?? ''] ?? 1;
  const n = m ? Number(m[1]) * unit : NaN;
  if (!m || n <= 0) throw new UsageError(`invalid --max-response-size "${s}": use e.g. 256Mi, 512Mi`);
  // 512Mi as the help says; what is read stops a little short of it (MAX_BODY_BYTES_LIMIT: one string)
  if (n > MAX_BODY_BYTES_FLAG) throw new UsageError(`--max-response-size ${s} is over 512Mi, the largest body that can be parsed: use --chunk-size to page lists instead`);
  return n;
}

export function outputFormat(o: string | undefined): OutputFormat {
  const v = o ?? 'text';
  if (v === 'text' || v === 'wide' || v === 'json' || v === 'yaml' || v === 'name') return v;
  throw new UsageError(`unknown output format "${v}": use text, wide, json, yaml or name`);
}

/** NO_COLOR counts when present and non-empty (no-color.org); an explicit --color wins. */
export function useColor(flag: string | undefined, env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (flag === 'always') return true;
  if (flag === 'never') return false;
  if (flag !== undefined && flag !== 'auto') throw new UsageError(`invalid --color "${flag}": use auto, always or never`);
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

export function connectionOptions(a: CommonArgs, env: Record<string, string | undefined>): ConnectionOptions {
  return {
    kubeconfig: a.kubeconfig,
    context: a.context,
    cluster: a.cluster,
    user: a.user,
    // a namespace goes into every request's path: `-n ..` would name /api/v1/pods (names.ts)
    namespace: a.namespace ? checkNamespace(a.namespace, '-n') : a.namespace,
    requestTimeoutMs: parseDuration(a['request-timeout']),
    maxResponseBytes: parseByteSize(a['max-response-size']),
    as: a.as,
    asGroups: a['as-group'],
    verbosity: a.v,
    env,
  };
}

export function targetOptions(a: CommonArgs): TargetOptions {
  const names = targetArgs((a.targets ?? []).map(String));
  for (const n of names) parseTarget(n); // a bad type or name is refused before anything is read
  if (a['all-namespaces'] && names.length > 0) {
    throw new UsageError('a resource cannot be retrieved by name across all namespaces: drop -A or the names');
  }
  return { names, allNamespaces: !!a['all-namespaces'], selector: a.selector, fieldSelector: a['field-selector'], files: a.filename };
}

export function gatherOptions(a: CommonArgs): GatherOptions {
  const chunk = a['chunk-size'] ?? 500;
  if (!Number.isInteger(chunk) || chunk < 0) throw new UsageError(`invalid --chunk-size ${chunk}: use a whole number (0 = no paging)`);
  return { logs: a.logs === undefined ? 'auto' : a.logs ? 'on' : 'off', chunkSize: chunk };
}

export function renderOptions(a: CommonArgs, env: Record<string, string | undefined>, tty: { isTTY: boolean; columns?: number }): RenderOptions {
  return {
    output: outputFormat(a.output),
    noHeaders: a.headers === false,
    allNamespaces: !!a['all-namespaces'],
    details: detailsOption(a.details),
    utc: !!a.utc,
    color: useColor(a.color, env, tty.isTTY),
    width: outputWidth(env, tty),
  };
}

/**
 * The width text is laid out to: the terminal's, else COLUMNS (as kubectl's printers and less do),
 * else unlimited (piped into a file or grep: nothing wraps, nothing is cut).
 */
export function outputWidth(env: Record<string, string | undefined>, tty: { isTTY: boolean; columns?: number }): number {
  if (tty.isTTY && tty.columns && tty.columns > 0) return tty.columns;
  const c = Number(env.COLUMNS);
  if (env.COLUMNS && Number.isInteger(c) && c > 0) return c;
  return Infinity;
}

export function detailsOption(v: string | undefined): 'all' | 'problems' | 'none' {
  if (v === undefined || v === 'problems') return 'problems';
  if (v === 'all' || v === 'none') return v;
  throw new UsageError(`invalid --details "${v}": use all, problems or none`);
}

export function nowOption(a: CommonArgs): string | undefined {
  if (a.now === undefined) return undefined;
  if (!Number.isFinite(Date.parse(a.now))) throw new UsageError(`invalid --now "${a.now}": use an RFC 3339 time`);
  return a.now;
}
