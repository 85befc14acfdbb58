// `kubectl sidecars <TAB>`: kubectl (1.26+) runs `kubectl_complete-sidecars ARGS... TO_COMPLETE`
// (bin/kubectl_complete-sidecars, which starts this as `kubectl-sidecars __complete ...`) and reads
// cobra's __complete protocol: one candidate a line (`value\tdescription`), then `:DIRECTIVE`.
// Commands, flags and flag values come from here; namespaces, pod names and TYPE/NAME from the
// cluster of the kubeconfig the words name: GET only, one request, a short timeout, and silence on
// any error (a completion never prints an error or a trace).
import { connect } from '../sources/gather.js';
import type { Io } from './io.js';

/** cobra's ShellCompDirective bits. */
const NO_SPACE = 2;
const NO_FILE = 4;
const DEFAULT = 0;

const COMMANDS: [string, string][] = [
  ['describe', 'one snapshot of each pod\'s container lifecycle'],
  ['watch', 'the current state, then one line per transition'],
  ['version', 'print the plugin version'],
  ['completion', 'print a shell completion script'],
];

const COMMON = ['--namespace', '-n', '--all-namespaces', '-A', '--selector', '-l', '--field-selector', '--output', '-o', '--color', '--chunk-size',
  '--kubeconfig', '--context', '--cluster', '--user', '--request-timeout', '--as', '--as-group', '--now', '--utc', '--help'];
const FLAGS: Record<string, string[]> = {
  describe: [...COMMON, '--filename', '-f', '--no-headers', '--logs', '--no-logs', '--details', '--exit-code'],
  watch: [...COMMON, '--until', '--timeout'],
  version: ['--help'],
  completion: ['--help'],
};

const VALUES: Record<string, string[]> = {
  color: ['auto', 'always', 'never'],
  until: ['initialized', 'ready', 'complete', 'deleted'],
  details: ['problems', 'all', 'none'],
};

/** TYPE/ prefixes and the API path of each kind's list (kubectl's short names accepted too). */
const KINDS: Record<string, { path: (ns: string) => string; aliases: string[] }> = {
  pod: { path: (ns) => `/api/v1/namespaces/${ns}/pods`, aliases: ['pod', 'pods', 'po'] },
  job: { path: (ns) => `/apis/batch/v1/namespaces/${ns}/jobs`, aliases: ['job', 'jobs'] },
  cronjob: { path: (ns) => `/apis/batch/v1/namespaces/${ns}/cronjobs`, aliases: ['cronjob', 'cronjobs', 'cj'] },
  deployment: { path: (ns) => `/apis/apps/v1/namespaces/${ns}/deployments`, aliases: ['deployment', 'deployments', 'deploy'] },
  replicaset: { path: (ns) => `/apis/apps/v1/namespaces/${ns}/replicasets`, aliases: ['replicaset', 'replicasets', 'rs'] },
  statefulset: { path: (ns) => `/apis/apps/v1/namespaces/${ns}/statefulsets`, aliases: ['statefulset', 'statefulsets', 'sts'] },
  daemonset: { path: (ns) => `/apis/apps/v1/namespaces/${ns}/daemonsets`, aliases: ['daemonset', 'daemonsets', 'ds'] },
};

/** Flags whose value is the next word. */
const TAKES_VALUE = new Set(['-n', '--namespace', '-l', '--selector', '--field-selector', '-o', '--output', '--color', '--chunk-size', '--kubeconfig',
  '--context', '--cluster', '--user', '--request-timeout', '--as', '--as-group', '--now', '-f', '--filename', '--details', '--until', '--timeout', '--v']);

interface Words {
  command: string | null;
  flags: Record<string, string>;
  positionals: string[];
}

function parseWords(words: string[]): Words {
  const out: Words = { command: null, flags: {}, positionals: [] };
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.startsWith('-')) {
      const eq = w.indexOf('=');
      if (eq > 0) out.flags[w.slice(0, eq)] = w.slice(eq + 1);
      else if (TAKES_VALUE.has(w)) out.flags[w] = words[++i] ?? '';
      else out.flags[w] = 'true';
    } else if (out.command === null) out.command = w;
    else out.positionals.push(w);
  }
  return out;
}

/** How long completion waits for the cluster's names (credentials included): a TAB must answer. */
const COMPLETION_BUDGET_MS = 2000;

/** The connection the typed flags describe (kubectl's flags), with a short timeout for completion. */
function connection(w: Words, env: Record<string, string | undefined>) {
  const f = (a: string, b?: string) => w.flags[a] ?? (b ? w.flags[b] : undefined);
  return {
    kubeconfig: f('--kubeconfig'), context: f('--context'), cluster: f('--cluster'), user: f('--user'),
    namespace: f('--namespace', '-n'), as: f('--as'), requestTimeoutMs: COMPLETION_BUDGET_MS, env,
  };
}

