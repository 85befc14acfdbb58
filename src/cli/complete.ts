// `kubectl sidecars <TAB>`: kubectl (1.26+) runs `kubectl_complete-sidecars ARGS... TO_COMPLETE`
// (bin/kubectl_complete-sidecars, which starts this as `kubectl-sidecars __complete ...`) and reads
// cobra's __complete protocol: one candidate a line (`value\tdescription`), then `:DIRECTIVE`.
// Commands, flags and flag values come from here; namespaces, pod names and TYPE/NAME from the
// cluster of the kubeconfig the words name: GET only, one request, a short timeout, and silence on
// any error (a completion never prints an error or a trace).
import { connect } from '../sources/gather.js';
import { listPath } from '../sources/api.js';
import { kindOfType, RESOURCE, SUPPORTED_KINDS, type TargetKind } from '../sources/selection.js';
import { kubeconfigEntryNames } from '../sources/kubeconfig.js';
import { killPlugins } from '../sources/plugin-process.js';
import { isDns1123Label, isDns1123Subdomain, isSafeWord } from '../sources/names.js';
import { flagNamed, flagsOf, type FlagDef } from './flags.js';
import type { Io } from './io.js';

/** cobra's ShellCompDirective bits. */
const NO_SPACE = 2;
const NO_FILE = 4;
const DEFAULT = 0;

/** The promise to the shell: an answer within this long, whatever the cluster or a credential plugin does. */
export const COMPLETION_DEADLINE_MS = 2000;
/** What the cluster's names may take of it: the rest answers with the fixed candidates. */
const NAMES_BUDGET_MS = 1500;
/** A list read for completion: one page of names, and a body bound for a server that ignores `limit`. */
const NAMES_LIMIT = 500;
const NAMES_MAX_BODY_BYTES = 32 * 1024 * 1024;

const COMMANDS: [string, string][] = [
  ['describe', 'one snapshot of each pod\'s container lifecycle'],
  ['watch', 'the current state, then one line per transition'],
  ['version', 'print the plugin version'],
  ['completion', 'print a shell completion script'],
];

/** The flags completion offers for a command (FLAG_TABLE: the same ones yargs and help know). */
function flagWords(command: string): string[] {
  const out: string[] = [];
  for (const f of flagsOf(command)) {
    if (f.hidden) continue;
    out.push(`--${f.name}`);
    if (f.alias) out.push(`-${f.alias}`);
    if (f.negatable) out.push(`--no-${f.name}`);
  }
  return [...out, '--help', '-h'];
}

/** The table's flag that takes the next word as its value (booleans do not). */
function valueFlag(word: string): FlagDef | undefined {
  const f = flagNamed(word);
  return f && f.type !== 'boolean' && !word.includes('=') && !word.startsWith('--no-') ? f : undefined;
}

/** The list path of a target kind's objects in a namespace (selection.ts names the kinds, api.ts their paths). */
const kindPath = (kind: TargetKind) => (ns: string) => listPath(kind === 'pod' ? 'pods' : RESOURCE[kind], ns);

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
      else if (valueFlag(w)) out.flags[w] = words[++i] ?? '';
      else out.flags[w] = 'true';
    } else if (out.command === null) out.command = w;
    else out.positionals.push(w);
  }
  return out;
}

/** The connection the typed flags describe (kubectl's flags), with a short timeout for completion. */
function connection(w: Words, env: Record<string, string | undefined>) {
  const f = (a: string, b?: string) => w.flags[a] ?? (b ? w.flags[b] : undefined);
  return {
    kubeconfig: f('--kubeconfig'), context: f('--context'), cluster: f('--cluster'), user: f('--user'),
    namespace: f('--namespace', '-n'), as: f('--as'), requestTimeoutMs: COMPLETION_DEADLINE_MS, maxResponseBytes: NAMES_MAX_BODY_BYTES, env,
  };
}

/**
 * Names of one list from the cluster, only those valid for their kind (`valid`): the shell's
 * completion script expands what it is given (kubectl's bash script runs `compgen -W`, which
 * evaluates `$(…)`), so a hostile server's name must never reach it. [] on any failure (silent).
 */
async function names(w: Words, env: Record<string, string | undefined>, path: (ns: string) => string | null, valid: (n: string) => boolean): Promise<string[]> {
  try {
    const { config, api } = connect(connection(w, env), { http: { retry: { attempts: 1 } } });
    let timer: NodeJS.Timeout | undefined;
    try {
      const p = path(config.namespace);
      if (!p) return [];
      const list = api.http.getJSON<{ items?: { metadata?: { name?: string } }[] }>(p, { limit: NAMES_LIMIT }, { verb: 'list', resource: 'completion' });
      list.catch(() => undefined); // after the budget it fails unheard (close() below ends it)
      // names have NAMES_BUDGET_MS (a hung credential plugin comes before any request timeout):
      // past it the fixed candidates are still offered before the whole answer's deadline, and
      // close() kills the plugin (sources/plugin-process.ts)
      const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), NAMES_BUDGET_MS)));
      const body = await Promise.race([list, late]);
      if (!body) return [];
      const items = Array.isArray(body.items) ? body.items.slice(0, NAMES_LIMIT) : [];
      return items.map((it) => it?.metadata?.name).filter((n): n is string => typeof n === 'string' && valid(n));
    } finally {
      clearTimeout(timer);
      api.http.close();
    }
  } catch {
    return [];
  }
}

