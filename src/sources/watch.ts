// List-then-watch of pods and core/v1 events, built on the raw streaming GET of http.ts like every
// other request (its credentials, retries and bounded bodies; client-node is loaded only for exec
// plugins and auth providers: docs/development.md, Dependencies). It survives what a real API server does:
//  - the server ends every watch after timeoutSeconds → re-watch from the last resourceVersion
//    (BOOKMARK events move it forward too);
//  - 410 Gone (an ERROR event with a Status, or HTTP 410) → re-list, deliver every listed object as
//    an update and the pods that vanished as deletions: the consumer dedups, nothing is lost;
//  - 429/5xx/broken connections → back off (retry.ts, client-go's numbers; Retry-After honoured)
//    and say so once reconnecting lasts (then say when it resumed); 410s that keep coming are said once.
// What to watch and which pods to keep come from the selection (selection.ts watchTargets).
// It knows the API, not what a sidecar is.
import type { CoreEvent, Pod } from '../model/k8s.js';
import type { Query } from './http.js';
import { ApiError, type RequestInfo } from './errors.js';
import { corePath, type KubeApi, trimLine, trimPodLine, untrimmed } from './api.js';
import { Backoff, BACKOFF, classify } from './retry.js';

export interface WatchScope {
  /** undefined = every namespace (-A). */
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  /** core/v1 events field selector; null = no events watch. */
  eventFieldSelector: string | null;
  /**
   * TYPE/NAME targets: could a pod of this name be one of theirs? Events of pods not seen yet are
   * kept only then, so that a busy namespace's other pods do not fill the model's memory.
   */
  eventPodName?: (name: string) => boolean;
  chunkSize: number;
}

/** Does a pod belong to what the user asked for? May look owners up (cached). */
export type PodFilter = (pod: Pod) => boolean | Promise<boolean>;

export type WatchUpdate =
  | { kind: 'synced'; pods: Pod[]; events: CoreEvent[] }
  /**
   * `text`: the watch event's JSON text, already trimmed as the pod is (api.ts trimPodLine), whose
   * `object` is the pod: the model keeps it instead of serialising the pod again. Not on lists.
   */
  | { kind: 'pod'; change: 'added' | 'modified' | 'deleted'; pod: Pod; text?: string }
  | { kind: 'event'; event: CoreEvent }
  | { kind: 'eventsUnavailable'; reason: 'forbidden' | 'unavailable'; message: string }
  | { kind: 'notice'; message: string };

export interface WatchTiming {
  /** timeoutSeconds asked of the server, ± jitter (so many watchers do not reconnect together). */
  timeoutSeconds: number;
  jitterSeconds: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** Say "reconnecting" once failures have lasted this long. */
  noticeAfterMs: number;
  /**
   * A watch that sends no byte (no event, no bookmark) for this long is given up and re-watched:
   * a half-open connection never ends by itself (issue 13 #10).
   */
  stallMs: number;
}

export const DEFAULT_TIMING: WatchTiming = { timeoutSeconds: 300, jitterSeconds: 60, backoffBaseMs: BACKOFF.initialMs, backoffMaxMs: BACKOFF.maxMs, noticeAfterMs: 5000, stallMs: 60000 };

type Resource = 'pods' | 'events';

interface K8sObject {
  metadata?: { uid?: string; resourceVersion?: string; namespace?: string; name?: string };
}

/** What identifies a pod, without its spec and status (5,000 live pods' objects were ~50 MB). */
function identity(p: Pod): Pod {
  const m = p.metadata ?? {};
  return { metadata: { uid: m.uid, name: m.name, namespace: m.namespace, resourceVersion: m.resourceVersion } };
}

function describeFailure(e: unknown): string {
  if (e instanceof ApiError) return e.code ? `${e.code} ${e.reason}: ${e.message}` : e.message;
  return e instanceof Error ? e.message : String(e);
}

const abortable = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Runs the pods (and events) list-watch until the signal aborts. `sink` gets the updates in order
 * per stream; it is awaited, so a slow consumer slows the reading, never reorders it.
 */
export class EvidenceWatch {
  private readonly timing: WatchTiming;
  private queue: Promise<void> = Promise.resolve();
  /**
   * Pods delivered and not deleted, by uid: a re-list turns the missing ones into deletions. Only
   * what identifies them (the model keeps their last state).
   */
  private readonly known = new Map<string, Pod>();
  private readonly rejected = new Set<string>();
  private readonly accepted = new Set<string>();
  private troubleSince: number | null = null;
  private stallNoticed = false;
  /** Streams whose repeated 410s were said (once each). */
  private readonly goneNoticed = new Set<Resource>();
  private troubleNoticed = false;
  private readonly troubled = new Set<Resource>();

