// `watch` as a pure model: keep per pod the latest evidence (pod object + events by uid), re-derive
// the lifecycle with describePod on every update, and return the lines not returned before.
// Identity of a line never depends on an estimated time, so re-lists, reconnects and evidence that
// arrives in another order (pods and events are two streams) never print a line twice:
//  - container starts/ends: container + type + second (instances are ≥10 s apart: back-off);
//    an event-sourced start and the status start of the same instance may straddle a second;
//  - StartupSucceeded: container + instance (restart count); Ready/NotReady: a per-instance flip;
//  - pod conditions: type + lastTransitionTime; Scheduled, DeletionRequested, PodCompleted: once;
//  - event-sourced marks (Pulling … ProbeFailed): one line per occurrence, event uid + count;
//  - blockers: code + container, printed when they appear and when they clear.
// No clock: `now` comes with every call.
import { describePod } from './describe.js';
import { normalizeEvent } from './events.js';
import type { CoreEvent, EventsV1Event, Pod, ServerVersion } from './k8s.js';
import { ms } from './time.js';
import { probePhrase } from './timeline.js';
import type { Blocker, BlockerCode, ContainerKind, PodLifecycle, SourceState, Termination, TimelineEntry, TimelineSource, TimelineType } from './types.js';

export type WatchLineType = TimelineType | 'State' | 'Blocker' | 'Termination' | 'PodDeleted';
export type WatchCondition = 'initialized' | 'ready' | 'complete' | 'deleted';

/** One printed line: the contract's {time, namespace, pod, container, type, detail, source} plus extras. */
export interface WatchLine {
  time: string;
  namespace: string;
  pod: string;
  container: string | null;
  type: WatchLineType;
  detail: string;
  source: TimelineSource | 'watch';
  kind?: ContainerKind;
  /** The time is inferred (TimelineEntry.estimate). */
  estimate?: { basis: string };
  // Blocker lines
  code?: BlockerCode;
  since?: string | null;
  message?: string;
  cleared?: boolean;
  // State lines (the compact current state printed first)
  state?: string;
  ready?: boolean | string | null;
  restarts?: number;
  // Termination lines
  trigger?: Termination['trigger'];
  order?: string[];
  ordered?: boolean;
  violations?: Termination['violations'];
  killed?: string[];
}

type AnyEvent = CoreEvent | EventsV1Event;

/**
 * What the tracker keeps of the last lifecycle: what --until, the clock tick and the timeout's
 * report read. Not the lifecycle itself (timeline, restarts, advice…): kept for 5,000 live pods it
 * was most of the watch's memory (scripts/bench/watch.ts).
 */
interface Summary {
  phase: PodLifecycle['pod']['phase'];
  status: string;
  initialized: boolean;
  ready: boolean;
  settled: boolean;
  verdict: string;
}

interface Tracked {
  uid: string;
  namespace: string;
  name: string;
  /**
   * The latest pod as JSON text in a Buffer, parsed again only when an event or the clock re-derives
   * it; null once the pod is deleted (a tombstone: see deleted()). 5,000 live pods as objects (~10 KB
   * each, a few hundred small objects) were most of the heap, and every update promoted one to the
   * old generation, which V8 let grow to 3 times what was live; as strings the old generation still
   * fragmented to 3 times (~170 MB of ~50 MB live); outside the heap it stays near what is live
   * (scripts/bench/watch.ts).
   */
  json: Buffer | null;
  /** The latest pod's resourceVersion (re-lists bring unchanged or older versions again). */
  rv: string | undefined;
  events: Map<string, AnyEvent>;
  /** Event versions received since the last diff: each count is one occurrence line. */
  fresh: AnyEvent[];
  emitted: Set<string>;
  /** Seconds of the printed starts/ends per container and type, for the ±1 s instance match. */
  marks: Map<string, number[]>;
  readiness: Map<string, string>;
  blockers: Map<string, Blocker>;
  summarized: boolean;
  deleted: boolean;
  sum: Summary | null;
  /** Container kinds of the last lifecycle: a deleted pod's late event lines still carry them. */
  kinds: Map<string, ContainerKind>;
}

