// Which watch lines are new. The lifecycle is re-derived on every update; a line is printed once.
// Identity of a line never depends on an estimated time nor on a sentence, so re-lists, reconnects
// and evidence that arrives in another order (pods and events are two streams) never print a line
// twice:
//  - container starts/ends: container + type + second (instances are ≥10 s apart: back-off);
//    an event-sourced start and the status start of the same instance may straddle a second;
//  - StartupSucceeded: container + instance (restart count); Ready/NotReady: a per-instance flip,
//    and never the very same mark twice (its type and time);
//  - pod conditions: type + lastTransitionTime; Scheduled, DeletionRequested, PodCompleted: once;
//  - event-sourced marks (Pulling … ProbeFailed): one line per occurrence, event uid + count;
//  - blockers: code + container, printed when they appear and when they clear;
//  - the termination order: once, when the pod is over (completed, or removed).
import { normalizeEvent } from '../events.js';
import type { CoreEvent, EventsV1Event } from '../k8s.js';
import { ms, preciseKey, secondOf } from '../time.js';
import { EVENT_TYPES, eventType } from '../timeline.js';
import type { BlockerFinding } from '../findings.js';
import type { ContainerKind, PodModel, TimelineFact, TimelineType } from '../types.js';
import type { BlockerFact, OccurrenceFact, TerminationFact, WatchFact } from './facts.js';

/**
 * What has been printed of one pod. Numbers in small arrays per container and per type, not
 * string keys in one Set: a key built on every update for every timeline entry, then hashed, was
 * the most of telling new lines at full speed (scripts/bench/watch.ts CPU profile), and the five
 * Maps a pod held were most of a tombstone's memory.
 */
export interface Identity {
  /** Keys of printed event occurrences (event key + count). */
  emitted: Set<string>;
  /** Pod-level marks printed: seconds per type (ONCE types: ONCE_MARK). */
  pod: Map<TimelineType, number[]>;
  /** Per container: its kind (a deleted pod's late event lines still carry it) and its printed marks. */
  containers: Map<string, ContainerMarks>;
  /** Open blockers by code + container (the last derived ones: a cleared line repeats them). */
  blockers: Map<string, BlockerFinding>;
  summarized: boolean;
}

export interface ContainerMarks {
  kind: ContainerKind | undefined;
  /** Seconds of the printed starts / ends, for the ±1 s instance match. */
  started: number[];
  terminated: number[];
  /** Restart counts (instances) whose StartupSucceeded was printed. */
  startup: number[];
  /** Ready / NotReady marks printed, by their time (the very same mark, re-derived after a flip elsewhere). */
  ready: number[];
  notReady: number[];
  /** The instance and type of the last readiness flip printed. */
  flip: { restarts: number; type: TimelineType } | null;
}

export interface PodName {
  namespace: string;
  name: string;
}

export function newIdentity(): Identity {
  return { emitted: new Set(), pod: new Map(), containers: new Map(), blockers: new Map(), summarized: false };
}

/** A ONCE mark's "second": one per pod whatever its time. */
const ONCE_MARK = -1;

function container(id: Identity, name: string): ContainerMarks {
  let r = id.containers.get(name);
  if (!r) {
    r = { kind: undefined, started: [], terminated: [], startup: [], ready: [], notReady: [], flip: null };
    id.containers.set(name, r);
  }
  return r;
}

/**
 * Never written: a tombstone's marks (newFacts never runs for a deleted pod, only occurrences),
 * shared by all of them; frozen, so a write would throw rather than leak into another pod.
 */
const NONE: number[] = Object.freeze([]) as unknown as number[];
const NO_POD_MARKS: Map<TimelineType, number[]> = new Map();

/** A deleted pod's last lines are told: only event occurrences can follow, keep their keys and the kinds. */
export function tombstone(id: Identity): void {
  id.pod = NO_POD_MARKS;
  const kinds = new Map<string, ContainerMarks>();
  for (const [name, r] of id.containers) kinds.set(name, { kind: r.kind, started: NONE, terminated: NONE, startup: NONE, ready: NONE, notReady: NONE, flip: null });
  id.containers = kinds;
}

/** The event reasons the contract prints as lines, one per occurrence (timeline.ts's one map). */
const FROM_EVENTS = new Set<TimelineType>(Object.values(EVENT_TYPES));
const ONCE = new Set<TimelineType>(['Scheduled', 'DeletionRequested', 'PodCompleted']);

/**
 * The facts of this lifecycle not returned before (and the blockers that cleared), in time order
 * (blockers and the termination summary last, stamped now). `fresh`: event versions received
 * since the last call. `over`: the pod was removed (its termination is told whatever the phase).
 */
