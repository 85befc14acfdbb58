// `watch` as a pure model: per pod the latest evidence (watch/store.ts), the lifecycle re-derived
// with describePod on every update, and the facts of the lines not returned before
// (watch/identity.ts says which are new); src/render/words/watch.ts words them, and only them:
// wording every lifecycle on every update was a twentieth of the watch's CPU at full speed
// (scripts/bench/watch.ts). No clock: `now` comes with every call.
import { describePod } from './describe.js';
import type { Pod, ServerVersion } from './k8s.js';
import { ms } from './time.js';
import type { BlockerFinding, VerdictFinding } from './findings.js';
import type { PodModel, SourceState } from './types.js';
import type { ContainerStateFact, PodStateFact, WatchFact } from './watch/facts.js';
import { blockerFact, newFacts, occurrences } from './watch/identity.js';
import { EvidenceStore, eventUid, FAILED, INITIALIZED, isObject, NO_EVENTS, olderVersion, READY, regardingUid, shared, stateOf, TERMINAL, Tombstone, type AnyEvent, type StoreOptions, type Summary, type Tracked } from './watch/store.js';

export type { WatchFact } from './watch/facts.js';
export type WatchCondition = 'initialized' | 'ready' | 'complete' | 'deleted';

export interface TrackerOptions extends StoreOptions {
  version?: ServerVersion | null;
  /** Events source state for the model (forbidden when the events watch is refused). */
  events?: SourceState;
  /** Use max(now, the latest time in the evidence) as now: replays and fixed --now follow the evidence. */
  followEvidence?: boolean;
  /**
   * seed() returns each pod's history so far (every timeline entry, as transition lines) instead
   * of the compact state: for `-o json`, whose consumers get only contract line types.
   */
  history?: boolean;
}

const later = (a: string | null, b: string | null | undefined): string | null => (b && (ms(b) ?? -Infinity) > (ms(a) ?? -Infinity) ? b : a);

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

/** The pod's summary of this lifecycle, written over the last one (see newFacts: kept objects change in place). */
function summarize(lc: PodModel, at: number, into?: Summary): Summary {
  const cond = (t: string) => lc.pod.conditions.find((c) => c.type === t)?.status === 'True';
  const s = into ?? ({} as Summary);
  s.phase = shared(lc.pod.phase); // kept per pod: one copy of each (store.ts shared)
  s.status = shared(lc.pod.status);
  s.initialized = cond('Initialized');
  s.ready = cond('Ready');
  s.settled = settled(lc);
  s.verdict = lc.pod.phase === 'Failed' ? lc.verdict : null;
  s.at = at;
  return s;
}

/** Has the pod reached the --until condition? `state`: store.ts stateOf() bits of its summary. */
function reached(state: number, cond: WatchCondition, deleted: boolean): boolean {
  const terminal = (state & TERMINAL) !== 0;
  switch (cond) {
    case 'deleted': return deleted;
    case 'complete': return terminal;
    case 'ready': return (state & READY) !== 0;
    case 'initialized': return (state & INITIALIZED) !== 0 || terminal;
  }
}

/** Nothing time-driven can change: Healthy or Completed, no blocker, not being deleted. */
function settled(lc: PodModel): boolean {
  return (lc.verdict?.state === 'Healthy' || lc.verdict?.state === 'Completed') && !lc.blockers.length && !lc.pod.deletionTimestamp;
}

/** What no watch line says (render/words/watch.ts): not computed on every update. */
const WATCH_SKIPS = ['resources', 'advice'] as const;

export class WatchTracker {
  private readonly store: EvidenceStore;
  private latest: string | null = null;
  private readonly opts: { version: ServerVersion | null; events: SourceState; followEvidence: boolean; history: boolean };

  constructor(opts: TrackerOptions) {
    this.store = new EvidenceStore(opts);
    this.opts = { version: opts.version ?? null, events: opts.events ?? 'ok', followEvidence: !!opts.followEvidence, history: !!opts.history };
  }

  setEventsState(s: SourceState): void {
    this.opts.events = s;
  }

  /** The initial lists: the compact state of each pod (and its current blockers), history absorbed; or, with `history`, that history. */
  seed(pods: Pod[], events: AnyEvent[], now: string): WatchFact[] {
    for (const e of (Array.isArray(events) ? events : []).filter(isObject)) this.storeEvent(e, now);
    const out: WatchFact[] = [];
    for (const pod of (Array.isArray(pods) ? pods : []).filter(isObject)) {
      const t = this.store.track(pod);
      if (!t) continue;
      this.note(pod);
      const at = this.now(now);
      const lc = this.derive(t, at, pod);
      // Everything that exists now is marked printed; only its blockers and a finished pod's
      // termination summary are shown beside the compact state.
      const all = this.diff(t, lc, at);
      if (this.opts.history) out.push(...all);
      else out.push(...stateFacts(t, lc, at), ...all.filter((f) => f.fact === 'blocker' || f.fact === 'termination'));
    }
    return out;
  }

