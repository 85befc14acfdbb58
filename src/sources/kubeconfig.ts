// Loading kubeconfig exactly as kubectl (client-go's ClientConfigLoadingRules) does, because
// client-node diverges: its merge lets the LAST file's current-context win, throws on
// duplicate names and on a missing first file. We parse and merge the files ourselves; the chosen
// cluster and user become KubeCredentials (credentials.ts), which apply plain credentials and call
// client-node only for exec credential plugins, auth providers and proxies.
import fs from 'node:fs';
import path from 'node:path';
import { load } from 'js-yaml';
import type { Cluster } from '@kubernetes/client-node';
import { KubeCredentials, type UserAuth } from './credentials.js';
import type { ConnectionOptions } from '../options.js';
import { UserError } from './errors.js';
import { checkNamespace } from './names.js';

/** A configuration problem the user fixes by editing kubeconfig or flags. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
  override oneLine(): string {
    return this.message.startsWith('error: ') ? this.message : super.oneLine();
  }
}

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

/** What the rest of the sources layer needs to talk to the cluster. */
export interface ResolvedConfig {
  /** The chosen cluster and user: TLS material and auth headers (client-node's KubeConfig API). */
  kubeConfig: KubeCredentials;
  server: string;
  namespace: string;
  contextName: string | null;
  clusterName: string;
  userName: string;
  /** Where the config came from: the files actually read, or "in-cluster". */
  origin: string[] | 'in-cluster';
}

type Raw = Record<string, unknown>;

/** One parsed kubeconfig file, with relative paths already made absolute against its folder. */
interface ParsedFile {
  file: string;
  clusters: Map<string, Raw>;
  users: Map<string, Raw>;
  contexts: Map<string, Raw>;
  currentContext?: string;
}

function isObject(v: unknown): v is Raw {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function absolute(dir: string, p: unknown): unknown {
  return typeof p === 'string' && p !== '' && !path.isAbsolute(p) ? path.join(dir, p) : p;
}

// client-go resolves these fields relative to the file that defines them (ResolvePaths); an exec
// command is resolved only when it names a path (contains a separator), else it is looked up in PATH.
function resolvePaths(kind: 'cluster' | 'user', body: Raw, dir: string): Raw {
  const out: Raw = { ...body };
  if (kind === 'cluster') {
    out['certificate-authority'] = absolute(dir, out['certificate-authority']);
  } else {
    out['client-certificate'] = absolute(dir, out['client-certificate']);
    out['client-key'] = absolute(dir, out['client-key']);
    out.tokenFile = absolute(dir, out.tokenFile);
    out['token-file'] = absolute(dir, out['token-file']);
    if (isObject(out.exec) && typeof out.exec.command === 'string' && /[\\/]/.test(out.exec.command)) {
      out.exec = { ...out.exec, command: absolute(dir, out.exec.command) };
    }
  }
  return out;
}

/**
 * Named list → map. A name twice in one file is refused, as client-go's conversion does
 * (api/v1/conversion.go: "duplicate name … in list"); across files the first file wins (merge).
 */
function namedEntries(list: unknown, field: string, file: string): Map<string, Raw> {
  const out = new Map<string, Raw>();
  if (list == null) return out;
  if (!Array.isArray(list)) throw new ConfigError(`cannot parse kubeconfig ${file}: "${field}" must be a list`);
  for (const item of list) {
    if (!isObject(item) || typeof item.name !== 'string' || item.name === '') continue;
    if (out.has(item.name)) throw new ConfigError(`cannot load kubeconfig ${file}: duplicate name ${JSON.stringify(item.name)} in ${field} (kubectl refuses this file too)`);
    const body = item[field.slice(0, -1)]; // clusters[].cluster, users[].user, contexts[].context
    out.set(item.name, isObject(body) ? body : {});
  }
  return out;
}

export function parseKubeconfigText(text: string, file: string): ParsedFile {
  let doc: unknown;
  try {
    doc = text.trim() === '' ? {} : load(text);
  } catch (e) {
    const reason = (e as { reason?: string }).reason ?? (e as Error).message.split('\n')[0];
    const mark = (e as { mark?: { line?: number; column?: number } }).mark;
    const where = mark && typeof mark.line === 'number' ? ` (line ${mark.line + 1})` : '';
    throw new ConfigError(`cannot parse kubeconfig ${file}: ${reason}${where}`);
  }
  if (doc == null) doc = {};
  if (!isObject(doc)) throw new ConfigError(`cannot parse kubeconfig ${file}: not a YAML mapping`);
  const dir = path.dirname(path.resolve(file));
  const clusters = namedEntries(doc.clusters, 'clusters', file);
  const users = namedEntries(doc.users, 'users', file);
  for (const [k, v] of clusters) clusters.set(k, resolvePaths('cluster', v, dir));
  for (const [k, v] of users) users.set(k, resolvePaths('user', v, dir));
  const cc = doc['current-context'];
  return {
    file,
    clusters,
    users,
    contexts: namedEntries(doc.contexts, 'contexts', file),
    currentContext: typeof cc === 'string' && cc !== '' ? cc : undefined,
  };
}

function readFile(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new ConfigError(`cannot read kubeconfig ${file}: is a directory`);
    throw new ConfigError(`cannot read kubeconfig ${file}: ${(e as Error).message}`);
  }
}

