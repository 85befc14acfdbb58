// A local, read-only Kubernetes API server that serves the real recorded responses of
// test/fixtures/recordings, so tests reach the plugin through a kubeconfig like a user does.
// See README.md in this folder for what is served and how.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  RESOURCES,
  findResource,
  groupVersion,
  isItem,
  itemFromObject,
  loadScenario,
  objectJson,
  parseTime,
  v1EventOf,
  type Item,
  type ResourceDef,
  type Scenario,
  type Snapshot,
  type TimelineLine,
} from './recordings.js';
import { parseFieldSelector, parseLabelSelector, SelectorError, type Matcher } from './selectors.js';
import * as S from './status.js';
import { apiGroupDoc, apiGroupList, apiResourceList, apiVersions } from './discovery.js';

export interface ApiServerOptions {
  scenarios: string[];
  snapshot?: string | Record<string, string>;
  mode?: 'snapshot' | 'replay';
  speed?: number;
  tls?: boolean;
  auth?: { token?: string };
  deny?: { verb: 'get' | 'list' | 'watch'; resource: string; subresource?: string; namespace?: string }[];
  faults?: Fault[];
  extra?: { pods?: object[]; events?: object[] };
  /** for TLS failure tests: serve the expired certificate (certs/expired.crt) instead of the valid one */
  certificate?: 'valid' | 'expired';
  /** for TLS failure tests: the CA the kubeconfig trusts; 'other' is an unrelated CA (certs/other-ca.crt) */
  kubeconfigCa?: 'test' | 'other';
  /** ask each TLS client for a certificate (not verified) and record its CN in `requests` (clientCN) */
  clientCertificates?: boolean;
}
export type Fault =
  | { match: RequestMatch; kind: 'status'; code: 429 | 500 | 503 | 410 | 404 | 403; retryAfterSeconds?: number; times?: number }
  | { match: RequestMatch; kind: 'closeAfter'; events: number; times?: number }
  | { match: RequestMatch; kind: 'stall'; ms: number; times?: number }
  | { match: RequestMatch; kind: 'truncate'; bytes: number; times?: number }
  | { match: RequestMatch; kind: 'bookmark'; times?: number };
/** `path` is tested against the path alone and against path + query string (either hit counts). */
export interface RequestMatch {
  path?: RegExp;
  watch?: boolean;
}
export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** with `clientCertificates`: the CN of the certificate the client sent on this request's connection */
  clientCN?: string;
}
export interface RunningApiServer {
  url: string;
  kubeconfigPath: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
  /** replay mode: jump the virtual clock forward to this time (never backwards) */
  advanceTo(isoTime: string): void;
  /** replay mode: jump to the end of every recording */
  finish(): void;
  /** replay mode: the virtual clock (ms since epoch) */
  now(): number;
  /**
   * Any mode: stream these watch events now to every open watch of the resource ('pods', or 'events':
   * core/v1 as given, events.k8s.io converted) whose namespace and selectors match the object.
   * Only the open streams see them (lists do not change). Returns the number of streams written to.
   * For benchmarks and tests that need updates at a chosen rate.
   */
  pushWatch(resource: 'pods' | 'events', events: PushedWatchEvent[]): number;
  /** Open watch streams of a resource ('pods' or 'events'), e.g. to wait until a client watches. */
  openWatches(resource: 'pods' | 'events'): number;
  /** Bytes written to the open watch streams of a resource and not yet taken by the socket (the largest). */
  watchBacklog(resource: 'pods' | 'events'): number;
  /** Open client connections (TLS sessions, or TCP with `tls: false`), in use or idle. */
  openConnections(): number;
}
export interface PushedWatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: object;
}

export const CERTS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'certs');

const JSON_TYPE = { 'content-type': 'application/json' };

interface Watcher {
  def: ResourceDef;
  accepts(line: TimelineLine): boolean;
  send(line: TimelineLine): void;
}

/** What a request resolved to. */
interface Target {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function boolParam(v: string | undefined): boolean {
  return v === 'true' || v === '1';
}

/** Continue tokens look like the real ones: base64 of {"v","rv","start"}. */
function encodeContinue(rv: string, lastKey: string): string {
  return Buffer.from(JSON.stringify({ v: 'meta.k8s.io/v1', rv: Number(rv), start: lastKey + '\u0000' })).toString('base64');
}
function decodeContinue(token: string): { rv: number; start: string } | undefined {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8'));
    if (t.v !== 'meta.k8s.io/v1' || typeof t.start !== 'string' || typeof t.rv !== 'number') return undefined;
    return { rv: t.rv, start: t.start.replace(/\u0000$/, '') };
  } catch {
    return undefined;
  }
}

