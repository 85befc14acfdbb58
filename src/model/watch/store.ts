// The watch's evidence store: per pod uid the latest pod and its events, events that came before
// their pod (orphans), deleted pods kept as tombstones, and the retention that lets go of both.
// What is kept is sized by what is live: the last pod as its cut JSON text (off the heap, slab.ts),
// the events by uid, and of a deleted pod only what its late lines and --until read (Tombstone).
// Measured with scripts/bench/watch.ts (5,000 live pods, 100,000 updates).
import type { CoreEvent, EventsV1Event, Pod } from '../k8s.js';
import type { BlockerFinding, VerdictFinding } from '../findings.js';
import type { PodModel } from '../types.js';
import { normalizeEvent } from '../events.js';
import { TextSlab } from './slab.js';
import { NO_BLOCKERS, newIdentity, type Identity, type LateLines, type Names } from './identity.js';

export type AnyEvent = CoreEvent | EventsV1Event;

/** See StoreOptions.retainMs. */
export const RETAIN_MS = 5 * 60 * 1000;
const ORPHAN_EVENT_LIMIT = 200_000;
/** Events kept per pod not tracked yet: a guard against one object's spam, far above a real pod's. */
const ORPHAN_EVENTS_PER_POD = 1000;
/**
 * Bytes (JSON text) of the events held for pods not tracked yet, at most: a count alone let
 * 100 KB messages grow the watch to 3.4 GB and out of heap.
 */
const ORPHAN_BYTE_LIMIT = 64 * 1024 * 1024;
/**
 * Events kept per tracked pod (the latest to arrive; each has printed its occurrence line by
 * then), and their bytes: every update re-derives the pod from all of them, so with no bound the
 * work per event grew with the events held (20,000 events of one pod: ~75 a second at the end).
 * The API server folds a repeated event into one object (count), so a real pod has a few dozen.
 */
export const EVENTS_PER_POD = 256;
export const EVENT_BYTES_PER_POD = 2 * 1024 * 1024;

export interface StoreOptions {
  /**
   * How long (on the `now` clock) events of pods not tracked yet, and deleted pods, are kept: the
   * two watch streams may lag each other by seconds, more when thousands of pods change at once.
   * Sized by time, not by a count of pods, so a burst of any size loses no line (issue 13 #3).
   */
  retainMs?: number;
  /** A memory guard only: events held for untracked pods, at most (the oldest go first). */
  orphanEventLimit?: number;
}

/**
 * One live pod the watch follows: its evidence and what identity.ts needs to tell new lines (the
 * identity's fields are the pod's own: one object per pod, not two).
 */
export interface Tracked extends Identity {
  uid: string;
  namespace: string;
  name: string;
  /**
   * Where the latest pod's JSON text is in the store's TextSlab (-1: none): the watch event's text,
   * cut by sources/api.ts trimPodLine, parsed again only when an event or the clock re-derives the
   * pod. 5,000 live pods as objects (~10 KB each, a few hundred small objects) were most of the
   * heap; as strings (~3 KB, a new one each update) they were most of the collector's work
   * (slab.ts).
   */
  slot: number;
  /** The kept text is a watch event's: the pod is its `object`. */
  wrapped: boolean;
  /** The latest pod's resourceVersion (re-lists bring unchanged or older versions again). */
  rv: string | undefined;
  /** By event uid, oldest first; null until the pod's first event (most pods of a busy watch have none kept). */
  events: Map<string, AnyEvent> | null;
  /** What `events` holds, in bytes of JSON text (eventBytes()). */
  eventBytes: number;
  /** Event versions received since the last diff: each count is one occurrence line (NO_EVENTS: none). */
  fresh: AnyEvent[];
  /** Of the last derivation (a field, not a WeakMap: its get and set were 4% of an update). */
  summary: Summary | null;
}

/** The empty `fresh` of every pod; never written (storeEvent starts a new array). */
export const NO_EVENTS: AnyEvent[] = Object.freeze([]) as unknown as AnyEvent[];

/**
 * A deleted pod, kept retainMs for its late events: what their occurrence lines need (identity.ts
 * LateLines) and what --until reads of it (transitions.ts progress()), nothing else. At full speed
 * thousands of pods are deleted within retainMs: as Tracked objects with their identity they were
 * most of what the watch held beside the live pods (~1.7 KB each, scripts/bench/watch.ts).
 */
export class Tombstone implements LateLines {
  constructor(
    readonly namespace: string,
    readonly name: string,
    public emitted: Set<string> | null,
    readonly names: Names,
    /** Of the last summary: TERMINAL, READY, INITIALIZED, FAILED bits. */
    readonly state: number,
    /** Of the last summary; read (by --until complete) only when the pod was not terminal. */
    readonly status: string,
    /** A Failed pod's verdict (--until complete names why), else null. */
    readonly verdict: VerdictFinding | null,
    /** The open blockers of a pod deleted before it ended (--until complete lists them), else none. */
    readonly blockers: readonly BlockerFinding[],
  ) {}
}
export const TERMINAL = 1;
export const READY = 2;
export const INITIALIZED = 4;
export const FAILED = 8;