export interface TrackerOptions {
  version?: ServerVersion | null;
  /** Events source state for the model (forbidden when the events watch is refused). */
  events?: SourceState;
  /** Use max(now, the latest time in the evidence) as now: replays and fixed --now follow the evidence. */
  followEvidence?: boolean;
  /**
   * How long (on the `now` clock) events of pods not tracked yet, and deleted pods, are kept: the
   * two watch streams may lag each other by seconds, more when thousands of pods change at once.
   * Sized by time, not by a count of pods, so a burst of any size loses no line (issue 13 #3).
   */
  retainMs?: number;
  /** A memory guard only: events held for untracked pods, at most (the oldest go first). */
  orphanEventLimit?: number;
  /**
   * seed() returns each pod's history so far (every timeline entry, as transition lines) instead
   * of the compact state: for `-o json`, whose consumers get only contract line types.
   */
  history?: boolean;
}

/** See TrackerOptions.retainMs. */
export const RETAIN_MS = 5 * 60 * 1000;
const ORPHAN_EVENT_LIMIT = 200_000;

const EVENT_TYPES: Record<string, TimelineType> = {
  Pulling: 'Pulling', Pulled: 'Pulled', Created: 'Created', Killing: 'Killing', BackOff: 'BackOff', Unhealthy: 'ProbeFailed',
};
const FROM_EVENTS = new Set<TimelineType>(Object.values(EVENT_TYPES));
const ONCE = new Set<TimelineType>(['Scheduled', 'DeletionRequested', 'PodCompleted']);

const second = (t: string | null | undefined): number | null => {
  const v = ms(t);
  return v === null ? null : Math.floor(v / 1000);
};
const later = (a: string | null, b: string | null | undefined): string | null => (b && (ms(b) ?? -Infinity) > (ms(a) ?? -Infinity) ? b : a);

