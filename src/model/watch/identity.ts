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
 * What has been printed of one pod. Numbers, not string keys in a Set: a key built and hashed for
 * every timeline entry on every update was most of telling new lines (scripts/bench/watch.ts CPU
 * profile). Packed: at full speed the watch follows ~5,000 live pods, and per container five small
 * arrays, a flip object and a Map entry, with two Maps and a Set per pod, were ~2.7 KB of the ~4 KB
 * each live pod held in JS (heap snapshot after the bench's 100,000 updates; now ~1 KB in all).
 */
export interface Identity {
  /** Keys of printed event occurrences (event key + count); null until the first. */
  emitted: Set<string> | null;
  /** The pod's containers: [name, kind, name, kind, …], shared by pods of one shape (see NAMES). */
  names: Names;
  /**
   * Printed marks, pairs of [tag, value]: tag = slot * 32 + the mark's type code (slot 0: the pod,
   * slot i + 1: the container at names[2i]); value = the second (starts, ends, pod marks; ONCE_MARK
   * for a ONCE type), the restart count (StartupSucceeded), the precise time (Ready / NotReady), or
   * the restart count of the last readiness flip (FLIP_READY / FLIP_NOT_READY, one per container,
   * written over). An exact array, copied once per update that prints (newFacts).
   */
  marks: readonly number[];
  /** Open blockers, the last derived ones (a cleared line repeats them); unique by code + container. */
  blockers: readonly BlockerFinding[];
  summarized: boolean;
}

/** [name, kind, …] of a pod's containers; never written (a change makes a new one). */
export type Names = readonly (string | ContainerKind | undefined)[];

/** What a deleted pod's late event lines need of its identity (occurrences()). */
export interface LateLines {
  emitted: Set<string> | null;
  names: Names;
}

export interface PodName {
  namespace: string;
  name: string;
}

export const NO_MARKS: readonly number[] = Object.freeze([]);
export const NO_NAMES: Names = Object.freeze([]);
export const NO_BLOCKERS: readonly BlockerFinding[] = Object.freeze([]);

export function newIdentity(): Identity {
  return { emitted: null, names: NO_NAMES, marks: NO_MARKS, blockers: NO_BLOCKERS, summarized: false };
}

/**
 * One array per shape of pod (container names and kinds), as pods of one workload share it: keyed
 * by its JSON text, so no two shapes meet. A memory guard clears it when full (the arrays stay with
 * their pods; only the sharing is lost).
 */
const NAMES = new Map<string, Names>();
const NAMES_LIMIT = 4096;
/** Names and kinds of at most 32 containers are shared. */
const SHAPE_MAX = 64;

function shapeOf(names: (string | ContainerKind | undefined)[]): Names {
  if (names.length > SHAPE_MAX) return Object.freeze(names); // no pod of a workload has that many: not worth a key
  const key = JSON.stringify(names);
  const known = NAMES.get(key);
  if (known) return known;
  if (NAMES.size >= NAMES_LIMIT) NAMES.clear();
  Object.freeze(names);
  NAMES.set(key, names);
  return names;
}

/** The index of a container's name in names, or -1. */
function indexOf(names: Names, name: string): number {
  for (let i = 0; i < names.length; i += 2) if (names[i] === name) return i;
  return -1;
}

/** The mark tag slot of a container (added to the pod's names when new). */
function slotOf(id: Identity, name: string): number {
  let i = indexOf(id.names, name);
  if (i < 0) {
    i = id.names.length;
    id.names = shapeOf([...id.names, name, undefined]);
  }
  return (i >> 1) + 1;
}

/** The kind of a container as last seen, or undefined. */
function kindOf(names: Names, name: string): ContainerKind | undefined {
  const i = indexOf(names, name);
  return i < 0 ? undefined : (names[i + 1] as ContainerKind | undefined);
}

/** A ONCE mark's "second": one per pod whatever its time. */
const ONCE_MARK = -1;

/**
 * A code per timeline type, below 16 (16–17 are the flips, 31 the guard). A Record over the union:
 * a type added to types.ts without a code fails to compile instead of sharing OTHER's marks.
 */
const TYPE_CODE_OF: Record<TimelineType, number> = {
  Scheduled: 0, Pulling: 1, Pulled: 2, Created: 3, Started: 4, StartupSucceeded: 5, Ready: 6, NotReady: 7, ProbeFailed: 8,
  Killing: 9, Terminated: 10, BackOff: 11, PodInitialized: 12, PodReady: 13, PodCompleted: 14, DeletionRequested: 15,
};
const TYPE_CODE = new Map(Object.entries(TYPE_CODE_OF) as [TimelineType, number][]);
const TYPE_CODES: TimelineType[] = [];
for (const [t, code] of TYPE_CODE) TYPE_CODES[code] = t;
const { Started: STARTED, Terminated: TERMINATED, StartupSucceeded: STARTUP, Ready: READY, NotReady: NOT_READY } = TYPE_CODE_OF;
/** Codes 16 and 17: the last readiness flip of a container was Ready / NotReady. */
const FLIP_READY = 16;
const FLIP_NOT_READY = 17;
/** A type no code names (the types are a closed set: a guard only). */
const OTHER = 31;

/** Array.includes's equality (SameValueZero): an unreadable time (NaN) is one mark too. */
const same = (a: number, b: number) => a === b || (a !== a && b !== b);

/** Is [tag, v] printed, for some v that matches? */
function printed(marks: readonly number[], tag: number, v: number): boolean {
  for (let i = 0; i < marks.length; i += 2) if (marks[i] === tag && same(marks[i + 1], v)) return true;
  return false;
}

/** By type code: the event reasons the contract prints as lines, one per occurrence (timeline.ts's one map). */
const EVENT_CODE: boolean[] = Array.from({ length: 32 }, (_, code) => Object.values(EVENT_TYPES).includes(TYPE_CODES[code]));
const ONCE = new Set<TimelineType>(['Scheduled', 'DeletionRequested', 'PodCompleted']);

/**
 * The facts of this lifecycle not returned before (and the blockers that cleared), in time order
 * (blockers and the termination summary last, stamped now). `fresh`: event versions received
 * since the last call. `over`: the pod was removed (its termination is told whatever the phase).
 */
export function newFacts(id: Identity, pod: PodName, lc: PodModel, fresh: (CoreEvent | EventsV1Event)[], now: string, over: boolean): WatchFact[] {
  let names = id.names;
  let changed: (string | ContainerKind | undefined)[] | null = null;
  for (const c of lc.containers) {
    const i = indexOf(changed ?? names, c.name);
    if (i < 0) (changed ??= names.slice()).push(c.name, c.kind);
    else if ((changed ?? names)[i + 1] !== c.kind) (changed ??= names.slice())[i + 1] = c.kind;
  }
  if (changed) id.names = names = shapeOf(changed);
  const facts: { f: WatchFact; at: number; i: number }[] = [];
  const add = (f: WatchFact) => facts.push({ f, at: ms(f.time) ?? Infinity, i: facts.length });
  const restartsOf = (name: string) => lc.containers.find((c) => c.name === name)?.restartCount ?? 0;
  const mark = (e: TimelineFact): WatchFact => {
    const kind = e.container ? kindOf(id.names, e.container) : undefined;
    return { fact: 'mark', time: e.time, namespace: pod.namespace, pod: pod.name, container: e.container, type: e.type, ...(kind ? { kind } : {}), entry: e };
  };
  // New marks go to a copy of the pod's marks (its own from the first one on), trimmed to an
  // exact array at the end: one copy per update that prints, not one per mark.
  let marks = id.marks as number[];
  let own = false;
  const writable = () => {
    if (!own) (marks = marks.slice()), (own = true);
    return marks;
  };
  const note = (tag: number, v: number) => writable().push(tag, v);

  for (const e of lc.timeline) {
    const code = TYPE_CODE.get(e.type) ?? OTHER;
    if (EVENT_CODE[code]) continue; // one line per occurrence, below
    const c = e.container;
    if (c && (code === STARTED || code === TERMINATED)) {
      const tag = slotOf(id, c) * 32 + code;
      const sec = secondOf(e.time);
      if (sec === null) continue;
      // Same instance: the same second, or an event start and the status start one second apart.
      let seen = false;
      for (let i = 0; i < marks.length && !seen; i += 2) seen = marks[i] === tag && Math.abs(marks[i + 1] - sec) <= 1;
      if (seen) continue;
      note(tag, sec);
      add(mark(e));
      continue;
    }
    if (c && code === STARTUP) {
      const tag = slotOf(id, c) * 32 + code;
      const instance = restartsOf(c);
      if (printed(marks, tag, instance)) continue;
      note(tag, instance);
      add(mark(e));
      continue;
    }
    if (c && (code === READY || code === NOT_READY)) {
      const slot = slotOf(id, c);
      const instance = restartsOf(c);
      const at = preciseKey(e.time);
      const flipTag = slot * 32 + (code === READY ? FLIP_READY : FLIP_NOT_READY);
      let flip = -1;
      for (let i = 0; i < marks.length; i += 2) if (marks[i] === slot * 32 + FLIP_READY || marks[i] === slot * 32 + FLIP_NOT_READY) flip = i;
      if ((flip >= 0 && marks[flip] === flipTag && marks[flip + 1] === instance) || printed(marks, slot * 32 + code, at)) continue;
      if (flip >= 0) {
        const w = writable();
        w[flip] = flipTag; // one flip per container: written over
        w[flip + 1] = instance;
      } else note(flipTag, instance);
      note(slot * 32 + code, at);
      add(mark(e));
      continue;
    }
    const at = ONCE.has(e.type) ? ONCE_MARK : (secondOf(e.time) ?? NaN); // SameValueZero finds NaN: an unreadable time once
    if (printed(marks, code, at)) continue;
    note(code, at);
    add(mark(e));
  }
  if (own) id.marks = marks.slice();
  for (const f of occurrences(id, pod, fresh, now)) add(f);

  const out = facts.sort((a, b) => a.at - b.at || a.i - b.i).map((x) => x.f);

  // Blockers: appear and clear (stamped now, the moment the evidence showed it).
  if (lc.blockers.length || id.blockers.length) {
    const open = unique(lc.blockers);
    for (const b of id.blockers) if (!open.some((o) => sameBlocker(o, b))) out.push(blockerFact(pod, b, now, true));
    for (const b of open) if (!id.blockers.some((o) => sameBlocker(o, b))) out.push(blockerFact(pod, b, now, false));
    id.blockers = open.length ? open : NO_BLOCKERS;
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

/** A blocker is identified by its code and container. */
const sameBlocker = (a: BlockerFinding, b: BlockerFinding) => a.code === b.code && (a.container ?? '') === (b.container ?? '');

/** One blocker per code + container, in first-seen order with the last one's facts (the lifecycle's array when already unique). */
function unique(bs: readonly BlockerFinding[]): readonly BlockerFinding[] {
  let dup = false;
  for (let i = 1; i < bs.length && !dup; i++) for (let j = 0; j < i && !dup; j++) dup = sameBlocker(bs[i], bs[j]);
  if (!dup) return bs;
  const out: BlockerFinding[] = [];
  for (const b of bs) {
    const k = out.findIndex((o) => sameBlocker(o, b));
    if (k < 0) out.push(b);
    else out[k] = b;
  }
  return out;
}

/** One fact per new occurrence of an event the contract shows (event uid + count: returned once). */
export function occurrences(id: LateLines, pod: PodName, events: (CoreEvent | EventsV1Event)[], now: string): OccurrenceFact[] {
  const out: OccurrenceFact[] = [];
  for (const ev of events) {
    const n = normalizeEvent(ev);
    const type = n && eventType(n.reason);
    if (!n || !type || !n.container) continue;
    const key = `ev|${n.key}|${n.count}`;
    if (id.emitted?.has(key)) continue;
    (id.emitted ??= new Set()).add(key);
    const time = (n.count > 1 ? n.lastTime : n.firstTime) ?? n.firstTime ?? now;
    const kind = kindOf(id.names, n.container);
    out.push({ fact: 'occurrence', time, namespace: pod.namespace, pod: pod.name, container: n.container, type, ...(kind ? { kind } : {}), reason: n.reason, message: n.message, count: n.count });
  }
  return out;
}

export function blockerFact(pod: PodName, b: BlockerFinding, now: string, cleared: boolean): BlockerFact {
  return { fact: 'blocker', time: now, namespace: pod.namespace, pod: pod.name, container: b.container, type: 'Blocker', blocker: b, cleared };
}