  /** What is kept of a pod object (undefined: a new pod); null when it has no uid or is a tombstone: no news of it. */
  private lookup(pod: Pod): Tracked | undefined | null {
    const uid = isObject(pod) ? pod.metadata?.uid : undefined;
    if (!uid) return null;
    const known = this.store.pods.get(uid);
    return known instanceof Tombstone ? null : known;
  }

  /**
   * A pod added or modified (watch event, or a re-list). `text`: the JSON text of the watch event
   * whose `object` is this pod, kept instead of serialising the pod again (sources/watch.ts).
   */
  pod(pod: Pod, now: string, text?: string): WatchFact[] {
    const known = this.lookup(pod);
    if (known === null) return [];
    this.note(pod);
    // A re-list brings unchanged objects again: no new evidence, nothing to re-judge.
    const rv = pod.metadata?.resourceVersion;
    if (known && rv && known.rv === rv) return [];
    // An older state of a pod already seen (a lagging re-list) is no news: the status only moves on.
    if (known && olderVersion(rv, known.rv)) return [];
    const t = known ?? this.store.track(pod);
    if (!t) return [];
    t.rv = rv;
    const at = this.now(now);
    return this.diff(t, this.derive(t, at, pod, text), at);
  }

  /** A pod removed from the API: its last state, its termination summary, then the deletion. */
  deleted(pod: Pod, now: string): WatchFact[] {
    const known = this.lookup(pod);
    if (known === null) return [];
    const t = known ?? this.store.track(pod);
    if (!t) return [];
    this.note(pod);
    const at = this.now(now);
    // A pod found gone by a re-list has no final object (sources/watch.ts passes what identifies
    // it): its last known state is its last state.
    const last = isObject(pod.status) || isObject(pod.spec) || !this.store.hasText(t) ? pod : undefined;
    const out = this.diff(t, last ? this.derive(t, at, undefined, undefined, last) : this.derive(t, at), at, true);
    out.push({ fact: 'deleted', time: at, namespace: t.namespace, pod: t.name, container: null, type: 'PodDeleted' });
    this.store.bury(t, ms(at) ?? 0);
    return out;
  }

  /** An event added or updated. */
  event(e: AnyEvent, now: string): WatchFact[] {
    const pod = regardingUid(e);
    if (!pod) return [];
    this.note(e);
    const t = this.store.pods.get(pod);
    if (t instanceof Tombstone) return occurrences(t, t, [e], this.now(now)); // a deleted pod's late event
    const uid = eventUid(e);
    const rv = e.metadata?.resourceVersion;
    if (t && uid && rv && t.events?.get(uid)?.metadata?.resourceVersion === rv) return []; // re-listed, unchanged
    this.storeEvent(e, now);
    if (!t) return [];
    const at = this.now(now);
    return this.diff(t, this.derive(t, at), at);
  }

  /** Set by tick() when it stopped at its limit: pods are still due. */
  tickUnfinished = false;

  /**
   * Re-evaluate live pods at a new now (time-driven blockers: overdue, not exiting, warm-up): those
   * last derived at least `minAgeMs` ago (0: every one), at most `limit` of them (then
   * tickUnfinished is set: call again for the next ones).
   */
  tick(now: string, { minAgeMs = 0, limit = Infinity }: { minAgeMs?: number; limit?: number } = {}): WatchFact[] {
    const out: WatchFact[] = [];
    let derived = 0;
    this.tickUnfinished = false;
    const at = this.now(now);
    const atMs = ms(at) ?? 0;
    this.store.expire(atMs);
    for (const t of this.store.pods.values()) {
      // Only time can change a pod between updates, and time changes nothing of a settled one
      // (Healthy or Completed, no blocker). A pod an update re-derived lately is as good as new:
      // at full speed nearly every pod is, and re-deriving thousands at once took seconds of the
      // event loop: the p99 of update-to-line (scripts/bench/watch.ts).
      if (t instanceof Tombstone) continue;
      const sum = t.summary;
      if (sum?.settled || (sum && atMs - sum.at < minAgeMs)) continue;
      if (derived++ >= limit) {
        this.tickUnfinished = true;
        break;
      }
      out.push(...this.diff(t, this.derive(t, at), at));
    }
    return out;
  }

