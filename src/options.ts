// The plain options object every command is reduced to (flags → options). Only src/cli builds it,
// from argv and the environment; the layers below receive it and read nothing global.

export type OutputFormat = 'text' | 'wide' | 'json' | 'yaml' | 'name';
export type LogsMode = 'auto' | 'on' | 'off';

/** How to reach the cluster: kubectl's meaning for each flag. */
export interface ConnectionOptions {
  /** --kubeconfig: exactly this one file. */
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  /** -n; otherwise the context's namespace, otherwise "default". */
  namespace?: string;
  /** --request-timeout in ms; 0 = none. */
  requestTimeoutMs?: number;
  /** --max-response-size in bytes (default in sources/http.ts). */
  maxResponseBytes?: number;
  as?: string;
  asGroups?: string[];
  /** --v: from 6, each request is logged to stderr as kubectl logs it (sources/request-log.ts). */
  verbosity?: number;
  /** The environment (KUBECONFIG, HOME, KUBERNETES_SERVICE_HOST/PORT…), passed in, never read globally. */
  env: Record<string, string | undefined>;
}

/** Which pods. */
export interface TargetOptions {
  /** Positional args as typed: "name", "pod/name", "job/name", "deployment/name", … */
  names: string[];
  allNamespaces: boolean;
  selector?: string;
  fieldSelector?: string;
  /** -f: files, directories or "-" (stdin). When set, no cluster is contacted. */
  files?: string[];
}

export interface GatherOptions {
  /** Logs: auto = for up to a handful of pods; on/off forced by --logs/--no-logs. */
  logs: LogsMode;
  /** --chunk-size for paginated lists. */
  chunkSize: number;
}

export interface RenderOptions {
  output: OutputFormat;
  noHeaders: boolean;
  color: boolean;
  /** --utc: wall-clock times in UTC instead of the local time zone. */
  utc?: boolean;
  /** Several pods: whose details follow the summary (default: those with a problem, problems.ts). */
  details?: 'all' | 'problems' | 'none';
  /** -A: the summary shows a NAMESPACE column (otherwise only when the pods span several namespaces). */
  allNamespaces?: boolean;
  /** Width to lay text out to (terminal, else COLUMNS); Infinity when unlimited (piped): nothing wraps or is cut. */
  width: number;
}

export interface DescribeOptions {
  connection: ConnectionOptions;
  targets: TargetOptions;
  gather: GatherOptions;
  render: RenderOptions;
  /** --exit-code: exit 2 when a pod has a blocker or a verdict that is not fine (model/verdict.ts needsAttention). */
  exitCode: boolean;
  /** Fixed "now" (RFC 3339) for reproducible output; default the clock. */
  now?: string;
}