/** Context, cluster or user names of the kubeconfig the words name (--kubeconfig, else KUBECONFIG, else ~/.kube/config). */
function kubeconfigNames(w: Words, env: Record<string, string | undefined>, kind: 'contexts' | 'clusters' | 'users'): string[] {
  try {
    return kubeconfigEntryNames({ kubeconfig: w.flags['--kubeconfig'], env }, kind).filter(isSafeWord);
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
  const prevFlag = valueFlag(prev);

  if (before.command === null && !toComplete.startsWith('-') && !prevFlag) {
    return { items: COMMANDS.filter(([c]) => c.startsWith(toComplete)).map(([c, d]) => `${c}\t${d}`), directive: NO_FILE };
  }
  // the value of a flag
  if (prevFlag) {
    const v = prevFlag.choices ?? prevFlag.values ?? 'none';
    const values = Array.isArray(v) || typeof v === 'string' ? v : v[before.command === 'watch' ? 'watch' : 'describe'];
    if (Array.isArray(values)) return { items: starts(values), directive: NO_FILE };
    if (values === 'files') return { items: [], directive: DEFAULT };
    if (values === 'namespaces') return { items: starts(await names(before, env, () => '/api/v1/namespaces', isDns1123Label)), directive: NO_FILE };
    if (values === 'contexts' || values === 'clusters' || values === 'users') return { items: starts(kubeconfigNames(before, env, values)), directive: NO_FILE };
    return { items: [], directive: NO_FILE };
  }
  if (toComplete.startsWith('-')) return { items: starts(before.command === 'describe' || before.command === 'watch' ? flagWords(before.command) : ['--help']), directive: NO_FILE };
  if (before.command === 'completion') return { items: before.positionals.length ? [] : starts(['bash', 'zsh', 'fish', 'powershell']), directive: NO_FILE };
  if (before.command !== 'describe' && before.command !== 'watch') return { items: [], directive: NO_FILE };
  // targets: TYPE/NAME, or pod names and the TYPE/ prefixes
  const slash = toComplete.indexOf('/');
  if (slash > 0) {
    const type = toComplete.slice(0, slash);
    const kind = kindOfType(type);
    if (!kind) return { items: [], directive: NO_FILE };
    const list = await names(before, env, kindPath(kind), isDns1123Subdomain);
    return { items: starts(list.map((n) => `${type}/${n}`)), directive: NO_FILE };
  }
  // `TYPE NAME` (kubectl's spaced form): after a type word, that kind's names
  const spaced = before.positionals.length > 0 && !before.positionals[0].includes('/') ? kindOfType(before.positionals[0]) : undefined;
  if (spaced) return { items: starts(await names(before, env, kindPath(spaced), isDns1123Subdomain)), directive: NO_FILE };
  const pods = await names(before, env, kindPath('pod'), isDns1123Subdomain);
  const types = SUPPORTED_KINDS.map((k) => `${k}/`);
  const items = [...starts(pods), ...starts(types)];
  // only TYPE/ prefixes left: no space after the slash, the name follows
  return { items, directive: NO_FILE | (items.length > 0 && items.every((i) => i.endsWith('/')) ? NO_SPACE : 0) };
}

/**
 * Writes cobra's __complete answer within COMPLETION_DEADLINE_MS; never fails. At the deadline an
 * exec credential plugin still running is killed (plugin-process.ts) and nothing is offered.
 */
export async function runComplete(words: string[], env: Record<string, string | undefined>, io: Io): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<{ items: string[]; directive: number }>((resolve) => {
    timer = setTimeout(() => {
      killPlugins();
      resolve({ items: [], directive: NO_FILE });
    }, COMPLETION_DEADLINE_MS);
  });
  let r: { items: string[]; directive: number };
  try {
    r = await Promise.race([complete(words.length ? words : [''], env), late]);
  } catch {
    r = { items: [], directive: NO_FILE };
  }
  clearTimeout(timer);
  // one candidate a line (cobra splits on \n), `value\tdescription`: neither part may hold a control
  // character; names were already checked against their kind's syntax
  const safe = r.items.filter((i) => !/[\u0000-\u001f\u007f-\u009f]/.test(i.replace('\t', ' ')));
  io.out(`${safe.map((i) => `${i}\n`).join('')}:${r.directive}\n`);
  return 0;
}