/** kubectl's merge: the first file to set a value wins (names and current-context). */
export function mergeKubeconfigs(files: ParsedFile[]): Omit<ParsedFile, 'file'> {
  const merged: Omit<ParsedFile, 'file'> = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const f of files) {
    for (const key of ['clusters', 'users', 'contexts'] as const) {
      for (const [name, body] of f[key]) if (!merged[key].has(name)) merged[key].set(name, body);
    }
    merged.currentContext ??= f.currentContext;
  }
  return merged;
}

/** The files kubectl would read, in precedence order. */
export function kubeconfigFiles(opts: Pick<ConnectionOptions, 'kubeconfig' | 'env'>, platform = process.platform): { files: string[]; explicit: boolean } {
  if (opts.kubeconfig) return { files: [opts.kubeconfig], explicit: true };
  const env = opts.env;
  const list = env.KUBECONFIG;
  if (list) {
    const sep = platform === 'win32' ? ';' : ':';
    const files = [...new Set(list.split(sep).filter((f) => f !== ''))];
    return { files, explicit: false };
  }
  const home = env.HOME || env.USERPROFILE || (env.HOMEDRIVE && env.HOMEPATH ? path.join(env.HOMEDRIVE, env.HOMEPATH) : '');
  return { files: home ? [path.join(home, '.kube', 'config')] : [], explicit: false };
}

function clusterFrom(name: string, raw: Raw): Cluster {
  const server = typeof raw.server === 'string' ? raw.server.replace(/\/$/, '') : '';
  return {
    name,
    server,
    caData: raw['certificate-authority-data'] as string | undefined,
    caFile: raw['certificate-authority'] as string | undefined,
    skipTLSVerify: raw['insecure-skip-tls-verify'] === true,
    tlsServerName: raw['tls-server-name'] as string | undefined,
    proxyUrl: raw['proxy-url'] as string | undefined,
  };
}

