// The engine the CLI calls: options in, evidence out (Gathered). Few requests by design: one GET
// per named pod or one paginated list per selection; events in one list per API per namespace
// (or per cluster with -A, or by uid for a single pod), matched to pods in one pass; logs only for
// a handful of pods, head and tail of each instance, with bounded concurrency. A source the user
// may not read (403) degrades to "forbidden" while the rest still works.
import type { DescribeOptions } from '../options.js';
import type { Pod, ServerVersion } from '../model/k8s.js';
import type { ContainerLogs, PodEvidence, SourceState } from '../model/types.js';
import { type AnyEvent, type Gathered, eventSubject, logTargets, matchEvents } from './evidence.js';
import type { FileReadOptions } from './files.js';
import { loadKubeconfig, type ResolvedConfig } from './kubeconfig.js';
import { HttpClient, type HttpClientOptions } from './http.js';
import { ApiError } from './errors.js';
import { DEGRADING, type EventsResult, KubeApi } from './api.js';
import { resolveTargets } from './targets.js';
import { type ListScope, offlineMatcher, offlineWorkloads, type Selection, selectionScope, selectsOffline, type Target } from './selection.js';

export type { Gathered } from './evidence.js';

/** Logs are read for at most this many pods in --logs=auto. */
export const AUTO_LOG_PODS = 5;
/** Parallel log requests (each instance is two: head and tail). */
export const LOG_CONCURRENCY = 4;
/** The API server's default --event-ttl: a pod older than this with no events has lost them. */
export const EVENT_TTL_MS = 60 * 60 * 1000;
/**
 * With -A, events are listed once for the whole cluster and held until their pods' page comes: up
 * to this many (~450 bytes each once compacted). Beyond it, each namespace's events are listed when
 * the pods reach it and let go after (one request more per namespace): 2,040,000 events held took
 * 1 GB (docs/performance.md, 100,000 pods).
 */
export const EVENTS_HELD_MAX = 250_000;

export interface GatherDeps extends FileReadOptions {
  /** Test hooks: retry timings, service-account folder for in-cluster. */
  http?: Partial<HttpClientOptions>;
  serviceAccountDir?: string;
  platform?: NodeJS.Platform;
  /** Ctrl-C/SIGTERM: close the connections at once (in-flight requests end, nothing is retried). */
  signal?: AbortSignal;
  /** One stderr line (credentials withheld from a plain-http server). */
  warn?: (line: string) => void;
  /** Test hook: EVENTS_HELD_MAX. */
  eventsHeldMax?: number;
}

/** Run fn over items with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Connect as kubectl would: resolved kubeconfig, then the GET client and typed reads. */
export function connect(opts: DescribeOptions['connection'], deps: GatherDeps = {}): { config: ResolvedConfig; api: KubeApi } {
  const config = loadKubeconfig(opts, { platform: deps.platform, serviceAccountDir: deps.serviceAccountDir });
  const withheld = config.kubeConfig.withheld;
  if (withheld.length) {
    const origin = new URL(config.server).origin;
    deps.warn?.(`warning: not sending the credentials of user "${config.userName}" (${withheld.join(', ')}) to ${origin}: plain http is not encrypted (as kubectl, credentials go over https only)`);
  }
  const http = new HttpClient(config, {
    requestTimeoutMs: opts.requestTimeoutMs,
    maxBodyBytes: opts.maxResponseBytes,
    as: opts.as,
    asGroups: opts.asGroups,
    ...(opts.verbosity ? { log: { verbosity: opts.verbosity, line: deps.warn ?? (() => undefined) } } : {}),
    ...(deps.warn ? { warn: deps.warn } : {}),
    ...deps.http,
  });
  return { config, api: new KubeApi(http) };
}

type OnPods = (pods: PodEvidence[], version: ServerVersion | null) => void;

/** Everything at once: -f files, or what the cluster engine (gatherPages) hands over, collected. */
export async function gather(opts: DescribeOptions, deps: GatherDeps = {}): Promise<Gathered> {
  if (opts.targets.files?.length) return gatherFiles(opts, deps);
  const pods: PodEvidence[] = [];
  const rest = await gatherPages(opts, (page) => {
    for (const p of page) pods.push(p); // not push(...page): a page can be the whole list (--chunk-size 0)
  }, deps);
  return { pods, ...rest };
}

