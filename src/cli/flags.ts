// The flags kubectl users expect (kubectl's names and meanings), and their reduction to Options.
// This and main.ts are the only places that see argv, the environment and the TTY.
import type { Argv } from 'yargs';
import type { ConnectionOptions, GatherOptions, OutputFormat, RenderOptions, TargetOptions } from '../options.js';
import { UsageError } from './errors.js';
import { MAX_BODY_BYTES_FLAG } from '../sources/http.js';

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

/** The flags describe and watch share; each lists only what it accepts (watch reads no files, logs or headers). */
export function withCommonFlags<T>(y: Argv<T>, command: 'describe' | 'watch'): Argv<T & CommonArgs> {
  const describe = command === 'describe';
  let out: Argv<any> = y
    .positional('targets', { describe: 'POD, or TYPE/NAME: pod/x, job/x, cronjob/x, deployment/x, replicaset/x, statefulset/x, daemonset/x', type: 'string', array: true })
    .option('namespace', { alias: 'n', type: 'string', describe: 'namespace (default: the context\'s, else "default")', group: SELECTION })
    .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'pods of every namespace', group: SELECTION })
    .option('selector', { alias: 'l', type: 'string', describe: 'label selector, e.g. app=web,tier!=db', group: SELECTION })
    .option('field-selector', { type: 'string', describe: 'field selector, e.g. status.phase=Running', group: SELECTION })
    .option('output', { alias: 'o', type: 'string', describe: describe ? 'text | wide | json | yaml | name' : 'text | wide | json (one object per line)', group: OUTPUT })
    .option('color', { type: 'string', describe: 'auto | always | never (auto honours NO_COLOR and TTY)', group: OUTPUT })
    .option('utc', { type: 'boolean', describe: 'print times in UTC (default: the local time zone, as kubectl describe)', group: OUTPUT })
    .option('chunk-size', { type: 'number', default: 500, describe: 'page size for list requests', group: SELECTION })
    .option('kubeconfig', { type: 'string', describe: 'path to the kubeconfig file (only this file)', group: CONNECTION })
    .option('context', { type: 'string', describe: 'kubeconfig context to use', group: CONNECTION })
    .option('cluster', { type: 'string', describe: 'kubeconfig cluster to use', group: CONNECTION })
    .option('user', { type: 'string', describe: 'kubeconfig user to use', group: CONNECTION })
    .option('request-timeout', { type: 'string', describe: 'per-request timeout, e.g. 10s, 1m (0 = none)', group: CONNECTION })
    .option('max-response-size', { type: 'string', describe: 'largest response body read, e.g. 256Mi (default), up to 512Mi', group: CONNECTION })
    .option('as', { type: 'string', describe: 'impersonate this user', group: CONNECTION })
    .option('as-group', { type: 'string', array: true, describe: 'impersonate this group (repeatable)', group: CONNECTION })
    .option('now', { type: 'string', describe: describe
      ? 'the replay clock: take this RFC 3339 time as "now" (AGE, "ago", running bars), for reproducible output of recorded snapshots'
      : 'the replay clock: start at this RFC 3339 time and let the clock follow the evidence (replays of recordings)' })
    .option('v', { type: 'number', hidden: true, describe: 'verbosity: 6+ prints stack traces of errors' });
  if (describe) {
    out = out
      // nargs 1: one path per -f, as kubectl; without it `-f DIR POD` took POD for a second file
      .option('filename', { alias: 'f', type: 'string', array: true, nargs: 1, describe: 'read pods, events and logs from a file, a folder, a .tar.gz (support bundle, must-gather, cluster-info dump) or - (stdin): no cluster needed; repeatable', group: SELECTION })
      .option('details', { type: 'string', choices: ['all', 'problems', 'none'], default: 'problems', describe: 'with several pods, whose details follow the summary: all, those with a problem (a blocker, or a verdict other than Healthy or Completed), or none', group: OUTPUT })
      .option('headers', { type: 'boolean', default: true, describe: 'print table headers (--no-headers to drop them)', group: OUTPUT })
      .option('logs', { type: 'boolean', describe: 'read container logs to refine times below one second (default: only for up to 5 pods; --no-logs never)', group: OUTPUT });
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
    namespace: a.namespace,
    requestTimeoutMs: parseDuration(a['request-timeout']),
    maxResponseBytes: parseByteSize(a['max-response-size']),
    as: a.as,
    asGroups: a['as-group'],
    env,
  };
}

export function targetOptions(a: CommonArgs): TargetOptions {
  const names = (a.targets ?? []).map(String);
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
