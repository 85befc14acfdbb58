// Which watch lines are new. The lifecycle is re-derived on every update; a line is printed once.
// Identity of a line never depends on an estimated time nor on a sentence, so re-lists, reconnects
// and evidence that arrives in another order (pods and events are two streams) never print a line
// twice:
//  - container starts/ends: container + type + second (instances are ≥10 s apart: back-off);
//    an event-sourced start and the status start of the same instance may straddle a second;
//  - StartupSucceeded: container + instance (restart count); Ready/NotReady: a per-instance flip;
//  - pod conditions: type + lastTransitionTime; Scheduled, DeletionRequested, PodCompleted: once;
//  - event-sourced marks (Pulling … ProbeFailed): one line per occurrence, event uid + count;
//  - blockers: code + container, printed when they appear and when they clear;
//  - the termination order: once, when the pod is over (completed, or removed).
import { normalizeEvent } from '../events.js';
import type { CoreEvent, EventsV1Event } from '../k8s.js';
import { ms } from '../time.js';
import { EVENT_TYPES, eventType } from '../timeline.js';
import type { BlockerFinding } from '../findings.js';
import type { ContainerKind, PodModel, TimelineFact, TimelineType } from '../types.js';
import type { BlockerFact, OccurrenceFact, TerminationFact, WatchFact } from './facts.js';

/** What has been printed of one pod, as keys. */
export interface Identity {
  /** Keys of printed marks and event occurrences. */
  emitted: Set<string>;
  /** Seconds of the printed starts/ends per container and type, for the ±1 s instance match. */
  marks: Map<string, number[]>;
  /** Per container: the instance and the last readiness flip printed. */
  readiness: Map<string, string>;
  /** Open blockers by code + container (the last derived ones: a cleared line repeats them). */
  blockers: Map<string, BlockerFinding>;
  summarized: boolean;
  /** Container kinds of the last lifecycle: a deleted pod's late event lines still carry them. */
  kinds: Map<string, ContainerKind>;
}

export interface PodName {
  namespace: string;
  name: string;
}

export function newIdentity(): Identity {
  return { emitted: new Set(), marks: new Map(), readiness: new Map(), blockers: new Map(), summarized: false, kinds: new Map() };
}

/**
 * Never written: a tombstone's marks and readiness (newFacts never runs for a deleted pod, only
 * occurrences), shared by all of them instead of two empty Maps each (~400 bytes, thousands kept).
 */
const NO_MARKS: Map<string, number[]> = new Map();
const NO_READINESS: Map<string, string> = new Map();

/** A deleted pod's last lines are told: only event occurrences can follow, keep their keys only. */
export function tombstone(id: Identity): void {
  // a new Set: deleting keys never shrinks a Set's table (thousands of tombstones live for RETAIN_MS)
  id.emitted = new Set([...id.emitted].filter((k) => k.startsWith('ev|')));
  id.marks = NO_MARKS;
  id.readiness = NO_READINESS;
}

/** The event reasons the contract prints as lines, one per occurrence (timeline.ts's one map). */
const FROM_EVENTS = new Set<TimelineType>(Object.values(EVENT_TYPES));
const ONCE = new Set<TimelineType>(['Scheduled', 'DeletionRequested', 'PodCompleted']);

const second = (t: string | null | undefined): number | null => {
  const v = ms(t);
  return v === null ? null : Math.floor(v / 1000);
};

/**
 * The facts of this lifecycle not returned before (and the blockers that cleared), in time order
 * (blockers and the termination summary last, stamped now). `fresh`: event versions received
 * since the last call. `over`: the pod was removed (its termination is told whatever the phase).
 */
export function newFacts(id: Identity, pod: PodName, lc: PodModel, fresh: (CoreEvent | EventsV1Event)[], now: string, over: boolean): WatchFact[] {
  // What is kept per pod changes in place and only when it changed: a new Map on every update
  // outlived the young generation (the pod's next update is seconds away) and filled the old one.
  if (lc.containers.length !== id.kinds.size || lc.containers.some((c) => id.kinds.get(c.name) !== c.kind)) id.kinds = new Map(lc.containers.map((c) => [c.name, c.kind]));
  const facts: { f: WatchFact; at: number; i: number }[] = [];
  const add = (f: WatchFact) => facts.push({ f, at: ms(f.time) ?? Infinity, i: facts.length });
  const restarts = new Map(lc.containers.map((c) => [c.name, c.restartCount]));
  const mark = (e: TimelineFact): WatchFact => {
    const kind = e.container ? id.kinds.get(e.container) : undefined;
    return { fact: 'mark', time: e.time, namespace: pod.namespace, pod: pod.name, container: e.container, type: e.type, ...(kind ? { kind } : {}), entry: e };
  };

  for (const e of lc.timeline) {
    if (FROM_EVENTS.has(e.type)) continue; // one line per occurrence, below
    const c = e.container;
    const sec = second(e.time);
    if (c && (e.type === 'Started' || e.type === 'Terminated')) {
      const markKey = `${c}|${e.type}`;
      const marks = id.marks.get(markKey) ?? [];
      // Same instance: the same second, or an event start and the status start one second apart.
      const near = marks.some((s) => sec !== null && Math.abs(s - sec) <= 1);
      if (near || sec === null) continue;
      marks.push(sec);
      id.marks.set(markKey, marks);
      add(mark(e));
      continue;
    }
    if (c && e.type === 'StartupSucceeded') {
      const key = `${c}|StartupSucceeded|${restarts.get(c) ?? 0}`;
      if (id.emitted.has(key)) continue;
      id.emitted.add(key);
      add(mark(e));
      continue;
    }
    if (c && (e.type === 'Ready' || e.type === 'NotReady')) {
      const state = `${restarts.get(c) ?? 0}|${e.type}`;
      const same = `${c}|${e.type}|${e.time}`; // the very same mark, re-derived after a flip elsewhere
      if (id.readiness.get(c) === state || id.emitted.has(same)) continue;
      id.readiness.set(c, state);
      id.emitted.add(same);
      add(mark(e));
      continue;
    }
    const key = ONCE.has(e.type) ? `pod|${e.type}` : `pod|${e.type}|${sec}`;
    if (id.emitted.has(key)) continue;
    id.emitted.add(key);
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
    const kind = id.kinds.get(n.container);
    out.push({ fact: 'occurrence', time, namespace: pod.namespace, pod: pod.name, container: n.container, type, ...(kind ? { kind } : {}), reason: n.reason, message: n.message, count: n.count });
  }
  return out;
}

export function blockerFact(pod: PodName, b: BlockerFinding, now: string, cleared: boolean): BlockerFact {
  return { fact: 'blocker', time: now, namespace: pod.namespace, pod: pod.name, container: b.container, type: 'Blocker', blocker: b, cleared };
}