/**
 * A whole selection (no names, no files), delivered page by page of pods: see gatherSelection.
 * null: named targets or files, whose list the CLI builds whole (use gather()).
 */
export async function gatherPaged(opts: DescribeOptions, onPods: OnPods, deps: GatherDeps = {}): Promise<Omit<Gathered, 'pods'> | null> {
  if (opts.targets.files?.length || opts.targets.names.length) return null;
  return gatherPages(opts, onPods, deps);
}

async function gatherFiles(opts: DescribeOptions, deps: GatherDeps): Promise<Gathered> {
  const now = opts.now ? Date.parse(opts.now) : Date.now();
  // imported for -f only (zlib, tar, log sampling: ~6 ms of every start against a cluster)
  const { loadFiles } = await import('./files.js');
  const g = await loadFiles(opts.targets.files ?? [], { ...deps, maxBytes: opts.connection.maxResponseBytes });
  const t = opts.targets;
  const selected = offlineMatcher({ names: t.names, namespace: opts.connection.namespace, allNamespaces: t.allNamespaces, selector: t.selector, fieldSelector: t.fieldSelector });
  g.pods = g.pods.filter((p) => selected(p.pod));
  if (opts.targets.names.length) {
    g.pods = g.pods.filter((p) => opts.targets.names.some((n) => selectsOffline(n, p.pod)));
    g.workloads = offlineWorkloads(opts.targets.names, g);
  }
  delete g.workloadObjects;
  markExpired(g.pods, now);
  if (opts.gather.logs === 'off') {
    for (const p of g.pods) {
      p.logs = {}; // --no-logs: the model uses none, as against a cluster
      p.sources.logs = 'skipped';
    }
  }
  return g;
}

/** The one engine against a cluster: the selection's pods with their evidence, handed to `onPods`. */
async function gatherPages(opts: DescribeOptions, onPods: OnPods, deps: GatherDeps): Promise<Omit<Gathered, 'pods'>> {
  const now = opts.now ? Date.parse(opts.now) : Date.now();
  const { config, api } = connect(opts.connection, deps);
  const abort = () => api.http.close();
  deps.signal?.addEventListener('abort', abort, { once: true });
  try {
    const t = opts.targets;
    const selection = { names: t.names, namespace: config.namespace, allNamespaces: t.allNamespaces, selector: t.selector, fieldSelector: t.fieldSelector, chunkSize: opts.gather.chunkSize };
    const { targets, scope } = selectionScope(selection);
    return targets.length ? await gatherNamed(api, targets, selection, opts, now, onPods) : await gatherSelection(api, scope, opts, now, onPods, deps.eventsHeldMax ?? EVENTS_HELD_MAX);
  } finally {
    deps.signal?.removeEventListener('abort', abort);
    api.http.close();
  }
}

/**
 * A whole selection, page by page of pods: the pods' events are listed first and kept by pod uid,
 * then each page of pods goes to `onPods` with its evidence and is let go. Memory holds the events
 * and one page of pods, never every pod (describe -A -o json at 10,000 pods). A cluster with more
 * than `heldMax` events has them listed namespace by namespace as the pods reach it instead (a
 * list across namespaces comes in namespace order, as etcd keys are). --logs=auto: logs only when
 * the whole list has at most AUTO_LOG_PODS pods; --logs: each page's logs before it goes.
 */