  constructor(
    private readonly api: KubeApi,
    private readonly scope: WatchScope,
    private readonly filter: PodFilter,
    private readonly sink: (u: WatchUpdate) => void | Promise<void>,
    timing: Partial<WatchTiming> = {},
    private readonly clock: { now(): number; random(): number } = { now: () => Date.now(), random: Math.random },
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
  }

  async run(signal: AbortSignal): Promise<void> {
    // Initial lists: errors here are the user's (RBAC, not found, unreachable): reported, exit 1.
    const podsP = this.list<Pod>('pods');
    const eventsP = this.scope.eventFieldSelector === null ? null
      : this.list<CoreEvent>('events').then((r) => ({ ok: r }), (e: unknown) => ({ err: e }));
    const pods = await podsP;
    const events = eventsP ? await eventsP : null;
    const kept: Pod[] = [];
    for (const p of pods.items) if (await this.matches(p)) kept.push(p);
    for (const p of kept) if (p.metadata?.uid) this.known.set(p.metadata.uid, identity(p));
    const eventItems = events && 'ok' in events ? events.ok.items.filter((e) => !this.rejectedEvent(e)) : [];
    await this.sink({ kind: 'synced', pods: kept, events: eventItems });
    const loops = [this.loop('pods', pods.resourceVersion, signal)];
    if (events && 'err' in events) await this.eventsDown(events.err);
    else if (events) loops.push(this.loop('events', events.ok.resourceVersion, signal).catch((e) => this.eventsDown(e)));
    await Promise.all(loops);
    await this.queue;
  }

  private async eventsDown(e: unknown): Promise<void> {
    if (e instanceof ApiError && (e.code === 403 || e.code === 401)) {
      await this.deliver({ kind: 'eventsUnavailable', reason: 'forbidden', message: `events unavailable: forbidden (needs "list" and "watch" on "events"); watching pod status only` });
      return;
    }
    if (classify(e, { established: true, reauthenticated: true }) !== 'fatal') {
      await this.deliver({ kind: 'eventsUnavailable', reason: 'unavailable', message: `events unavailable: ${describeFailure(e)}; watching pod status only` });
      return;
    }
    throw e;
  }

  private info(res: Resource, verb: 'list' | 'watch'): RequestInfo {
    return { verb, resource: res, namespace: this.scope.namespace };
  }

  private selectors(res: Resource): { labelSelector?: string; fieldSelector?: string } {
    return res === 'pods'
      ? { labelSelector: this.scope.labelSelector, fieldSelector: this.scope.fieldSelector }
      : { fieldSelector: this.scope.eventFieldSelector ?? undefined };
  }

  private list<T>(res: Resource) {
    return this.api.list<T>(corePath(this.scope.namespace, res), { ...this.selectors(res), chunkSize: this.scope.chunkSize }, this.info(res, 'list'));
  }

  private async matches(p: Pod): Promise<boolean> {
    const uid = p.metadata?.uid;
    if (uid && (this.known.has(uid) || this.accepted.has(uid))) return true; // once matched, followed to its end
    if (uid && this.rejected.has(uid)) return false;
    const ok = await this.filter(p);
    if (uid) (ok ? this.accepted : this.rejected).add(uid);
    return ok;
  }

  private rejectedEvent(e: CoreEvent): boolean {
    const uid = e.involvedObject?.uid;
    if (uid && this.rejected.has(uid)) return true;
    if (uid && (this.known.has(uid) || this.accepted.has(uid))) return false;
    const name = e.involvedObject?.name;
    return !!this.scope.eventPodName && typeof name === 'string' && !this.scope.eventPodName(name);
  }

  private deliver(u: WatchUpdate): Promise<void> {
    this.queue = this.queue.then(() => this.sink(u));
    return this.queue;
  }

  /** One object from a watch or a re-list, in stream order. */
  private async onObject(res: Resource, type: string, obj: K8sObject, text?: string): Promise<void> {
    if (res === 'events') {
      const e = obj as CoreEvent;
      if (type !== 'DELETED' && !this.rejectedEvent(e)) await this.deliver({ kind: 'event', event: e });
      return;
    }
    const pod = obj as Pod;
    const uid = pod.metadata?.uid;
    if (!uid) return;
    if (type === 'DELETED') {
      // a deleted pod's uid never comes back: these sets stay the size of what is live
      this.rejected.delete(uid);
      this.accepted.delete(uid);
      if (!this.known.has(uid)) return;
      this.known.delete(uid);
      await this.deliver({ kind: 'pod', change: 'deleted', pod });
      return;
    }
    // a pod already followed needs no filter, and its entry changes in place (a new one per update
    // outlived the young generation: the pod's next update is seconds away)
    const known = this.known.get(uid);
    if (!known && !(await this.matches(pod))) return;
    const change = known ? 'modified' : 'added';
    if (known?.metadata) known.metadata.resourceVersion = pod.metadata?.resourceVersion;
    else this.known.set(uid, identity(pod));
    await this.deliver(text === undefined ? { kind: 'pod', change, pod } : { kind: 'pod', change, pod, text });
  }