/** What --until reads of a summary, as Tombstone.state bits. */
export function stateOf(s: Summary): number {
  const terminal = s.phase === 'Succeeded' || s.phase === 'Failed';
  return (terminal ? TERMINAL : 0) | (s.ready ? READY : 0) | (s.initialized ? INITIALIZED : 0) | (s.phase === 'Failed' ? FAILED : 0);
}

/**
 * What the tracker (transitions.ts) keeps of a pod's last lifecycle: what --until, the clock tick
 * and the timeout's report read. Not the lifecycle itself (timeline, restarts, advice…): kept for
 * 5,000 live pods it was most of the watch's memory (scripts/bench/watch.ts).
 */
export interface Summary {
  phase: PodModel['pod']['phase'];
  status: string;
  initialized: boolean;
  ready: boolean;
  settled: boolean;
  /** Kept for a Failed pod only (--until complete names why): the finding holds its evidence. */
  verdict: VerdictFinding | null;
  /** The `now` it was derived at (ms). */
  at: number;
}

/**
 * One copy of a short string many pods share (namespaces, phases, statuses): each pod's JSON.parse
 * makes its own, and 5,000 live pods and thousands of tombstones kept one each (~30 B apiece). A
 * memory guard clears the table when full (kept strings stay with their pods; only sharing is lost).
 */
const SHARED = new Map<string, string>();
const SHARED_LIMIT = 4096;
export function shared(s: string): string {
  const known = SHARED.get(s);
  if (known !== undefined) return known;
  if (SHARED.size >= SHARED_LIMIT) SHARED.clear();
  if (s.length <= 64) SHARED.set(s, s);
  return s;
}