/** Names of one list from the cluster; [] on any failure (completion stays silent). */
async function names(w: Words, env: Record<string, string | undefined>, path: (ns: string) => string | null): Promise<string[]> {
  try {
    const { config, api } = connect(connection(w, env), { http: { retry: { attempts: 1 } } });
    let timer: NodeJS.Timeout | undefined;
    try {
      const p = path(encodeURIComponent(config.namespace));
      if (!p) return [];
      const list = api.http.getJSON<{ items?: { metadata?: { name?: string } }[] }>(p, { limit: 500 }, { verb: 'list', resource: 'completion' });
      list.catch(() => undefined); // after the budget it fails unheard (close() below ends it)
      // the whole answer within the budget: a hung credential plugin comes before any request
      // timeout (close() kills it: sources/plugin-process.ts)
      const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), COMPLETION_BUDGET_MS)));
      const body = await Promise.race([list, late]);
      if (!body) return [];
      return (body.items ?? []).map((it) => it.metadata?.name).filter((n): n is string => typeof n === 'string');
    } finally {
      clearTimeout(timer);
      api.http.close();
    }
  } catch {
    return [];
  }
}

/** The candidates and directive for `words` (the last one is the word being completed). */
export async function complete(words: string[], env: Record<string, string | undefined>): Promise<{ items: string[]; directive: number }> {
  const toComplete = words[words.length - 1] ?? '';
  const before = parseWords(words.slice(0, -1));
  const prev = words.length >= 2 ? words[words.length - 2] : '';
  const starts = (xs: string[]) => xs.filter((x) => x.startsWith(toComplete));

  if (before.command === null && !toComplete.startsWith('-') && !(TAKES_VALUE.has(prev))) {
    return { items: COMMANDS.filter(([c]) => c.startsWith(toComplete)).map(([c, d]) => `${c}\t${d}`), directive: NO_FILE };
  }
  // the value of a flag
  if (TAKES_VALUE.has(prev) && !prev.includes('=')) {
    const flag = prev.replace(/^-+/, '');
    if (flag === 'n' || flag === 'namespace') return { items: starts(await names(before, env, () => '/api/v1/namespaces')), directive: NO_FILE };
    if (flag === 'o' || flag === 'output') return { items: starts(before.command === 'watch' ? ['text', 'wide', 'json'] : ['text', 'wide', 'json', 'yaml', 'name']), directive: NO_FILE };
    if (flag === 'f' || flag === 'filename' || flag === 'kubeconfig') return { items: [], directive: DEFAULT };
    if (VALUES[flag]) return { items: starts(VALUES[flag]), directive: NO_FILE };
    return { items: [], directive: NO_FILE };
  }
  if (toComplete.startsWith('-')) return { items: starts(FLAGS[before.command ?? ''] ?? []), directive: NO_FILE };
  if (before.command === 'completion') return { items: before.positionals.length ? [] : starts(['bash', 'zsh', 'fish', 'powershell']), directive: NO_FILE };
  if (before.command !== 'describe' && before.command !== 'watch') return { items: [], directive: NO_FILE };
  // targets: TYPE/NAME, or pod names and the TYPE/ prefixes
  const slash = toComplete.indexOf('/');
  if (slash > 0) {
    const type = toComplete.slice(0, slash);
    const kind = Object.entries(KINDS).find(([, k]) => k.aliases.includes(type));
    if (!kind) return { items: [], directive: NO_FILE };
    const list = await names(before, env, kind[1].path);
    return { items: starts(list.map((n) => `${type}/${n}`)), directive: NO_FILE };
  }
  const pods = await names(before, env, KINDS.pod.path);
  const types = Object.keys(KINDS).map((k) => `${k}/`);
  const items = [...starts(pods), ...starts(types)];
  // only TYPE/ prefixes left: no space after the slash, the name follows
  return { items, directive: NO_FILE | (items.length > 0 && items.every((i) => i.endsWith('/')) ? NO_SPACE : 0) };
}

/** Writes cobra's __complete answer; never fails. */
export async function runComplete(words: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  let r: { items: string[]; directive: number };
  try {
    r = await complete(words.length ? words : [''], env);
  } catch {
    r = { items: [], directive: NO_FILE };
  }
  // candidates are the cluster's names: one line each, no control characters (cobra splits on \n)
  const safe = r.items.filter((i) => !/[\u0000-\u001f\u007f]/.test(i.replace('\t', ' ')));
  io.out(`${safe.map((i) => `${i}\n`).join('')}:${r.directive}\n`);
  return 0;
}