/** Watch streams and lists may carry anything: only objects are evidence. */
function isObject<T>(v: T): v is T & object {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function eventUid(e: AnyEvent): string | null {
  const uid = e?.metadata?.uid;
  return typeof uid === 'string' && uid ? uid : null;
}

function regardingUid(e: AnyEvent): string | null {
  if (!e || typeof e !== 'object') return null;
  const ref = (e as CoreEvent).involvedObject ?? (e as EventsV1Event).regarding;
  return typeof ref?.uid === 'string' && ref.uid ? ref.uid : null;
}

/** The latest time an object states (never deletionTimestamp: it lies in the future by the grace period). */
export function evidenceTime(obj: Pod | AnyEvent): string | null {
  let best: string | null = null;
  const o = obj as Record<string, any>;
  if (o?.involvedObject || o?.regarding || o?.reason) {
    for (const k of ['firstTimestamp', 'lastTimestamp', 'eventTime', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp']) best = later(best, typeof o[k] === 'string' ? o[k] : null);
    best = later(best, o.series?.lastObservedTime);
    return best;
  }
  const p = obj as Pod;
  best = later(best, p.metadata?.creationTimestamp);
  const s = p.status ?? {};
  const arr = <T>(v: T[] | null | undefined): T[] => (Array.isArray(v) ? v : []);
  for (const c of arr(s.conditions)) best = later(best, c?.lastTransitionTime);
  for (const list of [s.initContainerStatuses, s.containerStatuses, s.ephemeralContainerStatuses]) {
    for (const c of arr(list)) {
      best = later(best, c?.state?.running?.startedAt);
      best = later(best, c?.state?.terminated?.startedAt);
      best = later(best, c?.state?.terminated?.finishedAt);
      best = later(best, c?.lastState?.terminated?.finishedAt);
    }
  }
  return best;
}

function summarize(lc: PodLifecycle): Summary {
  const cond = (t: string) => lc.pod.conditions.find((c) => c.type === t)?.status === 'True';
  return { phase: lc.pod.phase, status: lc.pod.status, initialized: cond('Initialized'), ready: cond('Ready'), settled: settled(lc), verdict: lc.verdict.summary };
}

/** Has the pod reached the --until condition? */
function reached(s: Summary, cond: WatchCondition, deleted: boolean): boolean {
  const terminal = s.phase === 'Succeeded' || s.phase === 'Failed';
  switch (cond) {
    case 'deleted': return deleted;
    case 'complete': return terminal;
    case 'ready': return s.ready;
    case 'initialized': return s.initialized || terminal;
  }
}

export class WatchTracker {
  private readonly pods = new Map<string, Tracked>();
  /** Events whose pod is not tracked (yet): a new pod's first events may come before the pod. */
  private readonly orphans = new Map<string, { at: number; events: AnyEvent[] }>();
  private orphanEvents = 0;
  /** Deleted pods, by uid, with when they went (insertion order is time order). */
  private readonly gone = new Map<string, number>();
  private latest: string | null = null;
  private readonly opts: Required<Omit<TrackerOptions, 'version'>> & { version: ServerVersion | null };

  constructor(opts: TrackerOptions = {}) {
    this.opts = { version: opts.version ?? null, events: opts.events ?? 'ok', followEvidence: !!opts.followEvidence, retainMs: opts.retainMs ?? RETAIN_MS, orphanEventLimit: opts.orphanEventLimit ?? ORPHAN_EVENT_LIMIT, history: !!opts.history };
  }

  setEventsState(s: SourceState): void {
    this.opts.events = s;
  }

  /** The initial lists: the compact state of each pod (and its current blockers), history absorbed; or, with `history`, that history. */
  seed(pods: Pod[], events: AnyEvent[], now: string): WatchLine[] {
    for (const e of (Array.isArray(events) ? events : []).filter(isObject)) this.storeEvent(e, now);
    const out: WatchLine[] = [];
    for (const pod of (Array.isArray(pods) ? pods : []).filter(isObject)) {
      const t = this.track(pod);
      if (!t) continue;
      this.note(pod);
      const at = this.now(now);
      const lc = this.derive(t, at, pod);
      // Everything that exists now is marked printed; only its blockers and a finished pod's
      // termination summary are shown beside the compact state.
      const all = this.diff(t, lc, at);
      if (this.opts.history) out.push(...all);
      else out.push(...stateLines(t, lc, at), ...all.filter((l) => l.type === 'Blocker' || l.type === 'Termination'));
    }
    return out;
  }

  /** A pod added or modified (watch event, or a re-list). */
  pod(pod: Pod, now: string): WatchLine[] {
    if (!isObject(pod)) return [];
    const uid = pod.metadata?.uid;
    if (!uid || this.gone.has(uid)) return [];
    this.note(pod);
    const known = this.pods.get(uid);
    // A re-list brings unchanged objects again: no new evidence, nothing to re-judge.
    const rv = pod.metadata?.resourceVersion;
    if (known && rv && known.rv === rv) return [];
    // An older state of a pod already seen (a lagging re-list) is no news: the status only moves on.
    if (known && olderVersion(rv, known.rv)) return [];
    const t = known ?? this.track(pod);
    if (!t) return [];
    t.rv = rv;
    const at = this.now(now);
    return this.diff(t, this.derive(t, at, pod), at);
  }

  /** A pod removed from the API: its last state, its termination summary, then the deletion. */
  deleted(pod: Pod, now: string): WatchLine[] {
    if (!isObject(pod)) return [];
    const uid = pod.metadata?.uid;
    if (!uid || this.gone.has(uid)) return [];
    const t = this.pods.get(uid) ?? this.track(pod);
    if (!t) return [];
    t.deleted = true;
    this.note(pod);
    const at = this.now(now);
    // A pod found gone by a re-list has no final object (sources/watch.ts passes what identifies
    // it): its last known state is its last state.
    const last = isObject(pod.status) || isObject(pod.spec) || !t.json ? pod : undefined;
    const out = this.diff(t, this.derive(t, at, last), at);
    out.push({ time: at, namespace: t.namespace, pod: t.name, container: null, type: 'PodDeleted', detail: 'the pod object was removed', source: 'watch' });
    // Kept for retainMs so that its late events still print (the events stream may lag the pods
    // stream), as a tombstone: its last state is printed and final, so only event occurrence lines
    // can follow, and all they need is the keys of those already printed and the container kinds.
    // At full speed thousands of pods are deleted within retainMs: their pod objects, events and
    // other keys were most of the watch's memory (scripts/bench/watch.ts).
    t.json = null;
    t.events = new Map();
    t.fresh = [];
    t.marks = new Map();
    t.readiness = new Map();
    for (const k of t.emitted) if (!k.startsWith('ev|')) t.emitted.delete(k);
    this.gone.set(uid, ms(at) ?? 0);
    this.expire(at);
    return out;
  }

  /** An event added or updated. */
  event(e: AnyEvent, now: string): WatchLine[] {
    const pod = regardingUid(e);
    if (!pod) return [];
    this.note(e);
    const t = this.pods.get(pod);
    const uid = eventUid(e);
    const rv = e.metadata?.resourceVersion;
    if (t && uid && rv && t.events.get(uid)?.metadata?.resourceVersion === rv) return []; // re-listed, unchanged
    if (t && t.deleted) return occurrences(t, [e], this.now(now)).map((x) => x.line); // a deleted pod's late event
    this.storeEvent(e, now);
    if (!t) return [];
    const at = this.now(now);
    return this.diff(t, this.derive(t, at), at);
  }

  /** Re-evaluate every live pod at a new now (time-driven blockers: overdue, not exiting, warm-up). */
  tick(now: string): WatchLine[] {
    const out: WatchLine[] = [];
    const at = this.now(now);
    this.expire(at);
    for (const t of this.pods.values()) {
      // Only time can change a pod between updates, and time changes nothing of a settled one
      // (Healthy or Completed, no blocker): re-deriving it every tick is wasted work (measured: it is
      // not what makes the watch bench's p99, the heap's full collections are).
      if (t.deleted || t.sum?.settled) continue;
      out.push(...this.diff(t, this.derive(t, at), at));
    }
    return out;
  }

  /** Pods that have not reached the condition, with their blockers; done when none is left (and some pod was seen). */
  progress(cond: WatchCondition): { done: boolean; pending: { namespace: string; pod: string; status: string; blockers: Blocker[] }[]; failed: { namespace: string; pod: string; summary: string }[] } {
    const pending: { namespace: string; pod: string; status: string; blockers: Blocker[] }[] = [];
    const failed: { namespace: string; pod: string; summary: string }[] = [];
    let counted = 0;
    for (const t of this.pods.values()) {
      if (!t.sum) continue;
      const ok = reached(t.sum, cond, t.deleted);
      // A pod deleted before it got ready or initialized no longer matches: it does not hold the wait.
      if (t.deleted && !ok && (cond === 'ready' || cond === 'initialized')) continue;
      counted++;
      if (!ok) pending.push({ namespace: t.namespace, pod: t.name, status: t.sum.status, blockers: [...t.blockers.values()] });
      else if (t.sum.phase === 'Failed') failed.push({ namespace: t.namespace, pod: t.name, summary: t.sum.verdict });
    }
    return { done: pending.length === 0 && (counted > 0 || cond === 'deleted'), pending, failed };
  }

  /** Lines saying what still blocks each pending pod (printed when --until times out). */
  blockersNow(cond: WatchCondition, now: string): WatchLine[] {
    const at = this.now(now);
    const out: WatchLine[] = [];
    for (const p of this.progress(cond).pending) {
      const t = [...this.pods.values()].find((x) => x.namespace === p.namespace && x.name === p.pod)!;
      for (const b of p.blockers) out.push(blockerLine(t, b, at, false));
    }
    return out;
  }

  // ---------------------------------------------------------------- internals

  private now(now: string): string {
    if (!this.opts.followEvidence || !this.latest) return now;
    return (ms(this.latest) ?? 0) > (ms(now) ?? 0) ? this.latest : now;
  }

  private note(obj: Pod | AnyEvent): void {
    // only a clock that follows the evidence reads it (~5% of an update otherwise)
    if (this.opts.followEvidence) this.latest = later(this.latest, evidenceTime(obj));
  }

  private track(pod: Pod): Tracked | null {
    const m = pod.metadata ?? {};
    if (!m.uid) return null;
    // Events that came before their pod: every version of them, in arrival order.
    const early = this.orphans.get(m.uid)?.events ?? [];
    this.orphanEvents -= early.length;
    const t: Tracked = {
      uid: m.uid, namespace: m.namespace ?? '', name: m.name ?? '', json: null, rv: m.resourceVersion,
      events: new Map(), fresh: early, emitted: new Set(), marks: new Map(), readiness: new Map(), blockers: new Map(),
      summarized: false, deleted: false, sum: null, kinds: new Map(),
    };
    for (const e of early) putEvent(t.events, e);
    this.orphans.delete(m.uid);
    this.pods.set(m.uid, t);
    return t;
  }

  private storeEvent(e: AnyEvent, now: string): void {
    const pod = regardingUid(e);
    if (!pod) return;
    const t = this.pods.get(pod);
    if (t) {
      putEvent(t.events, e);
      t.fresh.push(e);
      return;
    }
    const at = ms(this.now(now)) ?? 0;
    this.expire(this.now(now));
    let bucket = this.orphans.get(pod);
    if (!bucket) {
      bucket = { at, events: [] };
      this.orphans.set(pod, bucket);
    }
    if (bucket.events.length >= 1000) return;
    bucket.events.push(e);
    this.orphanEvents++;
    // the memory guard: drop whole oldest buckets (never the one just written)
    const limit = Math.max(this.opts.orphanEventLimit, 20 * this.pods.size);
    while (this.orphanEvents > limit && this.orphans.size > 1) {
      const [uid, old] = this.orphans.entries().next().value!;
      this.orphans.delete(uid);
      this.orphanEvents -= old.events.length;
    }
  }

  /** Lets go of deleted pods and untracked pods' events older than retainMs (both maps are in time order). */
  private expire(now: string): void {
    const cutoff = (ms(now) ?? 0) - this.opts.retainMs;
    for (const [uid, at] of this.gone) {
      if (at >= cutoff) break;
      this.gone.delete(uid);
      this.pods.delete(uid);
    }
    for (const [uid, b] of this.orphans) {
      if (b.at >= cutoff) break;
      this.orphans.delete(uid);
      this.orphanEvents -= b.events.length;
    }
  }

  /** The lifecycle of the pod given (then kept as the latest), or of the latest kept. */
  private derive(t: Tracked, now: string, pod?: Pod): PodLifecycle {
    if (pod) {
      try {
        t.json = Buffer.from(JSON.stringify(pod));
      } catch {
        t.json = null; // not JSON (a cycle, a BigInt): never from a watch stream
      }
    }
    else pod = t.json ? (JSON.parse(t.json.toString()) as Pod) : {};
    const lc = describePod({ pod, events: [...t.events.values()], logs: {}, sources: { events: this.opts.events, logs: 'skipped' } }, { now, version: this.opts.version });
    t.sum = summarize(lc);
    t.kinds = new Map(lc.containers.map((c) => [c.name, c.kind]));
    return lc;
  }

  /** The lines of this lifecycle not printed before (and the blockers that cleared). */
  private diff(t: Tracked, lc: PodLifecycle, now: string): WatchLine[] {
    const lines: { line: WatchLine; at: number; i: number }[] = [];
    const add = (line: WatchLine) => lines.push({ line, at: ms(line.time) ?? Infinity, i: lines.length });
    const kinds = new Map(lc.containers.map((c) => [c.name, c]));
    const base = (e: TimelineEntry): WatchLine => {
      const kind = e.container ? kinds.get(e.container)?.kind : undefined;
      return { time: e.time, namespace: t.namespace, pod: t.name, container: e.container, type: e.type, detail: e.detail, source: e.source, ...(kind ? { kind } : {}), ...(e.estimate ? { estimate: e.estimate } : {}) };
    };

    for (const e of lc.timeline) {
      if (FROM_EVENTS.has(e.type)) continue; // one line per occurrence, below
      const c = e.container;
      const sec = second(e.time);
      if (c && (e.type === 'Started' || e.type === 'Terminated')) {
        const markKey = `${c}|${e.type}`;
        const marks = t.marks.get(markKey) ?? [];
        // Same instance: the same second, or an event start and the status start one second apart.
        const near = marks.some((s) => sec !== null && Math.abs(s - sec) <= 1);
        if (near || sec === null) continue;
        marks.push(sec);
        t.marks.set(markKey, marks);
        add(base(e));
        continue;
      }
      if (c && e.type === 'StartupSucceeded') {
        const key = `${c}|StartupSucceeded|${kinds.get(c)?.restartCount ?? 0}`;
        if (t.emitted.has(key)) continue;
        t.emitted.add(key);
        add(base(e));
        continue;
      }
      if (c && (e.type === 'Ready' || e.type === 'NotReady')) {
        const state = `${kinds.get(c)?.restartCount ?? 0}|${e.type}`;
        const same = `${c}|${e.type}|${e.time}`; // the very same mark, re-derived after a flip elsewhere
        if (t.readiness.get(c) === state || t.emitted.has(same)) continue;
        t.readiness.set(c, state);
        t.emitted.add(same);
        add(base(e));
        continue;
      }
      const key = ONCE.has(e.type) ? `pod|${e.type}` : `pod|${e.type}|${sec}`;
      if (t.emitted.has(key)) continue;
      t.emitted.add(key);
      add(base(e));
    }

    const fresh = t.fresh;
    t.fresh = [];
    for (const x of occurrences(t, fresh, now)) add(x.line);

    const out = lines.sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.line);

    // Blockers: appear and clear (stamped now, the moment the evidence showed it).
    const open = new Map(lc.blockers.map((b) => [`${b.code}|${b.container ?? ''}`, b]));
    for (const [key, b] of t.blockers) if (!open.has(key)) out.push(blockerLine(t, b, now, true));
    for (const [key, b] of open) if (!t.blockers.has(key)) out.push(blockerLine(t, b, now, false));
    t.blockers = open;

    // The termination order, once, when the pod is over (completed, or removed).
    const term = lc.termination;
    const terminal = lc.pod.phase === 'Succeeded' || lc.pod.phase === 'Failed';
    if (!t.summarized && term && (t.deleted || (terminal && !(term.running ?? []).length))) {
      t.summarized = true;
      out.push(terminationLine(t, term, now));
    }
    return out;
  }
}

/**
 * resourceVersions are opaque, but one object's versions only grow (etcd revisions): compared only
 * when both are plain decimal numbers, as every API server writes them.
 */
function olderVersion(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b || !/^\d{1,30}$/.test(a) || !/^\d{1,30}$/.test(b)) return false;
  return BigInt(a) < BigInt(b);
}

/** One line per new occurrence of an event the contract shows (event uid + count: printed once). */
function occurrences(t: Tracked, events: AnyEvent[], now: string): { line: WatchLine }[] {
  const out: { line: WatchLine }[] = [];
  for (const ev of events) {
    const n = normalizeEvent(ev);
    const type = n && EVENT_TYPES[n.reason];
    if (!n || !type || !n.container) continue;
    const key = `ev|${n.key}|${n.count}`;
    if (t.emitted.has(key)) continue;
    t.emitted.add(key);
    const time = (n.count > 1 ? n.lastTime : n.firstTime) ?? n.firstTime ?? now;
    const what = type === 'ProbeFailed' || (type === 'BackOff' && !/^Back-off restarting/i.test(n.message)) ? probePhrase(n.message)
      : type === 'BackOff' ? 'back-off restarting failed container' : n.message;
    const kind = t.kinds.get(n.container);
    out.push({ line: { time, namespace: t.namespace, pod: t.name, container: n.container, type, detail: `${what}${n.count > 1 ? ` (×${n.count})` : ''}`, source: 'event', ...(kind ? { kind } : {}) } });
  }
  return out;
}

/** Nothing time-driven can change: Healthy or Completed, no blocker, not being deleted. */
function settled(lc: PodLifecycle): boolean {
  return (lc.verdict?.state === 'Healthy' || lc.verdict?.state === 'Completed') && !lc.blockers.length && !lc.pod.deletionTimestamp;
}

function putEvent(m: Map<string, AnyEvent>, e: AnyEvent): void {
  const uid = eventUid(e) ?? `${e.metadata?.namespace}/${e.metadata?.name}`;
  const prev = m.get(uid);
  const count = (x: AnyEvent) => normalizeEvent(x)?.count ?? 1;
  if (!prev || count(e) >= count(prev)) m.set(uid, e);
}

function blockerLine(t: Tracked, b: Blocker, now: string, cleared: boolean): WatchLine {
  return {
    time: now, namespace: t.namespace, pod: t.name, container: b.container, type: 'Blocker',
    detail: cleared ? `${b.code} cleared` : `${b.code}: ${b.message}`, source: 'watch',
    code: b.code, since: b.since, message: b.message, ...(cleared ? { cleared: true } : {}),
  };
}

function terminationLine(t: Tracked, term: Termination, now: string): WatchLine {
  let end: string | null = null;
  for (const c of term.containers) end = later(end, c.finishedAt);
  const order = term.order.length ? term.order.join(' → ') : 'no container ran';
  const how = term.serverPromise === 'unordered' ? 'the server (<1.29) does not order termination'
    : term.ordered ? 'apps first, sidecars in reverse order' : `out of order: ${term.violations.map((v) => v.message).join('; ')}`;
  const killed = term.killed.length ? `; SIGKILLed at the end of the grace period: ${term.killed.join(', ')}` : '';
  const running = term.running?.length ? `; still running when removed: ${term.running.join(', ')}` : '';
  return {
    time: end ?? now, namespace: t.namespace, pod: t.name, container: null, type: 'Termination',
    detail: `${term.trigger === 'deletion' ? 'deleted' : 'completed'}: ${order} (${how})${killed}${running}`, source: 'status',
    trigger: term.trigger, order: term.order, ordered: term.ordered, violations: term.violations, killed: term.killed,
  };
}

function stateLines(t: Tracked, lc: PodLifecycle, now: string): WatchLine[] {
  const p = lc.pod;
  const out: WatchLine[] = [{
    time: now, namespace: t.namespace, pod: t.name, container: null, type: 'State',
    detail: `${p.status}, READY ${p.ready}, RESTARTS ${p.restarts}${p.deletionTimestamp && p.status !== 'Terminating' ? ', terminating' : ''}`, source: 'status',
    state: p.phase, ready: p.ready, restarts: p.restarts,
  }];
  for (const c of lc.containers) {
    const parts: string[] = [c.state + (c.reason ? ` (${c.reason}${c.exitCode !== null && c.state === 'terminated' ? `, exit ${c.exitCode}` : ''})` : '')];
    if (c.kind === 'sidecar' && c.started !== null) parts.push(c.started ? 'started' : 'not started');
    if (c.ready !== null && c.kind !== 'init') parts.push(c.ready ? 'ready' : 'not ready');
    if (c.restartCount) parts.push(`${c.restartCount} restart${c.restartCount > 1 ? 's' : ''}`);
    // The events stream may be ahead of the status (the kubelet publishes status in batches): say
    // what the events already tell, since those marks count as printed from here on.
    const ahead = lc.timeline.filter((e) => e.container === c.name && e.source === 'event' && (ms(e.time) ?? 0) > (ms(c.startedAt) ?? 0)).pop();
    if (ahead && c.state !== 'running') parts.push(`events already say ${ahead.type} at ${ahead.time.slice(11, 19)}Z`);
    out.push({
      time: c.startedAt ?? now, namespace: t.namespace, pod: t.name, container: c.name, type: 'State', detail: parts.join(', '), source: 'status',
      kind: c.kind, state: c.state, ready: c.ready, restarts: c.restartCount,
    });
  }
  return out;
}