/** Watch streams and lists may carry anything: only objects are evidence. */
export function isObject<T>(v: T): v is T & object {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function eventUid(e: AnyEvent): string | null {
  const uid = e?.metadata?.uid;
  return typeof uid === 'string' && uid ? uid : null;
}

export function regardingUid(e: AnyEvent): string | null {
  if (!e || typeof e !== 'object') return null;
  const ref = (e as CoreEvent).involvedObject ?? (e as EventsV1Event).regarding;
  return typeof ref?.uid === 'string' && ref.uid ? ref.uid : null;
}

export class EvidenceStore {
  /** Live pods and tombstones, by uid, in the order they were first tracked (progress() lists them so). */
  readonly pods = new Map<string, Tracked | Tombstone>();
  /** Events whose pod is not tracked (yet): a new pod's first events may come before the pod. */
  private readonly orphans = new Map<string, { at: number; events: AnyEvent[]; bytes: number }>();
  private orphanEvents = 0;
  private orphanBytes = 0;
  /** Uids of the tombstones in the order they went, from goneHead on, and when (ms): a queue. */
  private goneUids: string[] = [];
  private goneAt: number[] = [];
  private goneHead = 0;
  private readonly retainMs: number;
  private readonly orphanEventLimit: number;
  /** The live pods' texts (Tracked.slot). */
  private readonly texts = new TextSlab();

  constructor(opts: StoreOptions = {}) {
    this.retainMs = opts.retainMs ?? RETAIN_MS;
    this.orphanEventLimit = opts.orphanEventLimit ?? ORPHAN_EVENT_LIMIT;
  }

  /** Starts following a pod, with the events that came before it (every version, in arrival order). */
  track(pod: Pod): Tracked | null {
    const m = pod.metadata ?? {};
    if (!m.uid) return null;
    const bucket = this.orphans.get(m.uid);
    const early = bucket?.events ?? NO_EVENTS;
    this.orphanEvents -= early.length;
    this.orphanBytes -= bucket?.bytes ?? 0;
    const t: Tracked = { uid: m.uid, namespace: shared(m.namespace ?? ''), name: m.name ?? '', slot: -1, wrapped: false, rv: m.resourceVersion, events: null, eventBytes: 0, fresh: early, summary: null, ...newIdentity() };
    for (const e of early) keepEvent(t, e);
    this.orphans.delete(m.uid);
    this.pods.set(m.uid, t);
    return t;
  }

  /**
   * Keeps the pod given as the latest, or returns the latest kept. `event`: the JSON text of the
   * watch event whose `object` is this pod, kept as is (serialising the pod again was a tenth of
   * the watch's CPU at full speed).
   */
  latestPod(t: Tracked, pod?: Pod, event?: string): Pod {
    if (pod) {
      let text: string;
      try {
        text = event ?? JSON.stringify(pod);
      } catch {
        this.dropText(t); // not JSON (a cycle, a BigInt): never from a watch stream
        return pod;
      }
      t.wrapped = event !== undefined;
      t.slot = this.texts.put(t.slot, text);
      return pod;
    }
    if (t.slot < 0) return {};
    const kept = JSON.parse(this.texts.get(t.slot));
    return (t.wrapped ? kept?.object : kept) ?? {};
  }

  /** Whether a pod's text is kept: something to re-derive it from. */
  hasText(t: Tracked): boolean {
    return t.slot >= 0;
  }

  private dropText(t: Tracked): void {
    if (t.slot >= 0) this.texts.release(t.slot);
    t.slot = -1;
  }

  /** An event for a tracked pod (one more occurrence line to tell), or held until its pod comes. */
  storeEvent(e: AnyEvent, nowMs: number): void {
    const pod = regardingUid(e);
    if (!pod) return;
    const t = this.pods.get(pod);
    if (t instanceof Tombstone) return; // its late events are told by transitions.ts event(), never kept
    if (t) {
      keepEvent(t, e);
      if (t.fresh === NO_EVENTS) t.fresh = [e];
      else t.fresh.push(e);
      return;
    }
    this.expire(nowMs);
    let bucket = this.orphans.get(pod);
    if (!bucket) {
      bucket = { at: nowMs, events: [], bytes: 0 };
      this.orphans.set(pod, bucket);
    }
    const size = eventBytes(e);
    if (bucket.events.length >= ORPHAN_EVENTS_PER_POD || bucket.bytes + size > EVENT_BYTES_PER_POD) return;
    bucket.events.push(e);
    bucket.bytes += size;
    this.orphanEvents++;
    this.orphanBytes += size;
    // the memory guard: drop whole oldest buckets (never the one just written)
    const limit = Math.max(this.orphanEventLimit, 20 * this.pods.size);
    while ((this.orphanEvents > limit || this.orphanBytes > ORPHAN_BYTE_LIMIT) && this.orphans.size > 1) {
      const [uid, old] = this.orphans.entries().next().value!;
      this.orphans.delete(uid);
      this.orphanEvents -= old.events.length;
      this.orphanBytes -= old.bytes;
    }
  }

  /**
   * A pod removed from the API, its last lines told: kept for retainMs so that its late events
   * still print (the events stream may lag the pods stream), as a Tombstone in the pod's place
   * (the uid keeps its position: --until lists pods in the order they came). Its last state is
   * final, so only event occurrence lines can follow: the pod, its events, its marks go. ~1.7 KB as
   * a Tracked, ~120-180 B as a Tombstone after the bench's 100,000 updates (7,100 of them).
   */
  bury(t: Tracked, nowMs: number): void {
    this.dropText(t);
    const sum = t.summary;
    const state = sum ? stateOf(sum) : 0;
    const open = state & TERMINAL ? NO_BLOCKERS : t.blockers;
    this.pods.set(t.uid, new Tombstone(t.namespace, t.name, t.emitted, t.names, state, sum?.status ?? '', sum?.verdict ?? null, open));
    this.goneUids.push(t.uid);
    this.goneAt.push(nowMs);
    this.expire(nowMs);
  }

  /** Lets go of deleted pods and untracked pods' events older than retainMs (both are in time order). */
  expire(nowMs: number): void {
    const cutoff = nowMs - this.retainMs;
    let head = this.goneHead;
    while (head < this.goneUids.length && !(this.goneAt[head] >= cutoff)) this.pods.delete(this.goneUids[head++]);
    if (head > 1024 && head * 2 > this.goneUids.length) {
      this.goneUids = this.goneUids.slice(head);
      this.goneAt = this.goneAt.slice(head);
      head = 0;
    }
    this.goneHead = head;
    for (const [uid, b] of this.orphans) {
      if (b.at >= cutoff) break;
      this.orphans.delete(uid);
      this.orphanEvents -= b.events.length;
      this.orphanBytes -= b.bytes;
    }
  }
}

/**
 * The most-updated copy of each event (by uid: a higher count is a later version), moved to the
 * newest place; then the oldest go while the pod holds more than EVENTS_PER_POD or
 * EVENT_BYTES_PER_POD (the one just kept stays).
 */
function keepEvent(t: Tracked, e: AnyEvent): void {
  const m = (t.events ??= new Map());
  const uid = eventUid(e) ?? `${e.metadata?.namespace}/${e.metadata?.name}`;
  const prev = m.get(uid);
  const count = (x: AnyEvent) => normalizeEvent(x)?.count ?? 1;
  if (prev && count(e) < count(prev)) return;
  if (prev) {
    m.delete(uid);
    t.eventBytes -= eventBytes(prev);
  }
  m.set(uid, e);
  t.eventBytes += eventBytes(e);
  while ((m.size > EVENTS_PER_POD || t.eventBytes > EVENT_BYTES_PER_POD) && m.size > 1) {
    const [oldest, old] = m.entries().next().value!;
    m.delete(oldest);
    t.eventBytes -= eventBytes(old);
  }
}

/** Sizes measured once per event object (its JSON text's length: what the stream sent for it). */
const SIZES = new WeakMap<object, number>();
function eventBytes(e: AnyEvent): number {
  let n = SIZES.get(e);
  if (n === undefined) {
    try {
      n = JSON.stringify(e)?.length ?? 0;
    } catch {
      n = 0;
    }
    SIZES.set(e, n);
  }
  return n;
}

/**
 * resourceVersions are opaque, but one object's versions only grow (etcd revisions): compared only
 * when both are plain decimal numbers, as every API server writes them.
 */
export function olderVersion(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d{1,30}$/.test(a) || !/^\d{1,30}$/.test(b)) return false;
  return BigInt(a) < BigInt(b);
}