  private async relist(res: Resource): Promise<string | undefined> {
    const list = await this.list<K8sObject>(res);
    if (res === 'pods') {
      const present = new Set(list.items.map((p) => p.metadata?.uid));
      for (const [uid, pod] of [...this.known]) if (!present.has(uid)) await this.onObject('pods', 'DELETED', pod);
    }
    for (const it of list.items) await this.onObject(res, 'MODIFIED', it);
    return list.resourceVersion;
  }

  /**
   * One stream's list-watch, as client-go's reflector: a normal end re-watches at once; every
   * failure, a 410 and a watch the server ends within a second wait the stream's back-off first
   * (retry.ts: 0.8 s doubling to 30 s, jittered, started over after 2 minutes without one). A
   * server answering 410 to every watch re-listed ~2,600 times a second without it.
   */
  private async loop(res: Resource, startRv: string | undefined, signal: AbortSignal): Promise<void> {
    let rv = startRv;
    let needRelist = rv === undefined;
    const backoff = new Backoff({ initialMs: this.timing.backoffBaseMs, maxMs: this.timing.backoffMaxMs }, this.clock);
    let reauthenticated = false;
    /** 410s in a row, without a watch that delivered in between. */
    let goneStreak = 0;
    const progress: { rv: string | undefined } = { rv: undefined };
    const relistLater = async (): Promise<number> => {
      needRelist = true;
      const wait = backoff.next();
      if (++goneStreak === 2 && !this.goneNoticed.has(res)) {
        this.goneNoticed.add(res);
        await this.deliver({ kind: 'notice', message: `the ${res} watch keeps answering 410 Gone: re-listing with back-off (up to every ${Math.round(this.timing.backoffMaxMs / 1000)}s)` });
      }
      return wait;
    };
    while (!signal.aborted) {
      progress.rv = undefined;
      let wait = 0;
      try {
        if (needRelist) {
          rv = await this.relist(res);
          needRelist = false;
        }
        const r = await this.watchOnce(res, rv, signal, progress);
        rv = r.rv;
        if (r.opened) reauthenticated = false;
        if (r.stalled) {
          if (!this.stallNoticed) {
            this.stallNoticed = true;
            await this.deliver({ kind: 'notice', message: `the ${res} watch sent nothing for ${Math.round(this.timing.stallMs / 1000)}s: re-watching` });
          }
          continue;
        }
        if (r.opened) this.recovered(res);
        if (r.gone) wait = await relistLater();
        else {
          if (r.lines > 0) goneStreak = 0;
          // client-go's "very short watch": a server that ends every watch at once is not hammered
          if (r.ms < 1000) wait = backoff.next();
        }
      } catch (e) {
        if (signal.aborted) return;
        // What arrived before the failure is delivered: resume after it, never replay older states
        // (a replay after an in-stream ERROR 500 re-applied a Pending state to a Failed pod).
        if (progress.rv !== undefined) rv = progress.rv;
        const verdict = classify(e, { established: true, reauthenticated });
        if (verdict === 'fatal') throw e;
        if (verdict === 'degrade') wait = await relistLater();
        else if ((e as ApiError).code === 401) reauthenticated = true; // credentials read again (http.ts): once, at once
        else {
          this.trouble(res, e);
          wait = backoff.next((e as ApiError).extra.retryAfterSeconds);
        }
      }
      if (wait > 0) {
        await abortable(wait, signal);
        this.checkNotice();
      }
    }
  }

  private trouble(res: Resource, e: unknown): void {
    this.troubled.add(res);
    this.troubleSince ??= this.clock.now();
    this.lastTrouble = `${res}: ${describeFailure(e)}`;
    this.checkNotice();
  }

  private lastTrouble = '';

  private checkNotice(): void {
    if (this.troubleSince === null || this.troubleNoticed) return;
    if (this.clock.now() - this.troubleSince >= this.timing.noticeAfterMs) {
      this.troubleNoticed = true;
      void this.deliver({ kind: 'notice', message: `watch reconnecting (${this.lastTrouble})` });
    }
  }