export function newFacts(id: Identity, pod: PodName, lc: PodModel, fresh: (CoreEvent | EventsV1Event)[], now: string, over: boolean): WatchFact[] {
  for (const c of lc.containers) {
    const r = container(id, c.name);
    if (r.kind !== c.kind) r.kind = c.kind;
  }
  const facts: { f: WatchFact; at: number; i: number }[] = [];
  const add = (f: WatchFact) => facts.push({ f, at: ms(f.time) ?? Infinity, i: facts.length });
  const restartsOf = (name: string) => lc.containers.find((c) => c.name === name)?.restartCount ?? 0;
  const mark = (e: TimelineFact): WatchFact => {
    const kind = e.container ? id.containers.get(e.container)?.kind : undefined;
    return { fact: 'mark', time: e.time, namespace: pod.namespace, pod: pod.name, container: e.container, type: e.type, ...(kind ? { kind } : {}), entry: e };
  };

  for (const e of lc.timeline) {
    if (FROM_EVENTS.has(e.type)) continue; // one line per occurrence, below
    const c = e.container;
    const sec = secondOf(e.time);
    if (c && (e.type === 'Started' || e.type === 'Terminated')) {
      const r = container(id, c);
      const marks = e.type === 'Started' ? r.started : r.terminated;
      // Same instance: the same second, or an event start and the status start one second apart.
      if (sec === null || marks.some((s) => Math.abs(s - sec) <= 1)) continue;
      marks.push(sec);
      add(mark(e));
      continue;
    }
    if (c && e.type === 'StartupSucceeded') {
      const r = container(id, c);
      const instance = restartsOf(c);
      if (r.startup.includes(instance)) continue;
      r.startup.push(instance);
      add(mark(e));
      continue;
    }
    if (c && (e.type === 'Ready' || e.type === 'NotReady')) {
      const r = container(id, c);
      const instance = restartsOf(c);
      const at = preciseKey(e.time);
      const same = e.type === 'Ready' ? r.ready : r.notReady;
      if ((r.flip && r.flip.restarts === instance && r.flip.type === e.type) || same.includes(at)) continue;
      r.flip = { restarts: instance, type: e.type };
      same.push(at);
      add(mark(e));
      continue;
    }
    const at = ONCE.has(e.type) ? ONCE_MARK : (sec ?? NaN); // includes() finds NaN: an unreadable time once
    let seen = id.pod.get(e.type);
    if (seen?.includes(at)) continue;
    if (!seen) id.pod.set(e.type, (seen = []));
    seen.push(at);
    add(mark(e));
  }
  for (const f of occurrences(id, pod, fresh, now)) add(f);

  const out = facts.sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.f);

  // Blockers: appear and clear (stamped now, the moment the evidence showed it).
  if (lc.blockers.length || id.blockers.size) {
    const open = new Map(lc.blockers.map((b) => [`${b.code}|${b.container ?? ''}`, b]));
    for (const [key, b] of id.blockers) if (!open.has(key)) out.push(blockerFact(pod, b, now, true));
    for (const [key, b] of open) if (!id.blockers.has(key)) out.push(blockerFact(pod, b, now, false));
    id.blockers = open;
  }

  const term = lc.termination;
  const terminal = lc.pod.phase === 'Succeeded' || lc.pod.phase === 'Failed';
  if (!id.summarized && term && (over || (terminal && !(term.running ?? []).length))) {
    id.summarized = true;
    let end: string | null = null;
    for (const c of term.containers) if (c.finishedAt && (ms(c.finishedAt) ?? -Infinity) > (ms(end) ?? -Infinity)) end = c.finishedAt;
    const f: TerminationFact = { fact: 'termination', time: end ?? now, namespace: pod.namespace, pod: pod.name, container: null, type: 'Termination', termination: term };
    out.push(f);
  }
  return out;
}

/** One fact per new occurrence of an event the contract shows (event uid + count: returned once). */
export function occurrences(id: Identity, pod: PodName, events: (CoreEvent | EventsV1Event)[], now: string): OccurrenceFact[] {
  const out: OccurrenceFact[] = [];
  for (const ev of events) {
    const n = normalizeEvent(ev);
    const type = n && eventType(n.reason);
    if (!n || !type || !n.container) continue;
    const key = `ev|${n.key}|${n.count}`;
    if (id.emitted.has(key)) continue;
    id.emitted.add(key);
    const time = (n.count > 1 ? n.lastTime : n.firstTime) ?? n.firstTime ?? now;
    const kind = id.containers.get(n.container)?.kind;
    out.push({ fact: 'occurrence', time, namespace: pod.namespace, pod: pod.name, container: n.container, type, ...(kind ? { kind } : {}), reason: n.reason, message: n.message, count: n.count });
  }
  return out;
}

export function blockerFact(pod: PodName, b: BlockerFinding, now: string, cleared: boolean): BlockerFact {
  return { fact: 'blocker', time: now, namespace: pod.namespace, pod: pod.name, container: b.container, type: 'Blocker', blocker: b, cleared };
}