  /**
   * Pods that have not reached the condition, with their blockers; done when none is left (and some
   * pod was seen). `ended`: the pods that reached it (what a timeout says of them, with a failed
   * one's blockers). `unreachable`: pending pods that can no longer reach it (ready or initialized:
   * a pod that ended or is being deleted; complete: a pod deleted before it ended), with why.
   */
  progress(cond: WatchCondition): {
    done: boolean;
    pending: { namespace: string; pod: string; status: string; blockers: BlockerFinding[] }[];
    failed: { namespace: string; pod: string; verdict: VerdictFinding }[];
    ended: { namespace: string; pod: string; status: string; blockers: BlockerFinding[] }[];
    unreachable: { namespace: string; pod: string; status: string; why: 'failed' | 'succeeded' | 'deleted' | 'deleting'; verdict: VerdictFinding | null }[];
  } {
    const pending: { namespace: string; pod: string; status: string; blockers: BlockerFinding[] }[] = [];
    const failed: { namespace: string; pod: string; verdict: VerdictFinding }[] = [];
    const ended: { namespace: string; pod: string; status: string; blockers: BlockerFinding[] }[] = [];
    const unreachable: ReturnType<WatchTracker['progress']>['unreachable'] = [];
    let counted = 0;
    for (const t of this.store.pods.values()) {
      // a tombstone keeps what this reads of its last summary (store.ts bury)
      const gone = t instanceof Tombstone;
      const sum = gone ? t : t.summary && { state: stateOf(t.summary), status: t.summary.status, verdict: t.summary.verdict };
      if (!sum) continue;
      const ok = reached(sum.state, cond, gone);
      // A pod deleted before it got ready or initialized no longer matches: it does not hold the wait.
      if (gone && !ok && (cond === 'ready' || cond === 'initialized')) continue;
      counted++;
      if (!ok) {
        pending.push({ namespace: t.namespace, pod: t.name, status: sum.status, blockers: [...t.blockers] });
        const ready = cond === 'ready' || cond === 'initialized';
        const why = cond === 'deleted' ? null
          : gone ? 'deleted'
          : ready && sum.state & FAILED ? 'failed'
          : ready && sum.state & TERMINAL ? 'succeeded'
          : ready && sum.status === 'Terminating' ? 'deleting' : null;
        if (why) unreachable.push({ namespace: t.namespace, pod: t.name, status: sum.status, why, verdict: sum.verdict ?? null });
        continue;
      }
      ended.push({ namespace: t.namespace, pod: t.name, status: sum.status, blockers: [...t.blockers] });
      if (sum.state & FAILED && sum.verdict) failed.push({ namespace: t.namespace, pod: t.name, verdict: sum.verdict });
    }
    return { done: pending.length === 0 && (counted > 0 || cond === 'deleted'), pending, failed, ended, unreachable };
  }

  /** Pods watched (deleted ones not counted) and how many of them have a blocker now: the status line's figures. */
  counts(): { pods: number; blocked: number } {
    let pods = 0;
    let blocked = 0;
    for (const t of this.store.pods.values()) {
      if (t instanceof Tombstone) continue;
      pods++;
      if (t.blockers.length) blocked++;
    }
    return { pods, blocked };
  }

  /**
   * Facts of what still blocks each pending pod (printed when --until times out); for `complete`,
   * also what ended a pod that failed (its PodFailed), the evidence for a Job still waited on.
   */
  blockersNow(cond: WatchCondition, now: string): WatchFact[] {
    const at = this.now(now);
    const out: WatchFact[] = [];
    const p = this.progress(cond);
    const failed = new Set(p.failed.map((f) => `${f.namespace}/${f.pod}`));
    for (const x of [...p.pending, ...(cond === 'complete' ? p.ended.filter((e) => failed.has(`${e.namespace}/${e.pod}`)) : [])]) {
      for (const b of x.blockers) out.push(blockerFact({ namespace: x.namespace, name: x.pod }, b, at, false));
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

  private storeEvent(e: AnyEvent, now: string): void {
    this.store.storeEvent(e, ms(this.now(now)) ?? 0);
  }

  /**
   * The lifecycle of the pod given (then kept as the latest, as `text` when given), or of the latest
   * kept; or of `final`, a deleted pod's last object, never kept (it is buried next).
   */
  private derive(t: Tracked, now: string, pod?: Pod, text?: string, final?: Pod): PodModel {
    const lc = describePod({ pod: final ?? this.store.latestPod(t, pod, text), events: t.events ? [...t.events.values()] : [], logs: {}, sources: { events: this.opts.events, logs: 'skipped' } }, { now, version: this.opts.version, skip: WATCH_SKIPS });
    t.summary = summarize(lc, ms(now) ?? 0, t.summary ?? undefined);
    return lc;
  }

  /** `over`: the pod was removed (deleted()). */
  private diff(t: Tracked, lc: PodModel, now: string, over = false): WatchFact[] {
    const fresh = t.fresh;
    if (fresh.length) t.fresh = NO_EVENTS;
    return newFacts(t, t, lc, fresh, now, over);
  }
}

/** The compact current state: the pod's line, then one per container. */
function stateFacts(t: Tracked, lc: PodModel, now: string): WatchFact[] {
  const pod: PodStateFact = { fact: 'podState', time: now, namespace: t.namespace, pod: t.name, container: null, type: 'State', state: lc.pod };
  const out: WatchFact[] = [pod];
  for (const c of lc.containers) {
    // The events stream may be ahead of the status (the kubelet publishes status in batches): the
    // marks the events already tell count as printed from here on.
    const ahead = lc.timeline.filter((e) => e.container === c.name && e.source === 'event' && (ms(e.time) ?? 0) > (ms(c.startedAt) ?? 0)).pop();
    const f: ContainerStateFact = {
      fact: 'containerState', time: c.startedAt ?? now, namespace: t.namespace, pod: t.name, container: c.name, type: 'State', kind: c.kind, state: c,
      ahead: ahead && c.state !== 'running' ? { type: ahead.type, time: ahead.time } : null,
    };
    out.push(f);
  }
  return out;
}