async function gatherSelection(api: KubeApi, scope: ListScope, opts: DescribeOptions, now: number, onPods: OnPods, heldMax: number): Promise<Omit<Gathered, 'pods'>> {
  const versionP: Promise<ServerVersion | null> = api.getVersion().catch(() => null);
  const ns = scope.namespace;
  const chunkSize = scope.chunkSize;
  const notices: string[] = [];
  const note = (n: string | undefined) => {
    if (n && !notices.includes(n)) notices.push(n);
  };
  /** One namespace's (or, undefined, the selection's) events by pod uid, and whether they could be read. */
  const readEvents = async (namespace: string | undefined) => {
    const ev = await api.listEvents(namespace, { core: 'involvedObject.kind=Pod', v1: 'regarding.kind=Pod', chunkSize, keep: internStrings(new Map()), slim: slimEvent });
    if (ev.state === 'forbidden') note(forbiddenNotice('events', 'list', 'events'));
    else if (ev.state !== 'ok') note(`events unavailable: ${failureText(ev.failures[0]?.error)}`);
    const byUid = new Map<string, AnyEvent[]>();
    for (const e of ev.items) {
      const uid = eventSubject(e).uid;
      if (!uid) continue;
      const l = byUid.get(uid);
      if (l) l.push(e);
      else byUid.set(uid, [e]);
    }
    ev.items.length = 0;
    return { byUid, state: ev.state };
  };
  // a cluster too big to hold its events: counted first (one item and the server's count)
  const count = ns === undefined ? await api.countEvents().catch(() => null) : null;
  const perNamespace = count !== null && count > heldMax;
  const whole = perNamespace ? null : await readEvents(ns);
  const byNamespace = new Map<string, Awaited<ReturnType<typeof readEvents>>>();
  const eventsOf = async (pods: Pod[]) => {
    if (whole) return () => whole;
    const here = new Set(pods.map((p) => p.metadata?.namespace ?? ''));
    // the namespaces before this page are done: their events (of pods no longer listed, too) go
    for (const n of byNamespace.keys()) if (!here.has(n)) byNamespace.delete(n);
    for (const n of here) if (!byNamespace.has(n)) byNamespace.set(n, await readEvents(n));
    return (pod: Pod) => byNamespace.get(pod.metadata?.namespace ?? '')!;
  };
  const version = await versionP; // read beside the events: the model's advice needs it

  const delivered = new Set<string>(); // a 410 restart hands the first pages over again
  let held: Pod[] | null = opts.gather.logs === 'auto' ? [] : null; // until the list is known to be big
  const hand = async (pods: Pod[], withLogs: boolean) => {
    const logs = withLogs ? await readLogs(api, pods) : null;
    note(logs?.notice);
    const events = await eventsOf(pods);
    const evidence: PodEvidence[] = pods.map((pod, i) => {
      const uid = pod.metadata?.uid ?? '';
      const { byUid, state } = events(pod);
      const own = byUid.get(uid) ?? [];
      byUid.delete(uid);
      return { pod, events: own, logs: logs?.perPod[i] ?? {}, sources: { events: state, logs: logs ? logs.states[i] : 'skipped' } };
    });
    markExpired(evidence, now);
    onPods(evidence, version);
  };
  await api.listPods({
    ...scope,
    keep: (p) => {
      const uid = (p as Pod).metadata?.uid;
      if (!uid) return true;
      if (delivered.has(uid)) return false;
      delivered.add(uid);
      return true;
    },
    onPage: async (page) => {
      if (held) {
        for (const p of page as Pod[]) held.push(p); // not push(...page): a page can be the whole list (--chunk-size 0)
        if (held.length <= AUTO_LOG_PODS) return;
        page = held;
        held = null;
      }
      await hand(page as Pod[], opts.gather.logs === 'on');
    },
  });
  if (held && held.length) await hand(held, true);
  return { version, notices };
}