  private recovered(res: Resource): void {
    this.troubled.delete(res);
    if (this.troubled.size > 0 || this.troubleSince === null) return;
    if (this.troubleNoticed) void this.deliver({ kind: 'notice', message: 'watch resumed' });
    this.troubleSince = null;
    this.troubleNoticed = false;
  }

  /** One watch request: resolves when the server ends it (or 410 / the signal); throws on failures. */
  private async watchOnce(res: Resource, rv: string | undefined, signal: AbortSignal, progress: { rv: string | undefined } = { rv: undefined }): Promise<{ rv: string | undefined; lines: number; gone: boolean; opened: boolean; ms: number; stalled?: boolean }> {
    const t = this.timing;
    const timeout = Math.max(1, Math.round(t.timeoutSeconds + (this.clock.random() * 2 - 1) * t.jitterSeconds));
    const q: Query = { watch: 'true', resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds: timeout, ...this.selectors(res) };
    const server = this.api.http.server;
    const place = new URL(server.href.replace(/\/$/, '') + corePath(this.scope.namespace, res));
    const local = new AbortController();
    const stop = () => local.abort();
    signal.addEventListener('abort', stop, { once: true });
    // A half-open connection never ends: give up when no byte came for stallMs (armed from the
    // request on, re-armed by every chunk), and at the latest a while after the server should have closed it.
    let stalled = false;
    let stall: NodeJS.Timeout | undefined;
    // restarted on every chunk (hundreds a second at full speed): the same timer, refreshed
    const alive = () => {
      if (stall) return void stall.refresh();
      stall = setTimeout(() => {
        stalled = true;
        stop();
      }, t.stallMs);
    };
    alive();
    const guard = setTimeout(stop, (timeout + 30) * 1000);
    const started = this.clock.now();
    let lines = 0;
    let gone = false;
    let opened = false;
    let lastRv = rv;
    let failure: unknown = null;
    let chain: Promise<void> = Promise.resolve();
    let settle: NodeJS.Timeout | undefined;
    let healthy = false;
    const onLine = (raw: unknown, text: string) => {
      if (gone || failure) return;
      const ev = raw as { type?: string; object?: K8sObject & { code?: number; message?: string; reason?: string; kind?: string } };
      lines++;
      const type = ev?.type;
      const obj = ev?.object;
      if (type === 'ERROR') {
        if (obj?.code === 410) gone = true;
        else {
          // a Status without a usable code is the server's failure (client-go: an InternalError)
          const code = typeof obj?.code === 'number' && obj.code >= 400 && obj.code <= 599 ? obj.code : 500;
          const reason = typeof obj?.reason === 'string' && obj.reason ? obj.reason : 'InternalError';
          const message = typeof obj?.message === 'string' && obj.message ? obj.message : 'watch error';
          failure = new ApiError(code, reason, message, 'watch', res, this.scope.namespace, { url: place.href, server: place.origin });
        }
        local.abort();
        return;
      }
      if (!healthy) {
        // a line that is not an error: the reconnect is over
        healthy = true;
        this.recovered(res);
      }
      const orv = obj?.metadata?.resourceVersion;
      if (type === 'BOOKMARK') {
        if (orv) lastRv = progress.rv = orv;
        return;
      }
      if (!obj || (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED')) return;
      if (orv) lastRv = progress.rv = orv;
      // managedFields and last-applied: never read, half of an event (api.ts); trimLine cut them
      // from the text unless it was in a shape it does not know: then only the object is trimmed
      const whole = !untrimmed(obj);
      chain = chain.then(() => this.onObject(res, type, obj, whole && res === 'pods' ? text : undefined));
    };
    try {
      await this.api.http.getStream(corePath(this.scope.namespace, res), q, onLine, this.info(res, 'watch'), local.signal, () => {
        opened = true;
        // the server took the watch: a reconnect is over even if nothing changes, unless the stream
        // fails at once (an in-stream ERROR after every 200 never said "reconnecting")
        settle = setTimeout(() => this.recovered(res), Math.min(1000, t.noticeAfterMs));
      }, alive, res === 'pods' ? trimPodLine : trimLine); // pods: what the watch never reads is cut too (api.ts POD_CUTS)
    } finally {
      clearTimeout(guard);
      clearTimeout(stall);
      clearTimeout(settle);
      signal.removeEventListener('abort', stop);
    }
    await chain;
    if (failure) throw failure;
    if (stalled && !gone && !signal.aborted) return { rv: lastRv, lines, gone, opened, ms: this.clock.now() - started, stalled: true };
    if (!gone && !signal.aborted && local.signal.aborted) throw new ApiError(0, 'Timeout', 'the watch stream went silent', 'watch', res, this.scope.namespace);
    return { rv: lastRv, lines, gone, opened, ms: this.clock.now() - started };
  }
}