function userFrom(name: string, raw: Raw): UserAuth {
  let token = typeof raw.token === 'string' && raw.token !== '' ? raw.token : undefined;
  // client-go's field is `tokenFile` (api/v1 AuthInfo); `token-file`, which this plugin read before,
  // is still taken when `tokenFile` is absent.
  const named = raw.tokenFile ?? raw['token-file'];
  const tokenFile = typeof named === 'string' && named !== '' ? named : undefined;
  // As client-go (client_config.go): with only a file, read it now so that a missing file is a
  // config error; with an inline token too, the file is read at first use and wins when readable.
  const fromFile = !token && tokenFile !== undefined;
  if (fromFile) {
    try {
      token = fs.readFileSync(tokenFile, 'utf8').trim();
    } catch (e) {
      throw new ConfigError(`cannot read tokenFile ${tokenFile} of user "${name}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }
  return {
    name,
    token,
    tokenFile,
    tokenFromFile: fromFile,
    certData: raw['client-certificate-data'] as string | undefined,
    certFile: raw['client-certificate'] as string | undefined,
    keyData: raw['client-key-data'] as string | undefined,
    keyFile: raw['client-key'] as string | undefined,
    exec: raw.exec ?? undefined,
    authProvider: raw['auth-provider'] ?? undefined,
    username: raw.username as string | undefined,
    password: raw.password as string | undefined,
    impersonateUser: raw.as as string | undefined,
  };
}

function list(names: Iterable<string>): string {
  const all = [...names];
  return all.length ? all.join(', ') : 'none';
}

/** The context, cluster or user names of the kubeconfig files kubectl would read (merged), for completion. */
export function kubeconfigEntryNames(opts: Pick<ConnectionOptions, 'kubeconfig' | 'env'>, kind: 'contexts' | 'clusters' | 'users'): string[] {
  const parsed: ParsedFile[] = [];
  for (const file of kubeconfigFiles(opts).files) {
    const text = readFile(file);
    if (text !== null) parsed.push(parseKubeconfigText(text, file));
  }
  return [...mergeKubeconfigs(parsed)[kind].keys()];
}

/** In-cluster config: the pod's service account, as rest.InClusterConfig does. */
function inCluster(opts: ConnectionOptions, saDir: string): ResolvedConfig | null {
  const host = opts.env.KUBERNETES_SERVICE_HOST;
  const port = opts.env.KUBERNETES_SERVICE_PORT;
  const tokenFile = path.join(saDir, 'token');
  if (!host || !port || !fs.existsSync(tokenFile)) return null;
  const h = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const cluster: Cluster = { name: 'in-cluster', server: `https://${h}:${port}`, caFile: path.join(saDir, 'ca.crt'), skipTLSVerify: false };
  // The projected token rotates: read when first used and re-read, as client-go does.
  const user: UserAuth = { name: 'in-cluster', tokenFile };
  let ns: string | undefined;
  try {
    ns = fs.readFileSync(path.join(saDir, 'namespace'), 'utf8').trim() || undefined;
  } catch {
    ns = undefined;
  }
  if (opts.namespace) checkNamespace(opts.namespace, '-n');
  return resolved(cluster, user, opts.namespace || ns, { contextName: null, clusterName: 'in-cluster', userName: 'in-cluster', origin: 'in-cluster' });
}

/** The chosen cluster and user with their credentials; the namespace defaults to "default". */
function resolved(cluster: Cluster, user: UserAuth, namespace: string | undefined, names: Pick<ResolvedConfig, 'contextName' | 'clusterName' | 'userName' | 'origin'>): ResolvedConfig {
  return { kubeConfig: new KubeCredentials(cluster, user), server: cluster.server, namespace: namespace || 'default', ...names };
}

/**
 * Resolve the connection as kubectl would: files (--kubeconfig, else KUBECONFIG merged, else
 * ~/.kube/config), else in-cluster; then --context/--cluster/--user and the namespace.
 */
export function loadKubeconfig(opts: ConnectionOptions, extra: { platform?: NodeJS.Platform; serviceAccountDir?: string } = {}): ResolvedConfig {
  const { files, explicit } = kubeconfigFiles(opts, extra.platform);
  const parsed: ParsedFile[] = [];
  for (const file of files) {
    const text = readFile(file);
    if (text === null) {
      if (explicit) throw new ConfigError(`kubeconfig ${file} not found (--kubeconfig)`);
      continue; // kubectl skips missing files of KUBECONFIG
    }
    parsed.push(parseKubeconfigText(text, file));
  }
  const merged = mergeKubeconfigs(parsed);
  const empty = merged.clusters.size === 0 && merged.contexts.size === 0 && merged.users.size === 0;

  if (empty && !explicit && !opts.context) {
    const ic = inCluster(opts, extra.serviceAccountDir ?? SERVICE_ACCOUNT_DIR);
    if (ic) return ic;
    // KUBECONFIG set but naming no file that exists: say so (the user set it, and mistyped it)
    if (opts.env.KUBECONFIG && parsed.length === 0) {
      const s = files.length > 1 ? 's' : '';
      throw new ConfigError(`KUBECONFIG names ${files.join(', ')}: no such file${s} (fix KUBECONFIG, or use --kubeconfig)`);
    }
    throw new ConfigError('no kubeconfig found: set KUBECONFIG, use --kubeconfig, or create ~/.kube/config');
  }

  const contextName = opts.context || merged.currentContext || null;
  let ctx: Raw | undefined;
  if (contextName) {
    ctx = merged.contexts.get(contextName);
    if (!ctx) throw new ConfigError(`context "${contextName}" not found in kubeconfig (available: ${list(merged.contexts.keys())})`);
  } else if (!opts.cluster) {
    throw new ConfigError('current-context is not set: use --context or kubectl config use-context');
  }

  const clusterName = opts.cluster || (ctx?.cluster as string | undefined);
  if (!clusterName) throw new ConfigError(`context "${contextName}" names no cluster: use --cluster or fix the context`);
  const rawCluster = merged.clusters.get(clusterName);
  if (!rawCluster) throw new ConfigError(`cluster "${clusterName}" not found in kubeconfig (available: ${list(merged.clusters.keys())})`);
  const cluster = clusterFrom(clusterName, rawCluster);
  if (!cluster.server) throw new ConfigError(`cluster "${clusterName}" has no server in kubeconfig`);
  // client-go (transport.TLSConfigFor) refuses the pair, and kubectl with it, in these words
  if (cluster.skipTLSVerify && (cluster.caData || cluster.caFile)) throw new ConfigError('specifying a root certificates file with the insecure flag is not allowed');

  // A context without a user (or a user name with no entry) means anonymous, as in client-go.
  const userName = opts.user || (ctx?.user as string | undefined) || '';
  const rawUser = userName ? merged.users.get(userName) : {};
  if (opts.user && !rawUser) throw new ConfigError(`user "${userName}" not found in kubeconfig (available: ${list(merged.users.keys())})`);
  const user = userFrom(userName || 'anonymous', rawUser ?? {});

  const ctxNs = typeof ctx?.namespace === 'string' ? ctx.namespace : '';
  if (opts.namespace) checkNamespace(opts.namespace, '-n');
  else if (ctxNs) checkNamespace(ctxNs, `namespace of context "${contextName}"`);
  return resolved(cluster, user, opts.namespace || ctxNs, { contextName, clusterName, userName: userName || 'anonymous', origin: parsed.map((p) => p.file) });
}