const byKey = (a: Item, b: Item): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  if (opts.scenarios.length === 0) throw new Error('startApiServer: at least one scenario');
  const mode = opts.mode ?? 'snapshot';
  const speed = opts.speed ?? 50;
  const tls = opts.tls ?? true;
  const snapshotFor = (s: string): string | undefined => (typeof opts.snapshot === 'string' ? opts.snapshot : opts.snapshot?.[s]);

  const loaded = [...new Set(opts.scenarios)].map((s) => loadScenario(s, snapshotFor(s)));
  const scenarios: Scenario[] = loaded;
  const byNamespace = new Map(scenarios.map((s) => [s.namespace, s]));

  // Replay: one timeline for all loaded scenarios. They were recorded on one cluster (one resourceVersion
  // counter), so a single clock keeps resourceVersions increasing with time, as in a live cluster.
  const timeline: TimelineLine[] = loaded
    .flatMap((s) => s.timeline)
    .map((l, i) => ({ l, i }))
    .sort((a, b) => a.l.t - b.l.t || a.i - b.i)
    .map((x) => x.l);
  // Each line's previous state of the same object: watch event types under selectors depend on it.
  const prevOf = new Map<TimelineLine, TimelineLine | undefined>();
  {
    const last = new Map<string, TimelineLine>();
    for (const l of timeline) {
      const k = `${l.stream}/${l.item.key}`;
      prevOf.set(l, last.get(k));
      if (l.type === 'DELETED') last.delete(k);
      else last.set(k, l);
    }
  }

  // extras are objects, or list items already (the bench's 100,000-pod cluster keeps only their JSON)
  const asItem = (o: object): Item => (isItem(o) ? o : itemFromObject(o));
  const extraPods = (opts.extra?.pods ?? []).map(asItem).sort(byKey);
  const extraEvents = (opts.extra?.events ?? []).map(asItem).sort(byKey);
  // built on first use: two million events are not converted for a run that reads core events only
  let v1Memo: Item[] | null = null;
  const extraEventsV1 = () => (v1Memo ??= extraEvents.map((i) => itemFromObject(toV1(i.obj))));
  function toV1(obj: any): any {
    return v1EventOf({ item: itemFromObject(obj) } as TimelineLine).item.obj;
  }

  // --- the replay clock and state ---
  const start = timeline[0]?.t ?? 0;
  let base = 0; // virtual ms elapsed at baseReal
  let baseReal = performance.now();
  const virtualNow = (): number => start + base + (performance.now() - baseReal) * speed;
  let applied = 0;
  const state = { pods: new Map<string, TimelineLine>(), events: new Map<string, TimelineLine>() };
  let lastRv = 0;
  const watchers = new Set<Watcher>();
  // pushWatch targets: every open watch stream, in any mode
  const pushSinks = new Set<{ def: ResourceDef; accepts(obj: any): boolean; emit(s: string): void; backlog(): number }>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  function advance(): void {
    if (mode !== 'replay' || closed) return;
    const now = virtualNow();
    while (applied < timeline.length && timeline[applied].t <= now) {
      const l = timeline[applied++];
      if (l.type === 'DELETED') state[l.stream].delete(l.item.key);
      else state[l.stream].set(l.item.key, l);
      lastRv = Math.max(lastRv, l.rv);
      for (const w of watchers) if (w.accepts(l)) w.send(l);
    }
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (applied < timeline.length) {
      timer = setTimeout(advance, Math.max(1, (timeline[applied].t - now) / speed));
    }
  }

  /** The snapshot a scenario shows now: the chosen one, or in replay the latest taken by now. */
  function snapshotNow(s: Scenario, fallbackToFirst: boolean): Snapshot | undefined {
    if (mode !== 'replay') return s.chosen;
    const now = virtualNow();
    const taken = s.snapshots.filter((x) => x.takenAt !== undefined && x.takenAt <= now);
    return taken[taken.length - 1] ?? (fallbackToFirst ? s.snapshots[0] : undefined);
  }

  const globalRv = String(
    Math.max(0, ...scenarios.flatMap((s) => s.snapshots.flatMap((x) => [...x.lists.values()].map((l) => Number(l.rv) || 0)))),
  );

  const inScope = (ns: string | undefined) => (i: Item) => ns === undefined || i.namespace === ns;

  /** The items of a resource now (or, for a continue token in replay, as of resourceVersion atRv). */
  function collect(def: ResourceDef, ns: string | undefined, atRv?: number): { rv: string; items: Item[]; raw?: Buffer } {
    const extras = def.resource === 'pods' ? extraPods : def.resource === 'events' ? (def.group ? extraEventsV1() : extraEvents) : [];
    const ex = extras.filter(inScope(ns));
    if (mode === 'replay' && def.stream) {
      let lines: Iterable<TimelineLine> = state[def.stream].values();
      let rv = lastRv;
      if (atRv !== undefined) {
        const m = new Map<string, TimelineLine>();
        for (let i = 0; i < applied; i++) {
          const l = timeline[i];
          if (l.stream !== def.stream || l.rv > atRv) continue;
          if (l.type === 'DELETED') m.delete(l.item.key);
          else m.set(l.item.key, l);
        }
        lines = m.values();
        rv = atRv;
      }
      const items: Item[] = [];
      for (const l of lines) if (ns === undefined || l.item.namespace === ns) items.push(def.group === 'events.k8s.io' ? v1EventOf(l).item : l.item);
      return { rv: String(rv || globalRv), items: [...items, ...ex].sort(byKey) };
    }
    const sources: { rv: string; items: Item[]; raw?: Buffer }[] = [];
    for (const s of ns === undefined ? scenarios : [byNamespace.get(ns)].filter((x): x is Scenario => !!x)) {
      const snap = snapshotNow(s, true);
      if (def.resource === 'cronjobs') {
        if (s.cronjobs.length) sources.push({ rv: snap?.lists.get('jobs')?.rv ?? globalRv, items: s.cronjobs });
        continue;
      }
      const list = def.file ? snap?.lists.get(def.file) : undefined;
      if (list) sources.push(list);
    }
    if (sources.length === 1 && ex.length === 0) return sources[0];
    const rv = String(Math.max(0, ...sources.map((x) => Number(x.rv) || 0)) || globalRv);
    const items = sources.flatMap((x) => x.items).concat(ex);
    return { rv, items: sources.length > 1 || ex.length ? items.sort(byKey) : items };
  }

  // Snapshot mode never changes what a list holds: keep each (resource, namespace) list with whether it
  // is in key order, so that paging through a big list (benchmarks: 100,000 events) is not quadratic.
  const listMemo = new Map<string, { rv: string; items: Item[]; raw?: Buffer; sorted: boolean }>();
  function collectForList(def: ResourceDef, ns: string | undefined, atRv?: number): { rv: string; items: Item[]; raw?: Buffer; sorted: boolean } {
    if (mode === 'replay') return { ...collect(def, ns, atRv), sorted: false };
    const key = `${def.group}/${def.resource}/${ns ?? ''}`;
    let m = listMemo.get(key);
    if (!m) {
      const d = collect(def, ns);
      m = { ...d, sorted: d.items.every((x, i, a) => i === 0 || a[i - 1].key < x.key) };
      listMemo.set(key, m);
    }
    return m;
  }

  // --- faults and requests ---
  const faults = (opts.faults ?? []).map((f) => ({ f, left: f.times ?? 1 }));
  function takeFault(pathname: string, search: string, isWatch: boolean): Fault | undefined {
    for (const x of faults) {
      if (x.left <= 0) continue;
      const m = x.f.match;
      if (m.watch !== undefined && m.watch !== isWatch) continue;
      if (m.path && !m.path.test(pathname) && !m.path.test(pathname + search)) continue;
      x.left--;
      return x.f;
    }
    return undefined;
  }

  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const cleanups = new Set<() => void>();
  let serverAddress = '';

  /** Writes a response, optionally cutting it after `truncate` bytes (then the socket is destroyed). */
  class Out {
    private sent = 0;
    dead = false;
    constructor(
      private res: ServerResponse,
      private rec: RecordedRequest,
      private truncate?: number,
    ) {
      res.on('close', () => (this.dead = true));
    }
    head(code: number, headers: Record<string, string | number>): void {
      this.rec.status = code;
      this.res.writeHead(code, headers);
    }
    /** false: wait for drained() before writing more */
    write(chunk: string | Buffer): boolean {
      if (this.dead) return true;
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      if (this.truncate !== undefined && this.sent + buf.length >= this.truncate) {
        const part = buf.subarray(0, this.truncate - this.sent);
        this.dead = true;
        this.res.write(part, () => this.res.destroy());
        return true;
      }
      this.sent += buf.length;
      return this.res.write(buf);
    }
    drained(): Promise<void> {
      return new Promise((resolve) => {
        const done = () => {
          this.res.off('drain', done);
          this.res.off('close', done);
          resolve();
        };
        this.res.on('drain', done);
        this.res.on('close', done);
      });
    }
    end(): void {
      if (!this.dead) this.res.end();
      this.dead = true;
    }
    json(code: number, body: string | Buffer, headers: Record<string, string | number> = {}): void {
      const buf = typeof body === 'string' ? Buffer.from(body) : body;
      this.head(code, { ...JSON_TYPE, 'content-length': buf.length, ...headers });
      this.write(buf);
      this.end();
    }
    status(s: S.StatusBody, headers: Record<string, string | number> = {}): void {
      this.json(s.code, JSON.stringify(s), headers);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://x');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = v;
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, status: 0, headers: req.headers };
    if (opts.clientCertificates) rec.clientCN = [(req.socket as TLSSocket).getPeerCertificate()?.subject?.CN ?? []].flat().join(',');
    requests.push(rec);
    advance();

    if (opts.auth?.token !== undefined && req.headers.authorization !== `Bearer ${opts.auth.token}`) {
      return new Out(res, rec).status(S.unauthorized());
    }
    const isWatch = boolParam(query.watch);
    const fault = takeFault(url.pathname, url.search, isWatch);
    if (fault?.kind === 'stall') {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, fault.ms);
        const stop = () => {
          clearTimeout(t);
          resolve();
        };
        cleanups.add(stop);
        res.on('close', stop);
      });
      if (res.destroyed || closed) return;
    }
    const out = new Out(res, rec, fault?.kind === 'truncate' ? fault.bytes : undefined);

    if (req.method !== 'GET') return out.status(S.methodNotAllowed());

    // discovery and version
    const segs = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/version' || url.pathname === '/version/') return out.json(200, scenarios[0].version);
    let doc: unknown;
    if (segs[0] === 'api' && segs.length === 1) doc = apiVersions(serverAddress);
    else if (segs[0] === 'api' && segs.length === 2) doc = apiResourceList('', segs[1]);
    else if (segs[0] === 'apis' && segs.length === 1) doc = apiGroupList();
    else if (segs[0] === 'apis' && segs.length === 2) doc = apiGroupDoc(segs[1]);
    else if (segs[0] === 'apis' && segs.length === 3) doc = apiResourceList(segs[1], segs[2]);
    if (segs.length <= 3 && (segs[0] === 'api' || segs[0] === 'apis') && !(segs[0] === 'api' && segs.length === 3)) {
      return doc ? out.json(200, JSON.stringify(doc)) : out.status(S.resourceNotFound());
    }

    // namespaces (for completion): the namespace of every loaded scenario and extra pod, names only
    if (url.pathname === '/api/v1/namespaces') {
      if ((opts.deny ?? []).some((d) => d.verb === 'list' && d.resource === 'namespaces')) return out.status(S.forbidden('list', 'namespaces', '', undefined, undefined));
      const names = [...new Set([...scenarios.map((s) => s.namespace), ...extraPods.map((p) => p.namespace)])].sort();
      return out.json(200, JSON.stringify({ kind: 'NamespaceList', apiVersion: 'v1', metadata: { resourceVersion: String(globalRv) },
        items: names.map((name) => ({ metadata: { name }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } })) }));
    }

    const target = route(segs);
    if (!target) {
      res.statusCode = 404;
      rec.status = 404;
      res.setHeader('content-type', 'text/plain; charset=utf-8');
      return void res.end('404 page not found\n');
    }
    const { def, namespace, name, subresource } = target;
    const verb = name !== undefined ? 'get' : isWatch ? 'watch' : 'list';

    if (fault?.kind === 'status') return faultStatus(out, fault, target, verb, query, isWatch);

    const denied = (opts.deny ?? []).some(
      (d) => d.verb === verb && d.resource === def.resource && (d.subresource ?? '') === (subresource ?? '') && (d.namespace === undefined || d.namespace === namespace),
    );
    if (denied) return out.status(S.forbidden(verb, def.resource, def.group, subresource, namespace, name));

    if (subresource === 'log' && def.resource === 'pods' && !def.group) return serveLog(out, namespace!, name!, query);
    if (subresource !== undefined) return out.status(S.resourceNotFound());

    if (name !== undefined) {
      const item = collect(def, namespace).items.find((i) => i.name === name);
      return item ? out.json(200, objectJson(def, item)) : out.status(S.notFound(def.resource, def.group, name));
    }

    let matcher: Matcher;
    try {
      matcher = buildMatcher(def, query);
    } catch (e) {
      if (e instanceof SelectorError) return out.status(S.badRequest(e.message));
      throw e;
    }
    if (isWatch) return serveWatch(out, res, def, namespace, matcher, query, fault);
    return serveList(out, def, namespace, matcher, query);
  }

  function route(segs: string[]): Target | undefined {
    let group = '';
    let rest: string[];
    if (segs[0] === 'api' && segs.length >= 3) {
      rest = segs.slice(2);
    } else if (segs[0] === 'apis' && segs.length >= 4) {
      group = segs[1];
      rest = segs.slice(3);
    } else return undefined;
    const version = segs[0] === 'api' ? segs[1] : segs[2];
    let namespace: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      namespace = decodeURIComponent(rest[1]);
      rest = rest.slice(2);
    }
    const def = findResource(group, version, rest[0]);
    if (!def || rest.length > 3 || (namespace === undefined && rest.length > 1)) return undefined;
    return {
      def,
      namespace,
      name: rest[1] !== undefined ? decodeURIComponent(rest[1]) : undefined,
      subresource: rest[2],
    };
  }

  function buildMatcher(def: ResourceDef, q: Record<string, string>): Matcher {
    const l = q.labelSelector ? parseLabelSelector(q.labelSelector) : undefined;
    const f = q.fieldSelector ? parseFieldSelector(q.fieldSelector, def.fields) : undefined;
    return (o) => (!l || l(o)) && (!f || f(o));
  }

  function faultStatus(out: Out, fault: Extract<Fault, { kind: 'status' }>, t: Target, verb: string, q: Record<string, string>, isWatch: boolean): void {
    const retry = fault.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : undefined;
    switch (fault.code) {
      case 429:
        return out.status(S.tooManyRequests(fault.retryAfterSeconds ?? 1), { 'retry-after': String(fault.retryAfterSeconds ?? 1) });
      case 500:
        return out.status(S.internalError(), retry);
      case 503:
        return out.status(S.serviceUnavailable(), retry);
      case 404:
        return out.status(t.name !== undefined ? S.notFound(t.def.resource, t.def.group, t.name) : S.resourceNotFound());
      case 403:
        return out.status(S.forbidden(verb, t.def.resource, t.def.group, t.subresource, t.namespace, t.name));
      case 410:
        if (isWatch) {
          // the real server answers 200 and streams one ERROR event, then closes
          out.head(200, JSON_TYPE);
          const oldest = String(Math.max(Number(q.resourceVersion ?? 0) + 1, mode === 'replay' ? lastRv : Number(globalRv)));
          out.write(JSON.stringify({ type: 'ERROR', object: S.tooOldResourceVersion(q.resourceVersion ?? '0', oldest) }) + '\n');
          return out.end();
        }
        return out.status(S.continueExpired());
    }
  }

  async function serveList(out: Out, def: ResourceDef, ns: string | undefined, matcher: Matcher, q: Record<string, string>): Promise<void> {
    let cont: { rv: number; start: string } | undefined;
    if (q.continue) {
      cont = decodeContinue(q.continue);
      if (!cont) return out.status(S.badRequest(`continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)`));
    }
    const limit = q.limit ? Number(q.limit) : 0;
    const data = collectForList(def, ns, mode === 'replay' && cont ? cont.rv : undefined);
    if (data.raw && !q.labelSelector && !q.fieldSelector && !limit && !cont) return out.json(200, data.raw);

    // A page costs O(limit), not O(list): start after the continue key (binary search when the list
    // is in key order), then select at most limit + 1 items. Same answer as filtering the whole list.
    let all = data.items;
    let start = 0;
    if (cont) {
      const after = cont.start;
      if (data.sorted) {
        let hi = all.length;
        while (start < hi) {
          const mid = (start + hi) >> 1;
          if (all[mid].key > after) hi = mid;
          else start = mid + 1;
        }
      } else all = all.filter((i) => i.key > after);
    }
    let items: Item[];
    let next = '';
    let remaining = 0;
    if (q.labelSelector || q.fieldSelector) {
      items = [];
      for (let i = start; i < all.length; i++) {
        if (!matcher(all[i].obj)) continue;
        items.push(all[i]);
        if (limit > 0 && items.length > limit) break;
      }
      if (limit > 0 && items.length > limit) {
        items = items.slice(0, limit);
        next = encodeContinue(data.rv, items[items.length - 1].key);
      }
    } else if (limit > 0 && all.length - start > limit) {
      remaining = all.length - start - limit;
      items = all.slice(start, start + limit);
      next = encodeContinue(data.rv, items[items.length - 1].key);
    } else items = start ? all.slice(start) : all;
    const rv = cont && mode === 'replay' ? String(cont.rv) : data.rv;
    const meta =
      `{"resourceVersion":"${rv}"` +
      (next ? `,"continue":"${next}"` + (q.labelSelector || q.fieldSelector ? '' : `,"remainingItemCount":${remaining}`) : '') +
      '}';
    const head = `{"kind":"${def.kind}List","apiVersion":"${groupVersion(def)}","metadata":${meta},"items":[`;
    // Small lists go out with a content-length; big ones (benchmarks: 10,000 pods are ~90 MB) are streamed
    // chunked, in batches, waiting for the socket to drain, as the real server streams large lists.
    let batch = head;
    let streaming = false;
    for (let i = 0; i < items.length; i++) {
      batch += i ? ',' + items[i].json : items[i].json;
      if (batch.length >= 1 << 20) {
        if (!streaming) out.head(200, { ...JSON_TYPE, 'transfer-encoding': 'chunked' });
        streaming = true;
        const ok = out.write(batch);
        batch = '';
        if (!ok) await out.drained();
        if (out.dead) return;
      }
    }
    batch += ']}';
    if (!streaming) return out.json(200, batch);
    out.write(batch);
    out.end();
  }

  function containerNames(list: any[] | undefined): string {
    return (list ?? []).map((c: any) => c.name).join(' ');
  }

  function waitingReason(pod: any, container: string): string {
    const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
    return all.find((c: any) => c.name === container)?.state?.waiting?.reason ?? 'ContainerCreating';
  }

  /** Every recorded log line of a container (all snapshots, current and previous instances), once each, in time order. */
  const logLines = new Map<string, { t: number; line: string }[]>();
  function recordedLogLines(s: Scenario, podName: string, container: string): { t: number; line: string }[] {
    const key = `${s.namespace}/${podName}/${container}`;
    let all = logLines.get(key);
    if (!all) {
      const seen = new Set<string>();
      all = [];
      for (const snap of s.snapshots) {
        for (const f of [`${podName}.${container}.log`, `${podName}.${container}.previous.log`]) {
          const b = snap.logs.get(f);
          if (!b || b[0] === 0x7b) continue;
          for (const line of b.toString('utf8').split('\n')) {
            const t = parseTime(line.slice(0, line.indexOf(' ')));
            if (line === '' || Number.isNaN(t) || seen.has(line)) continue;
            seen.add(line);
            all.push({ t, line });
          }
        }
      }
      all.sort((x, y) => x.t - y.t);
      logLines.set(key, all);
    }
    return all;
  }

  /**
   * Replay: the log of the instance the kubelet would answer for at the replay clock (its
   * validateContainerLogStatus: previous → lastState.terminated; else the running or terminated
   * one; a waiting container's last terminated one), made of the recorded lines timed within that
   * instance and not after the clock. undefined: no such instance (the caller answers the 400).
   */
  function replayLog(s: Scenario, pod: any, podName: string, container: string, previous: boolean): Buffer | undefined {
    const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? []), ...(pod.status?.ephemeralContainerStatuses ?? [])];
    const st = all.find((c: any) => c.name === container);
    const inst = previous ? st?.lastState?.terminated : st?.state?.running ?? st?.state?.terminated ?? st?.lastState?.terminated;
    if (!inst?.startedAt) return undefined;
    // status times are whole seconds: a line within the second of the start or of the end is the instance's
    const from = parseTime(inst.startedAt);
    const to = Math.min(virtualNow(), inst.finishedAt ? parseTime(inst.finishedAt) + 1000 : Infinity);
    const lines = recordedLogLines(s, podName, container).filter((l) => l.t >= from && l.t < to);
    return Buffer.from(lines.map((l) => l.line + '\n').join(''));
  }

  /**
   * Replay, follow=true: after the lines due (sent by serveLog), the running instance's recorded
   * lines as the clock reaches their timestamps; the stream ends when the instance is no longer the
   * running one (its lines up to its finish sent first), or the pod is gone, as the kubelet ends it.
   */
  function followReplay(out: Out, s: Scenario, ns: string, podName: string, container: string, timestamps: boolean): void {
    const statusNow = () => {
      const pod = collect(RESOURCES[0], ns).items.find((i) => i.name === podName)?.obj;
      const all = [...(pod?.status?.initContainerStatuses ?? []), ...(pod?.status?.containerStatuses ?? []), ...(pod?.status?.ephemeralContainerStatuses ?? [])];
      return pod ? all.find((c: any) => c.name === container) ?? null : undefined;
    };
    const startedAt: string | undefined = statusNow()?.state?.running?.startedAt;
    if (!startedAt) return void out.end();
    const from = parseTime(startedAt);
    let sent = virtualNow();
    const stop = () => {
      clearInterval(timer);
      cleanups.delete(stop);
      out.end();
    };
    const tick = () => {
      if (out.dead || closed) return stop();
      const st = statusNow();
      const same = st?.state?.running?.startedAt === startedAt;
      const ended = [st?.state?.terminated, st?.lastState?.terminated].find((t: any) => t?.startedAt === startedAt);
      const upTo = same || !ended?.finishedAt ? virtualNow() : parseTime(ended.finishedAt) + 1000;
      const due = recordedLogLines(s, podName, container).filter((l) => l.t >= Math.max(from, sent) && l.t < upTo);
      sent = Math.max(sent, upTo);
      if (due.length) out.write(Buffer.from(due.map((l) => (timestamps ? l.line : l.line.slice(l.line.indexOf(' ') + 1)) + '\n').join('')));
      if (!same) stop();
    };
    const timer = setInterval(tick, 20);
    cleanups.add(stop);
  }

  function serveLog(out: Out, ns: string, podName: string, q: Record<string, string>): void {
    const pod = collect(RESOURCES[0], ns).items.find((i) => i.name === podName)?.obj;
    if (!pod) return out.status(S.notFound('pods', '', podName));
    const spec = pod.spec ?? {};
    let container = q.container;
    if (!container) {
      if ((spec.containers ?? []).length === 1) container = spec.containers[0].name;
      else {
        let msg = `a container name must be specified for pod ${podName}, choose one of: [${containerNames(spec.containers)}]`;
        if (spec.initContainers?.length) msg += ` or one of the init containers: [${containerNames(spec.initContainers)}]`;
        if (spec.ephemeralContainers?.length) msg += ` or one of the ephemeral containers: [${containerNames(spec.ephemeralContainers)}]`;
        return out.status(S.badRequest(msg));
      }
    }
    const known = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])].some((c: any) => c.name === container);
    if (!known) return out.status(S.badRequest(`container ${container} is not valid for pod ${podName}`));
    const previous = boolParam(q.previous);
    const s = byNamespace.get(ns);
    const snap = s ? snapshotNow(s, false) : undefined;
    const file = mode === 'replay' && s ? replayLog(s, pod, podName, container, previous) : snap?.logs.get(`${podName}.${container}${previous ? '.previous' : ''}.log`);
    if (!file) {
      return out.status(
        previous
          ? S.badRequest(`previous terminated container "${container}" in pod "${podName}" not found`)
          : S.badRequest(`container "${container}" in pod "${podName}" is waiting to start: ${waitingReason(pod, container)}`),
      );
    }
    if (file[0] === 0x7b /* { */) {
      // a recorded error answer
      const st = JSON.parse(file.toString('utf8'));
      if (st.kind === 'Status') return out.json(st.code ?? 500, file);
    }
    // kubelet order: sinceTime/sinceSeconds, then tailLines, then the timestamp prefix, then limitBytes
    let lines = file.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    const now = mode === 'replay' ? virtualNow() : (snap?.takenAt ?? Date.now());
    const since = q.sinceTime ? parseTime(q.sinceTime) : q.sinceSeconds ? now - Number(q.sinceSeconds) * 1000 : undefined;
    if (since !== undefined && !Number.isNaN(since)) lines = lines.filter((l) => parseTime(l.slice(0, l.indexOf(' '))) >= since);
    if (q.tailLines !== undefined) {
      const n = Number(q.tailLines);
      if (n >= 0) lines = n === 0 ? [] : lines.slice(-n);
    }
    if (!boolParam(q.timestamps)) lines = lines.map((l) => l.slice(l.indexOf(' ') + 1));
    let body = Buffer.from(lines.map((l) => l + '\n').join(''));
    if (q.limitBytes !== undefined && Number(q.limitBytes) > 0) body = body.subarray(0, Number(q.limitBytes));
    const running = !previous && [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].some((c: any) => c.name === container && c.state?.running);
    if (boolParam(q.follow) && running) {
      // a running container's log stays open until the client or the server goes away
      out.head(200, { 'content-type': 'text/plain' });
      out.write(body);
      if (mode === 'replay' && s) followReplay(out, s, ns, podName, container, boolParam(q.timestamps));
      return;
    }
    out.head(200, { 'content-type': 'text/plain', 'content-length': body.length });
    out.write(body);
    out.end();
  }

  function serveWatch(out: Out, res: ServerResponse, def: ResourceDef, ns: string | undefined, matcher: Matcher, q: Record<string, string>, fault: Fault | undefined): void {
    out.head(200, { ...JSON_TYPE, 'transfer-encoding': 'chunked' });
    res.flushHeaders();
    let left = fault?.kind === 'closeAfter' ? fault.events : Infinity;
    let watcher: Watcher | undefined;
    let timeout: NodeJS.Timeout | undefined;
    const finish = () => {
      if (watcher) watchers.delete(watcher);
      pushSinks.delete(pushSink);
      if (timeout) clearTimeout(timeout);
      cleanups.delete(finish);
      out.end();
    };
    cleanups.add(finish);
    res.on('close', finish);
    const emit = (s: string) => {
      if (left <= 0) return;
      out.write(s + '\n');
      if (--left <= 0 || out.dead) finish();
    };
    const scoped = (i: Item) => (ns === undefined || i.namespace === ns) && matcher(i.obj);
    const pushSink = { def, accepts: (obj: any) => (ns === undefined || obj?.metadata?.namespace === ns) && matcher(obj), emit: (s: string) => emit(s), backlog: () => res.writableLength };

    if (fault?.kind === 'bookmark') {
      const rv = mode === 'replay' ? String(lastRv) : collect(def, ns).rv;
      out.write(`{"type":"BOOKMARK","object":{"kind":"${def.kind}","apiVersion":"${groupVersion(def)}","metadata":{"resourceVersion":"${rv}","creationTimestamp":null}}}\n`);
    }
    const rv = q.resourceVersion;
    if (!rv || rv === '0') {
      // no resourceVersion: the server first sends the current objects as ADDED
      for (const i of collect(def, ns).items) if (scoped(i)) emit(`{"type":"ADDED","object":${objectJson(def, i)}}`);
    }
    if (mode === 'replay' && def.stream && left > 0 && !out.dead) {
      const from = !rv || rv === '0' ? lastRv : Number(rv);
      const stream = def.stream;
      const v1 = def.group === 'events.k8s.io';
      const form = (l: TimelineLine) => (v1 ? { item: v1EventOf(l).item, objRaw: v1EventOf(l).objRaw } : { item: l.item, objRaw: l.objRaw });
      const w: Watcher = {
        def,
        accepts: (l) => l.stream === stream && l.rv > from,
        send: (l) => {
          // the event type a selector-filtered watch sees depends on the old and new object matching
          const { item, objRaw } = form(l);
          const prev = prevOf.get(l);
          const oldM = prev ? scoped(form(prev).item) : false;
          const newM = scoped(item);
          let type: string | undefined;
          if (l.type === 'DELETED') type = oldM || newM ? 'DELETED' : undefined;
          else if (newM) type = oldM || l.type === 'ADDED' ? l.type : 'ADDED';
          else if (oldM) type = 'DELETED';
          if (!type) return;
          emit(type === l.type && !v1 ? l.line : `{"type":"${type}","object":${objRaw}}`);
        },
      };
      for (let i = 0; i < applied && left > 0 && !out.dead; i++) if (w.accepts(timeline[i])) w.send(timeline[i]);
      if (left > 0 && !out.dead) {
        watcher = w;
        watchers.add(w);
      }
    }
    if (left > 0 && !out.dead) {
      pushSinks.add(pushSink);
      const secs = q.timeoutSeconds ? Number(q.timeoutSeconds) : 1800;
      timeout = setTimeout(finish, secs * 1000);
    }
  }

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((e) => {
      if (!res.headersSent) {
        const rec = requests.find((r) => r.headers === req.headers);
        if (rec) rec.status = 500;
        const body = JSON.stringify(S.status(500, 'InternalError', `test apiserver: ${(e as Error).stack ?? e}`, {}));
        res.writeHead(500, { ...JSON_TYPE, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      } else res.destroy();
    });
  };
  const server: Server = tls
    ? createHttpsServer(
        {
          cert: readFileSync(join(CERTS_DIR, opts.certificate === 'expired' ? 'expired.crt' : 'server.crt')),
          key: readFileSync(join(CERTS_DIR, opts.certificate === 'expired' ? 'expired.key' : 'server.key')),
          ...(opts.clientCertificates ? { requestCert: true, rejectUnauthorized: false } : {}),
        },
        onRequest,
      )
    : createHttpServer(onRequest);
  server.on(tls ? 'secureConnection' : 'connection', (sock: Socket) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  serverAddress = `127.0.0.1:${port}`;
  const url = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  const dir = mkdtempSync(join(tmpdir(), 'kubectl-sidecars-apiserver-'));
  const kubeconfigPath = join(dir, 'kubeconfig');
  // kubectl prompts for a username when a user has no credentials at all, so without a token the user
  // carries the test client certificate (the server does not ask for it).
  const user =
    opts.auth?.token !== undefined
      ? `\n    token: ${JSON.stringify(opts.auth.token)}`
      : tls
        ? `\n    client-certificate-data: ${readFileSync(join(CERTS_DIR, 'client.crt')).toString('base64')}` +
          `\n    client-key-data: ${readFileSync(join(CERTS_DIR, 'client.key')).toString('base64')}`
        : ' {}';
  writeFileSync(
    kubeconfigPath,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: test',
      '  cluster:',
      `    server: ${url}`,
      ...(tls ? [`    certificate-authority-data: ${readFileSync(join(CERTS_DIR, opts.kubeconfigCa === 'other' ? 'other-ca.crt' : 'ca.crt')).toString('base64')}`] : []),
      'users:',
      '- name: test-user',
      `  user:${user}`,
      'contexts:',
      '- name: test',
      '  context:',
      '    cluster: test',
      '    user: test-user',
      `    namespace: ${scenarios[0].namespace}`,
      'current-context: test',
      '',
    ].join('\n'),
  );

  advance();

  function advanceTo(iso: string): void {
    const target = parseTime(iso);
    const cur = virtualNow();
    if (target > cur) {
      base += target - cur;
      advance();
    }
  }

  function pushWatch(resource: 'pods' | 'events', events: PushedWatchEvent[]): number {
    let n = 0;
    for (const sink of pushSinks) {
      if (sink.def.resource !== resource) continue;
      const v1 = sink.def.group === 'events.k8s.io';
      let wrote = false;
      for (const e of events) {
        const obj: any = v1 ? toV1(e.object) : e.object;
        if (!sink.accepts(obj)) continue;
        const { kind: _k, apiVersion: _a, ...rest } = obj;
        sink.emit(`{"type":"${e.type}","object":${JSON.stringify({ kind: sink.def.kind, apiVersion: groupVersion(sink.def), ...rest })}}`);
        wrote = true;
      }
      if (wrote) n++;
    }
    return n;
  }

  return {
    url,
    kubeconfigPath,
    requests,
    pushWatch,
    openWatches: (resource) => [...pushSinks].filter((s) => s.def.resource === resource).length,
    watchBacklog: (resource) => Math.max(0, ...[...pushSinks].filter((s) => s.def.resource === resource).map((s) => s.backlog())),
    openConnections: () => sockets.size,
    now: virtualNow,
    advanceTo,
    finish() {
      const end = timeline[timeline.length - 1]?.t;
      // +1 ms: receive times carry ns, so make sure the very last line is due
      if (end !== undefined && end + 1 > virtualNow()) base += end + 1 - virtualNow();
      advance();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const c of [...cleanups]) c();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
