// Typed reads over the raw GET client: version, pods (paginated), events of both APIs, logs,
// and the workload objects the targets resolve through. Knows the API, not what a sidecar is.
import type { CoreEvent, EventsV1Event, ObjectMeta, Pod, ServerVersion } from '../model/k8s.js';
import type { LogSample, SourceState } from '../model/types.js';
import type { HttpClient, Query } from './http.js';
import { ApiError, type RequestInfo } from './errors.js';
import { LOG_HEAD_BYTES, LOG_TAIL_BYTES, parseCutLog, parseLogLines, statusFromBody } from './evidence.js';

export interface ListResult<T> {
  items: T[];
  resourceVersion?: string;
  /** Pages read (requests sent), restarts included. */
  pages: number;
}

interface ListBody<T> {
  items?: T[] | null;
  metadata?: { continue?: string; resourceVersion?: string };
}

export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: { key: string; operator: string; values?: string[] | null }[] | null;
}

/** A workload object as far as target resolution needs it. */
export interface Workload {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: { selector?: LabelSelector | null; [k: string]: unknown };
  status?: { conditions?: { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[] | null; observedGeneration?: number; [k: string]: unknown } | null;
}

export type WorkloadKind = 'jobs' | 'cronjobs' | 'deployments' | 'replicasets' | 'statefulsets' | 'daemonsets';

const GROUP: Record<WorkloadKind, string> = {
  jobs: '/apis/batch/v1', cronjobs: '/apis/batch/v1',
  deployments: '/apis/apps/v1', replicasets: '/apis/apps/v1', statefulsets: '/apis/apps/v1', daemonsets: '/apis/apps/v1',
};

export interface ListOptions {
  /** Namespace, or undefined for all namespaces. */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** Page size (limit); 0 = one unpaginated request. */
  chunkSize?: number;
  /**
   * Called on each item as its page arrives: may trim the object in place; false drops it. Keeps
   * memory bounded by what is kept, not by what was sent (10,000 pods, 100,000 events).
   */
  keep?: (item: unknown) => boolean;
  /** A smaller copy to hold instead of each kept item (a fresh object: deleting keys costs V8 more). */
  slim?: (item: unknown) => unknown;
  /**
   * Hand each page over instead of collecting the items (the result's items stay empty). After a
   * 410 on a continue token the list restarts: pages already handed over come again.
   */
  onPage?: (items: unknown[]) => void | Promise<void>;
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/**
 * A list's pages, at most: what MAX_LIST_ITEMS objects take at this page size (500 by default:
 * 2,000 pages), and never fewer than MIN_LIST_PAGES. A server whose continue tokens never end
 * (or come back) looped describe forever and grew the watch to 796 MB in 29 s.
 */
export function listPageBound(limit: number | undefined): number {
  return Math.max(MIN_LIST_PAGES, Math.ceil(MAX_LIST_ITEMS / (limit ?? MAX_LIST_ITEMS)));
}
/** Far above a real cluster's objects of one kind (Kubernetes' tested limit is 150,000 pods). */
export const MAX_LIST_ITEMS = 1_000_000;
const MIN_LIST_PAGES = 100;

function endlessList(info: RequestInfo, server: URL, pages: number, repeated: boolean): ApiError {
  const why = repeated ? `sent a continue token it had sent before (after ${pages} pages)` : `had more pages after ${pages} (${MAX_LIST_ITEMS.toLocaleString('en-US')} objects at this --chunk-size)`;
  // TooLarge: the list is past what is read of one (fatal, retry.ts), said as "list pods: …"
  return new ApiError(0, 'TooLarge', `the server ${why}: stopped paging`, info.verb, info.resource, info.namespace, { server: server.origin });
}

/**
 * Drops what no reader of a pod or event needs and what weighs most: metadata.managedFields (a
 * fifth of a pod, half of an event) and kubectl's last-applied annotation (a copy of the spec).
 */
export function trimObject(o: unknown): true {
  untrimmed(o);
  return true;
}

/** trimObject's work; says whether there was any (a watch line trimLine left whole). */
export function untrimmed(o: unknown): boolean {
  const m = (o as { metadata?: { managedFields?: unknown; annotations?: Record<string, string> | null } } | null)?.metadata;
  let cut = false;
  if (m && typeof m === 'object') {
    if (m.managedFields !== undefined) cut = delete m.managedFields;
    if (m.annotations && typeof m.annotations === 'object' && LAST_APPLIED in m.annotations) cut = delete m.annotations[LAST_APPLIED];
  }
  return cut;
}

const MANAGED_KEY = '"managedFields":[';
const ANNOTATIONS_KEY = '"annotations":{';
const LAST_APPLIED_KEY = `"${LAST_APPLIED}":"`;

/**
 * trimObject on the JSON text of one watch event, before it is parsed: the watch parses each pod
 * thousands of times a second at full speed and keeps its latest text (model/watch/store.ts), and
 * managedFields, many small objects, was a third of the parse. JSON escapes every quote inside a
 * string, so an unescaped `"managedFields":[` is a key, and no Pod or Event field but the
 * metadata's has that name. The API server writes ObjectMeta in its Go field order: labels,
 * annotations, ownerReferences, finalizers, managedFields. Between `"annotations":{` and
 * managedFields the annotation's key can only be an annotation (a label's value is a string, and
 * owner references and finalizers have no such key). Text in any other shape is returned as is:
 * the parse after it and trimObject still do the work (sources/watch.ts checks with untrimmed()).
 */
export function trimLine(line: string): string {
  const mf = line.indexOf(MANAGED_KEY);
  if (mf < 0) return line;
  const mfEnd = valueEnd(line, mf + MANAGED_KEY.length - 1);
  if (mfEnd < 0) return line;
  const [m0, m1] = member(line, mf, mfEnd);
  // both cuts are found on the text as received (a cut string scanned again is copied first)
  const an = line.indexOf(ANNOTATIONS_KEY);
  const la = an >= 0 && an < mf ? line.indexOf(LAST_APPLIED_KEY, an) : -1;
  const laEnd = la >= 0 && la < mf ? stringEnd(line, la + LAST_APPLIED_KEY.length - 1) : -1;
  if (laEnd < 0) return line.slice(0, m0) + line.slice(m1);
  const [a0, a1] = member(line, la, laEnd);
  return line.slice(0, a0) + line.slice(a1, m0) + line.slice(m1);
}

/** The index just after the JSON value that starts at `at` (a string, array or object), or -1. */
function valueEnd(s: string, at: number): number {
  let depth = 0;
  for (let i = at; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(s, i);
      if (end < 0 || depth === 0) return end;
      i = end - 1;
    } else if (c === 0x5b || c === 0x7b) depth++;
    else if (c === 0x5d || c === 0x7d) {
      if (--depth === 0) return i + 1;
      if (depth < 0) return -1;
    }
  }
  return -1;
}

/** The index just after the string whose opening quote is at `open` (indexOf hops: ~2x a loop over each character), or -1. */
function stringEnd(s: string, open: number): number {
  let q = open;
  for (;;) {
    q = s.indexOf('"', q + 1);
    if (q < 0) return -1;
    let b = q - 1;
    while (s.charCodeAt(b) === 0x5c) b--;
    if ((q - 1 - b) % 2 === 0) return q + 1; // an even run of backslashes escapes nothing
  }
}

/** The span of the member `"key":value` at [start, end) with one comma beside it. */
function member(s: string, start: number, end: number): [number, number] {
  if (s.charCodeAt(start - 1) === 0x2c) return [start - 1, end];
  if (s.charCodeAt(end) === 0x2c) return [start, end + 1];
  return [start, end];
}

/**
 * Where the pods watch cuts a pod's text (trimPodLine): at each level, the keys cut and the keys
 * walked into (an object, or an array of objects, takes the node given).
 */
interface CutNode {
  /** By key length (keys are matched on the text: no string is made per key): the key, and the node to walk it with or null to cut it. */
  byLength: ([string, CutNode | null][] | undefined)[];
}

function node(cut: string[], into: [string, CutNode][] = []): CutNode {
  const byLength: CutNode['byLength'] = [];
  for (const [k, n] of [...cut.map((k) => [k, null] as [string, null]), ...into]) (byLength[k.length] ??= []).push([k, n]);
  return { byLength };
}

/**
 * The pod keys the watch cuts from its text before the parse: no reader of a pod the watch derives
 * from names them (src/model, src/render, src/cli/watch.ts, src/sources/{watch,selection}.ts; the
 * types of model/k8s.ts declare a few, nothing reads them), so the lines it prints cannot change.
 * test/sources/cut-pod-line.test.ts greps those files for every key listed here and fails when one
 * is read. Kept on purpose, though big: image (legacy.ts, containers.ts, blockers.ts), command and
 * args (not read today, but what a SIGTERM hint would read), imageID (containers.ts, describe -o
 * wide), podIP and qosClass (status.ts), resources and allocatedResources (resources.ts), probes and
 * lifecycle (facts.ts, advice.ts), every field of metadata (selection, owners, legacy annotations).
 * containerID is read by sources/evidence.ts only, which picks logs for describe, never the watch.
 */
export const POD_CUTS = {
  spec: ['volumes', 'tolerations', 'affinity', 'nodeSelector', 'topologySpreadConstraints', 'securityContext', 'dnsPolicy', 'dnsConfig',
    'schedulerName', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'enableServiceLinks', 'preemptionPolicy',
    'priority', 'priorityClassName', 'imagePullSecrets', 'hostname', 'subdomain', 'runtimeClassName', 'hostAliases'],
  container: ['volumeMounts', 'volumeDevices', 'env', 'envFrom', 'terminationMessagePath', 'terminationMessagePolicy', 'imagePullPolicy',
    'securityContext', 'ports', 'workingDir', 'resizePolicy', 'stdin', 'stdinOnce', 'tty'],
  status: ['hostIP', 'hostIPs', 'podIPs'],
  containerStatus: ['volumeMounts', 'containerID', 'user', 'allocatedResourcesStatus'],
  /** state.terminated and lastState.terminated of a container status. */
  terminated: ['containerID'],
} as const;

/** What trimLine cuts, cut on the same walk: the text is scanned once, never copied in between. */
const METADATA = node(['managedFields'], [['annotations', node([LAST_APPLIED])]]);
const CONTAINER = node([...POD_CUTS.container]);
const STATE = node([], [['terminated', node([...POD_CUTS.terminated])]]);
const CONTAINER_STATUS = node([...POD_CUTS.containerStatus], [['state', STATE], ['lastState', STATE]]);
const POD = node([], [
  ['metadata', METADATA],
  ['spec', node([...POD_CUTS.spec], [['containers', CONTAINER], ['initContainers', CONTAINER], ['ephemeralContainers', CONTAINER]])],
  ['status', node([...POD_CUTS.status], [['containerStatuses', CONTAINER_STATUS], ['initContainerStatuses', CONTAINER_STATUS], ['ephemeralContainerStatuses', CONTAINER_STATUS]])],
]);
/** A watch event: its `object` is the pod. */
const EVENT = node([], [['object', POD]]);

/**
 * trimLine's cuts and POD_CUTS, from the text of one pods watch event: the watch keeps the text of
 * each live pod (model/watch/store.ts latestPod) and parses it on every update; what no reader
 * needs was half of it (volumes, volumeMounts, env, tolerations, containerID…): 5.7 → 3.1 KB kept
 * per live pod of the bench, and a parse ~40% shorter, which pays for the walk (model harness, same
 * CPU per update). One walk from the top along the object's structure: keys are matched only where
 * the API puts them (never inside a string, a label or an annotation), on the compact JSON the API
 * server writes. Text in any other shape (spaces, a broken line) gets trimLine alone, and the watch
 * parses the rest: never cut wrong. What a cut removes is not checked beyond its brackets (as trimLine).
 */
export function trimPodLine(line: string): string {
  if (line.charCodeAt(0) !== 0x7b) return trimLine(line);
  const cuts: number[] = [];
  if (walkObject(line, 0, EVENT, cuts) !== line.length) return trimLine(line);
  if (cuts.length === 0) return line;
  let out = line.slice(0, cuts[0]);
  for (let i = 1; i < cuts.length; i += 2) out += line.slice(cuts[i], i + 1 < cuts.length ? cuts[i + 1] : line.length);
  return out;
}

/**
 * Walks the object at `at` (its `{`), adding the spans to cut to `cuts` (in text order, each a
 * member with one comma beside it). Returns the index after its `}`, or -1 on a shape it does not
 * know (the caller then cuts nothing).
 */
function walkObject(s: string, at: number, n: CutNode, cuts: number[]): number {
  let p = at + 1;
  if (s.charCodeAt(p) === 0x7d) return p + 1;
  let prevEnd = -1; // the end of the last member kept (-1: none yet)
  for (;;) {
    if (s.charCodeAt(p) !== 0x22) return -1;
    const kEnd = stringEnd(s, p);
    if (kEnd < 0 || s.charCodeAt(kEnd) !== 0x3a) return -1;
    // a key spelled with escapes is not matched: it is kept, never cut wrong
    let child: CutNode | null | undefined;
    const same = n.byLength[kEnd - p - 2];
    if (same !== undefined) {
      const first = s.charCodeAt(p + 1);
      for (let j = 0; j < same.length; j++) if (same[j][0].charCodeAt(0) === first && s.startsWith(same[j][0], p + 1)) child = same[j][1];
    }
    const v = kEnd + 1;
    let end: number;
    const c = s.charCodeAt(v);
    if (child && c === 0x7b) end = walkObject(s, v, child, cuts);
    else if (child && c === 0x5b) end = walkArray(s, v, child, cuts);
    else end = skipValue(s, v);
    if (end < 0) return -1;
    const after = s.charCodeAt(end);
    if (after !== 0x2c && after !== 0x7d) return -1;
    if (child === null) {
      // with the comma before it when a member was kept before; else with the comma after it
      if (prevEnd >= 0) cuts.push(prevEnd, end);
      else cuts.push(p, after === 0x2c ? end + 1 : end);
    } else prevEnd = end;
    if (after === 0x7d) return end + 1;
    p = end + 1;
  }
}

/** An array whose object elements are walked with `n`; the index after its `]`, or -1. */
function walkArray(s: string, at: number, n: CutNode, cuts: number[]): number {
  let p = at + 1;
  if (s.charCodeAt(p) === 0x5d) return p + 1;
  for (;;) {
    const end = s.charCodeAt(p) === 0x7b ? walkObject(s, p, n, cuts) : skipValue(s, p);
    if (end < 0) return -1;
    const after = s.charCodeAt(end);
    if (after === 0x5d) return end + 1;
    if (after !== 0x2c) return -1;
    p = end + 1;
  }
}

/**
 * The index after the value at `at`: a string, object or array (valueEnd), true, false, null or a
 * number in JSON's grammar; or -1 (what a cut removes must not have been what made a line invalid).
 */
function skipValue(s: string, at: number): number {
  const c = s.charCodeAt(at);
  if (c === 0x22) return stringEnd(s, at);
  if (c === 0x7b || c === 0x5b) return valueEnd(s, at);
  if (c === 0x74) return s.startsWith('true', at) ? at + 4 : -1;
  if (c === 0x66) return s.startsWith('false', at) ? at + 5 : -1;
  if (c === 0x6e) return s.startsWith('null', at) ? at + 4 : -1;
  let i = c === 0x2d ? at + 1 : at;
  const digits = () => {
    const from = i;
    while (s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
    return i > from;
  };
  if (!digits()) return -1;
  if (s.charCodeAt(i) === 0x2e && (++i, !digits())) return -1;
  const e = s.charCodeAt(i);
  if (e === 0x65 || e === 0x45) {
    i++;
    if (s.charCodeAt(i) === 0x2b || s.charCodeAt(i) === 0x2d) i++;
    if (!digits()) return -1;
  }
  return i;
}

export interface EventsResult {
  items: (CoreEvent | EventsV1Event)[];
  /** ok when at least one API answered; forbidden when every failure was a 403. */
  state: SourceState;
  /** Per API failures, for notices. */
  failures: { api: 'v1' | 'events.k8s.io/v1'; error: ApiError }[];
}

export interface LogOptions {
  previous?: boolean;
  timestamps?: boolean;
  tailLines?: number;
  limitBytes?: number;
}

function nsPath(prefix: string, namespace: string | undefined, resource: string): string {
  return namespace ? `${prefix}/namespaces/${encodeURIComponent(namespace)}/${resource}` : `${prefix}/${resource}`;
}

/** A core/v1 resource's path in a namespace, or across all (undefined). */
export const corePath = (namespace: string | undefined, resource: string): string => nsPath('/api/v1', namespace, resource);
/** The list path of pods or a workload kind, in a namespace (or all). */
export const listPath = (resource: 'pods' | WorkloadKind, namespace?: string): string => (resource === 'pods' ? corePath(namespace, 'pods') : nsPath(GROUP[resource], namespace, resource));

/** metav1.LabelSelector → the string form the API takes. null selects nothing; {} everything. */
export function selectorString(sel: LabelSelector | null | undefined): string | null {
  if (!sel) return null;
  const parts: string[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const e of sel.matchExpressions ?? []) {
    const vals = (e.values ?? []).join(',');
    switch (e.operator) {
      case 'In': parts.push(`${e.key} in (${vals})`); break;
      case 'NotIn': parts.push(`${e.key} notin (${vals})`); break;
      case 'Exists': parts.push(e.key); break;
      case 'DoesNotExist': parts.push(`!${e.key}`); break;
      default: parts.push(`${e.key} ${e.operator.toLowerCase()} (${vals})`);
    }
  }
  return parts.join(',');
}

/**
 * Transport failures that cost only the source being read (events, logs), once the pods were read:
 * a cut or stalled answer (--request-timeout) on a big event list must not fail the whole run.
 */
export const DEGRADING = new Set<string>(['Truncated', 'ConnectionReset', 'Timeout', 'BadResponse', 'TooLarge']);

export class KubeApi {
  constructor(readonly http: HttpClient) {}

  getVersion(): Promise<ServerVersion> {
    return this.http.getJSON<ServerVersion>('/version', {}, { verb: 'get', resource: 'version' });
  }

  getPod(namespace: string, name: string): Promise<Pod> {
    return this.http.getJSON<Pod>(`${nsPath('/api/v1', namespace, 'pods')}/${encodeURIComponent(name)}`, {}, { verb: 'get', resource: 'pods', namespace, name });
  }

  listPods(opts: ListOptions): Promise<ListResult<Pod>> {
    const keep = opts.keep;
    const trimmed = { ...opts, keep: (p: unknown) => trimObject(p) && (!keep || keep(p)) };
    return this.list<Pod>(nsPath('/api/v1', opts.namespace, 'pods'), trimmed, { verb: 'list', resource: 'pods', namespace: opts.namespace });
  }

  getWorkload(kind: WorkloadKind, namespace: string, name: string): Promise<Workload> {
    return this.http.getJSON<Workload>(`${nsPath(GROUP[kind], namespace, kind)}/${encodeURIComponent(name)}`, {}, { verb: 'get', resource: kind, namespace, name });
  }

  listWorkloads(kind: WorkloadKind, opts: ListOptions): Promise<ListResult<Workload>> {
    return this.list<Workload>(nsPath(GROUP[kind], opts.namespace, kind), opts, { verb: 'list', resource: kind, namespace: opts.namespace });
  }

  /**
   * Paginated list (limit/continue). A 410 Expired on a continue token means the snapshot was
   * compacted away: the list restarts from the beginning, once.
   */
  async list<T>(path: string, opts: ListOptions, info: RequestInfo): Promise<ListResult<T>> {
    const limit = opts.chunkSize && opts.chunkSize > 0 ? opts.chunkSize : undefined;
    const maxPages = listPageBound(limit);
    let restarted = false;
    let pages = 0;
    for (;;) {
      const items: T[] = [];
      let cont: string | undefined;
      let rv: string | undefined;
      // a token the server gave before would loop forever (as would tokens that never end: maxPages)
      const tokens = new Set<string>();
      try {
        do {
          const q: Query = { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector, limit, continue: cont };
          pages++;
          if (cont !== undefined && (tokens.has(cont) || pages > maxPages)) throw endlessList(info, this.http.server, pages - 1, tokens.has(cont));
          if (cont !== undefined) tokens.add(cont);
          const body = await this.http.getJSON<ListBody<T>>(path, q, info);
          let page = body.items ? (opts.keep ? body.items.filter((it) => opts.keep!(it)) : body.items) : [];
          if (opts.slim) page = page.map(opts.slim) as T[];
          if (opts.onPage) await opts.onPage(page);
          else for (const it of page) items.push(it);
          rv ??= body.metadata?.resourceVersion;
          cont = body.metadata?.continue || undefined;
        } while (cont);
        return { items, resourceVersion: rv, pages };
      } catch (e) {
        if (cont && !restarted && e instanceof ApiError && e.code === 410) {
          restarted = true;
          continue;
        }
        throw e;
      }
    }
  }

  /**
   * How many core/v1 events the cluster (or a namespace) holds, of every kind, from one item and
   * the server's remainingItemCount (sent for lists without selectors); null when it does not say.
   */
  async countEvents(namespace?: string): Promise<number | null> {
    const body = await this.http.getJSON<ListBody<unknown> & { metadata?: { remainingItemCount?: number } }>(nsPath('/api/v1', namespace, 'events'), { limit: 1 }, { verb: 'list', resource: 'events', namespace });
    const n = body.items?.length ?? 0;
    const more = body.metadata?.remainingItemCount;
    if (typeof more === 'number' && Number.isFinite(more)) return n + more;
    return body.metadata?.continue ? null : n;
  }

  /**
   * Events from core/v1, or from events.k8s.io/v1 only when core/v1 fails (the two APIs serve the
   * same stored events: reading both would double the transfer and the memory). Either API alone is
   * enough; when both fail the state says why. `keep` filters (and may trim) events as pages arrive.
   */
  async listEvents(namespace: string | undefined, opts: { core?: string; v1?: string; chunkSize?: number; keep?: (e: unknown) => boolean; slim?: (e: unknown) => unknown } = {}): Promise<EventsResult> {
    const keep = (e: unknown) => trimObject(e) && (!opts.keep || opts.keep(e));
    const slim = opts.slim;
    const readCore = () => this.list<CoreEvent>(nsPath('/api/v1', namespace, 'events'), { fieldSelector: opts.core, chunkSize: opts.chunkSize, keep, slim }, { verb: 'list', resource: 'events', namespace });
    const readV1 = () => this.list<EventsV1Event>(nsPath('/apis/events.k8s.io/v1', namespace, 'events'), { fieldSelector: opts.v1, chunkSize: opts.chunkSize, keep, slim }, { verb: 'list', resource: 'events.events.k8s.io', namespace });
    const [core] = await Promise.allSettled([readCore()]);
    const v1: PromiseSettledResult<ListResult<EventsV1Event>> = core.status === 'fulfilled' ? { status: 'fulfilled', value: { items: [], pages: 0 } } : (await Promise.allSettled([readV1()]))[0];
    const items: (CoreEvent | EventsV1Event)[] = [];
    const failures: EventsResult['failures'] = [];
    for (const [api, r] of [['v1', core], ['events.k8s.io/v1', v1]] as const) {
      // one push per item: spreading a list of 125,000+ events into push() overflows the stack
      if (r.status === 'fulfilled') for (const it of r.value.items) items.push(it);
      else if (r.reason instanceof ApiError && (r.reason.code !== 0 || DEGRADING.has(r.reason.reason))) failures.push({ api, error: r.reason });
      else throw r.reason; // unreachable server, TLS, credentials: not an events problem
    }
    let state: SourceState = 'ok';
    if (failures.length === 2) state = failures.every((f) => f.error.code === 403) ? 'forbidden' : 'unavailable';
    return { items, state, failures };
  }

  /**
   * Raw GET .../log: the text (`cut` when limitBytes ended it), or throws ApiError (400 when there is
   * no such instance, 403…). Never more than limitBytes is read, even from a server that ignores it.
   */
  readLogText(namespace: string, pod: string, container: string, opts: LogOptions): Promise<{ text: string; cut: boolean }> {
    const q: Query = {
      container,
      previous: opts.previous ? 'true' : undefined,
      timestamps: opts.timestamps === false ? undefined : 'true',
      tailLines: opts.tailLines,
      limitBytes: opts.limitBytes,
    };
    return this.http.getText(`${nsPath('/api/v1', namespace, 'pods')}/${encodeURIComponent(pod)}/log`, q, { verb: 'get', resource: 'pods/log', namespace, name: pod }, opts.limitBytes).then((r) => ({
      text: r.text,
      // the kubelet stops at limitBytes without saying so: a full answer is a cut one
      cut: r.cut || (opts.limitBytes !== undefined && Buffer.byteLength(r.text) >= opts.limitBytes && !r.text.endsWith('\n')),
    }));
  }

  /**
   * One instance's log as a LogSample: its head (limitBytes) and its last line (tailLines=1, also
   * with limitBytes: one huge line must not cost its size in memory). A head shorter than its limit
   * is the whole log: its last line is the tail, and the second request is not sent (most logs of
   * a describe are short: 3 requests instead of 6 for a pod of three containers). A line cut by the
   * limit keeps its start and is marked. A Status answer becomes `error`; a 403 is thrown so the
   * caller can say forbidden.
   */
  async readLog(namespace: string, pod: string, container: string, opts: { previous?: boolean; headBytes?: number; lastLineOnly?: boolean } = {}): Promise<LogSample> {
    const read = (o: LogOptions) => this.readLogText(namespace, pod, container, { ...o, previous: opts.previous, timestamps: true });
    const headBytes = opts.headBytes ?? LOG_HEAD_BYTES;
    // lastLineOnly (the watch's evidence of a crash): one request, the tail's; no head
    const [head] = await Promise.allSettled([opts.lastLineOnly ? read({ tailLines: 1, limitBytes: LOG_TAIL_BYTES }) : read({ limitBytes: headBytes })]);
    const whole = opts.lastLineOnly || (head.status === 'fulfilled' && !head.value.cut && Buffer.byteLength(head.value.text) < headBytes);
    const [tail] = whole || head.status === 'rejected' ? [head] : await Promise.allSettled([read({ tailLines: 1, limitBytes: LOG_TAIL_BYTES })]);
    for (const r of [head, tail]) {
      if (r.status === 'rejected') {
        const e = r.reason;
        if (e instanceof ApiError && e.code !== 0 && e.code !== 403 && e.code !== 401) return { head: [], tail: [], error: { code: e.code, reason: e.reason, message: e.message } };
        throw e;
      }
    }
    const body = (r: PromiseSettledResult<{ text: string; cut: boolean }>) => (r.status === 'fulfilled' ? r.value : { text: '', cut: false });
    // A 200 whose body is a Status (some proxies) is an error too.
    const err = statusFromBody(body(head).text);
    if (err) return { head: [], tail: [], error: err };
    const lines = (b: { text: string; cut: boolean }) => (b.cut ? parseCutLog(b.text) : parseLogLines(b.text));
    return { head: opts.lastLineOnly ? [] : lines(body(head)), tail: lines(body(tail)).slice(-1) };
  }
}