const pick = <T extends object>(o: unknown, keys: readonly string[]): T | undefined => {
  if (!o || typeof o !== 'object') return undefined;
  const out: Record<string, unknown> = {};
  for (const k of keys) if ((o as Record<string, unknown>)[k] !== undefined) out[k] = (o as Record<string, unknown>)[k];
  return out as T;
};
const REF_KEYS = ['kind', 'namespace', 'name', 'uid', 'fieldPath'] as const;
const EVENT_KEYS = ['apiVersion', 'reason', 'message', 'note', 'type', 'count', 'deprecatedCount', 'firstTimestamp', 'lastTimestamp', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp', 'eventTime', 'series', 'reportingComponent', 'reportingController'] as const;

/**
 * A held event as the model reads it (model/events.ts normalizeEvent, evidence.ts eventSubject):
 * a fresh, smaller object without what is unique per event and never read (the name beside the
 * uid, resourceVersion, creationTimestamp, reportingInstance, action, the subject's apiVersion and
 * resourceVersion). 200,000 held events are most of describe -A's memory (issue 13 #7).
 */
function slimEvent(e: unknown): unknown {
  if (!e || typeof e !== 'object') return e;
  const o = e as Record<string, any>;
  const out = pick<Record<string, unknown>>(o, EVENT_KEYS)!;
  const m = o.metadata;
  if (m && typeof m === 'object') out.metadata = typeof m.uid === 'string' && m.uid ? { uid: m.uid, namespace: m.namespace } : { name: m.name, namespace: m.namespace };
  if (o.involvedObject) out.involvedObject = pick(o.involvedObject, REF_KEYS);
  if (o.regarding) out.regarding = pick(o.regarding, REF_KEYS);
  if (o.source?.component !== undefined) out.source = { component: o.source.component };
  if (o.deprecatedSource?.component !== undefined) out.deprecatedSource = { component: o.deprecatedSource.component };
  return out;
}

/**
 * Events repeat most of their strings (namespace, pod name and uid, reason, component, field path,
 * times, messages): keep one copy of each, as pages arrive, so 100,000 held events take a third
 * less memory. The object's own name and uid are unique: left alone.
 */
function internStrings(pool: Map<string, string>): (e: unknown) => boolean {
  const one = (v: string): string => {
    const had = pool.get(v);
    if (had !== undefined) return had;
    pool.set(v, v);
    return v;
  };
  const walk = (o: Record<string, unknown>, top: boolean): void => {
    for (const k in o) {
      const v = o[k];
      if (typeof v === 'string') o[k] = one(v);
      else if (v && typeof v === 'object' && !Array.isArray(v) && !(top && k === 'metadata')) walk(v as Record<string, unknown>, false);
    }
  };
  return (e) => {
    if (!e || typeof e !== 'object') return true;
    walk(e as Record<string, unknown>, true);
    const m = (e as { metadata?: Record<string, unknown> }).metadata;
    if (m) for (const k of ['namespace', 'creationTimestamp'] as const) if (typeof m[k] === 'string') m[k] = one(m[k] as string);
    return true;
  };
}

/**
 * Named targets (few pods): resolved by targets.ts, their events (by uid for one pod, else one list
 * per namespace) and logs (--logs, or --logs=auto up to AUTO_LOG_PODS pods) read in parallel, and
 * handed over as one page.
 */
async function gatherNamed(api: KubeApi, targets: Target[], selection: Selection, opts: DescribeOptions, now: number, onPods: OnPods): Promise<Omit<Gathered, 'pods'>> {
  const notices: string[] = [];
  // The version is needed only for advice: read it beside the pods, never fail on it.
  const versionP: Promise<ServerVersion | null> = api.getVersion().catch(() => null);
  const resolved = await resolveTargets(api, targets, selection);
  for (const n of resolved.notices) notices.push(n);
  const pods = resolved.pods;
  const workloads = resolved.workloads.length ? resolved.workloads : undefined;
  if (pods.length === 0) return { version: await versionP, notices, workloads };

  const withLogs = opts.gather.logs === 'on' || (opts.gather.logs === 'auto' && pods.length <= AUTO_LOG_PODS);
  const [events, logs] = await Promise.all([
    readEvents(api, pods, resolved.scope, opts.gather.chunkSize),
    withLogs ? readLogs(api, pods) : Promise.resolve(null),
  ]);
  if (events.notice) notices.push(events.notice);
  if (logs?.notice) notices.push(logs.notice);

  const evidence: PodEvidence[] = pods.map((pod, i) => ({
    pod,
    events: events.perPod[i],
    logs: logs?.perPod[i] ?? {},
    sources: { events: events.state, logs: logs ? logs.states[i] : 'skipped' },
  }));
  markExpired(evidence, now);
  const version = await versionP;
  onPods(evidence, version);
  return { version, notices, workloads };
}

/** Why a source could not be read, in a notice's words (a timeout names the flag that set it). */
function failureText(e: ApiError | undefined): string {
  if (!e) return 'unknown error';
  if (e.code === 0 && e.reason === 'Timeout') return `the request timed out after ${(e.extra.timeoutMs ?? 0) / 1000}s (raise --request-timeout)`;
  if (e.code !== 0) return `the API server answered ${e.code} ${e.reason}${e.extra.attempts && e.extra.attempts > 1 ? ` after ${e.extra.attempts} attempts` : ''}: ${e.message}`;
  return e.message;
}

function forbiddenNotice(what: string, verb: string, resource: string): string {
  return `${what} unavailable: forbidden (needs "${verb}" on "${resource}")`;
}

async function readEvents(api: KubeApi, pods: Pod[], scope: string | null, chunkSize: number): Promise<{ perPod: AnyEvent[][]; state: SourceState; notice?: string }> {
  let results: EventsResult[];
  if (pods.length === 1 && pods[0].metadata?.uid) {
    const uid = pods[0].metadata.uid;
    results = [await api.listEvents(pods[0].metadata.namespace, { core: `involvedObject.uid=${uid}`, v1: `regarding.uid=${uid}`, chunkSize })];
  } else {
    // One list per namespace the pods live in; with -A over several namespaces, one for all.
    const namespaces = [...new Set(pods.map((p) => p.metadata?.namespace ?? ''))];
    const scopes = scope === null && namespaces.length > 1 ? [undefined] : namespaces;
    // Only the events of these pods are kept, page by page; events.k8s.io/v1 only if core/v1 fails.
    const uids = new Set(pods.map((p) => p.metadata?.uid));
    const keep = uids.has(undefined) ? undefined : (e: unknown) => uids.has(eventSubject(e as AnyEvent).uid);
    const sel = { core: 'involvedObject.kind=Pod', v1: 'regarding.kind=Pod', chunkSize, keep };
    results = await Promise.all(scopes.map((ns) => api.listEvents(ns || undefined, sel)));
  }
  const items = results.flatMap((r) => r.items);
  const failed = results.filter((r) => r.state !== 'ok');
  let state: SourceState = 'ok';
  let notice: string | undefined;
  if (failed.length === results.length) {
    state = failed.every((r) => r.state === 'forbidden') ? 'forbidden' : 'unavailable';
    notice = state === 'forbidden' ? forbiddenNotice('events', 'list', 'events') : `events unavailable: ${failureText(failed[0].failures[0]?.error)}`;
  }
  return { perPod: matchEvents(pods, items), state, notice };
}

async function readLogs(api: KubeApi, pods: Pod[]): Promise<{ perPod: Record<string, ContainerLogs>[]; states: SourceState[]; notice?: string }> {
  const jobs = pods.flatMap((pod, i) => logTargets(pod).map((t) => ({ i, pod, ...t })));
  const perPod: Record<string, ContainerLogs>[] = pods.map(() => ({}));
  const states: SourceState[] = pods.map(() => 'ok');
  let notice: string | undefined;
  await mapLimit(jobs, LOG_CONCURRENCY, async (j) => {
    if (states[j.i] === 'forbidden') return;
    const m = j.pod.metadata ?? {};
    try {
      const sample = await api.readLog(m.namespace ?? '', m.name ?? '', j.container, { previous: j.previous });
      const rec = (perPod[j.i][j.container] ??= {});
      rec[j.previous ? 'previous' : 'current'] = sample;
    } catch (e) {
      if (e instanceof ApiError && (e.code === 403 || e.code === 401)) {
        states[j.i] = 'forbidden';
        notice = forbiddenNotice('logs', 'get', 'pods/log');
        return;
      }
      if (e instanceof ApiError && e.code === 0 && DEGRADING.has(e.reason)) {
        states[j.i] = 'unavailable';
        notice ??= `logs unavailable for some containers: ${failureText(e)}`;
        return;
      }
      throw e;
    }
  });
  return { perPod, states, notice };
}

/** No event at all for a pod older than the event TTL: its events expired (not "none happened"). */
function markExpired(pods: PodEvidence[], now: number): void {
  if (!Number.isFinite(now)) return;
  for (const p of pods) {
    const created = Date.parse(p.pod.metadata?.creationTimestamp ?? '');
    if (p.sources.events === 'ok' && p.events.length === 0 && Number.isFinite(created) && now - created > EVENT_TTL_MS) {
      p.sources.events = 'expired';
    }
  }
}
