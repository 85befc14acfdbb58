// Every lifecycle mark the evidence supports, each with where it came from: container instances
// from the status (refined by log timestamps), kubelet and scheduler events (deduplicated by the
// kubelet: one object may stand for N occurrences, only first and last times survive), conditions.
// Each entry carries the facts it rests on (types.ts TimelineFacts); render/words/timeline.ts words
// its `detail`.
import type { ClassifiedContainer } from './classify.js';
import { eventFact, type PodEvent } from './events.js';
import type { Pod } from './k8s.js';
import type { ContainerModel, ContainerLogs, TimelineFact, TimelineFacts, TimelineSource, TimelineType } from './types.js';
import { containerTimes, readState } from './containers.js';
import { deletionRequest } from './termination.js';
import { ms, preciseKey, sameSecond } from './time.js';
import { isObj, BACKOFF_RESTART, withoutQuery } from './facts.js';


interface Draft extends TimelineFact {
  /** Within one second: 0 pod-level causes (Scheduled, DeletionRequested); 1 containers (and PodInitialized); 2 pod-level effects. */
  group: number;
  order: number;
  /** Previous instance (0) before the current one (1) at the same second. */
  inst: number;
  /** Sort key within the second (precise time, or a cause/effect position for whole-second conditions). */
  key: number;
  /** The whole second of key, and TYPE_RANK of the type: set before the sort. */
  second: number;
  rank: number;
}

/** The timeline's order: second, group, key, order, instance, type. */
function before(a: Draft, b: Draft): number {
  return a.second - b.second || a.group - b.group || a.key - b.key || a.order - b.order || a.inst - b.inst || a.rank - b.rank;
}

/**
 * Sorted as Array.prototype.sort(before) sorts (stable, so ties keep their push order). A pod's
 * timeline has a few dozen entries and is sorted on every watch update: an insertion sort with the
 * comparison inlined costs a fraction of the builtin's calls (the sort was a tenth of buildTimeline).
 */
function sortDrafts(out: Draft[]): void {
  if (out.length > 64) {
    out.sort(before);
    return;
  }
  for (let i = 1; i < out.length; i++) {
    const d = out[i];
    let j = i - 1;
    while (j >= 0 && before(out[j], d) > 0) {
      out[j + 1] = out[j];
      j--;
    }
    out[j + 1] = d;
  }
}

/** Container events that are timeline marks of their own, by reason (Started is merged with the status). */
export const EVENT_TYPES: Readonly<Record<string, TimelineType>> = {
  Pulling: 'Pulling', Pulled: 'Pulled', Created: 'Created', Killing: 'Killing', BackOff: 'BackOff', Unhealthy: 'ProbeFailed',
};

/** The timeline type of an event reason, or null (an own key only: a reason "constructor" is none). */
export function eventType(reason: string): TimelineType | null {
  return Object.hasOwn(EVENT_TYPES, reason) ? EVENT_TYPES[reason] : null;
}

const TYPE_RANK: Record<TimelineType, number> = {
  Scheduled: 0, DeletionRequested: 0, PodInitialized: 1, Pulling: 2, Pulled: 3, Created: 4, Started: 5, StartupSucceeded: 6,
  Ready: 7, ProbeFailed: 8, NotReady: 9, Killing: 10, Terminated: 11, BackOff: 12, PodReady: 13, PodCompleted: 14,
};


/** Which probe an Unhealthy message is about. */
export function probeKind(message: string): 'liveness' | 'readiness' | 'startup' | null {
  const m = /^(Liveness|Readiness|Startup) probe/i.exec(message);
  return m ? (m[1].toLowerCase() as 'liveness' | 'readiness' | 'startup') : null;
}

export function buildTimeline(pod: Pod, classified: ClassifiedContainer[], containers: ContainerModel[], events: PodEvent[], logs: Record<string, ContainerLogs>): TimelineFact[] {
  const out: Draft[] = [];
  // built by hand: the [name, value] pairs were garbage of every watch update
  const orderOf = new Map<string, number>();
  for (const c of classified) orderOf.set(c.name, c.order);
  const lcOf = new Map<string, ContainerModel>();
  for (const c of containers) lcOf.set(c.name, c);
  const push = (time: string | null | undefined, container: string | null, type: TimelineType, source: TimelineSource, facts: TimelineFacts, group = 1, inst = 1) => {
    // preciseKey is +Infinity exactly when ms() is null: the time is read once
    const key = typeof time === 'string' ? preciseKey(time) : Number.POSITIVE_INFINITY;
    if (key === Number.POSITIVE_INFINITY) return null;
    const d: Draft = { time: time as string, container, type, source, facts, group, order: container === null ? -1 : orderOf.get(container) ?? 1e6, inst, key, second: 0, rank: 0 };
    out.push(d);
    return d;
  };
  const status = isObj(pod.status) ? pod.status : {};
  const conditions = (Array.isArray(status.conditions) ? status.conditions : []).filter(isObj);
  const cond = (type: string) => conditions.find((c) => c.type === type) ?? null;
  const condFact = (c: Record<string, unknown>): TimelineFacts => ({
    kind: 'condition', condition: String(c.type), status: String(c.status),
    reason: typeof c.reason === 'string' && c.reason ? c.reason : null, message: typeof c.message === 'string' ? c.message : null,
  });

  // ---- pod level
  const scheduledEv = events.find((e) => e.reason === 'Scheduled' && !e.container);
  const podScheduled = cond('PodScheduled');
  if (scheduledEv) push(scheduledEv.firstTime, null, 'Scheduled', 'event', { kind: 'event', ...eventFact(scheduledEv) }, 0);
  else if (podScheduled?.status === 'True') push(podScheduled.lastTransitionTime as string, null, 'Scheduled', 'condition', condFact(podScheduled), 0);

  const initialized = cond('Initialized');
  const podInitialized = initialized?.status === 'True'
    ? push(initialized.lastTransitionTime as string, null, 'PodInitialized', 'condition', condFact(initialized), 1)
    : null;
  const ready = cond('Ready');
  if (ready?.status === 'True') push(ready.lastTransitionTime as string, null, 'PodReady', 'condition', condFact(ready), 2);
  else if (ready?.status === 'False' && ready.reason !== 'PodCompleted' && ready.reason !== 'PodFailed') {
    push(ready.lastTransitionTime as string, null, 'NotReady', 'condition', condFact(ready), 2);
  }
  // Ready turns False with reason PodCompleted/PodFailed when the app containers finish; the phase
  // changes only once the sidecars have stopped too (job-native-sidecar: 30 s later). The status has
  // no time for the phase change: the last container's exit stands for it, as an estimate.
  const phase = status.phase;
  if (ready?.status === 'False' && (ready.reason === 'PodCompleted' || ready.reason === 'PodFailed')) {
    push(ready.lastTransitionTime as string, null, 'NotReady', 'condition', condFact(ready), 2);
  }
  if (phase === 'Succeeded' || phase === 'Failed') {
    let last: string | null = null;
    for (const c of containers) if (c.kind !== 'ephemeral' && c.kind !== 'init' && c.finishedAt && (!last || preciseKey(c.finishedAt) > preciseKey(last))) last = c.finishedAt;
    push(last, null, 'PodCompleted', 'status', { kind: 'phase', phase }, 2);
  }
  const del = deletionRequest(pod, events, classified);
  if (del) {
    push(del.time, null, 'DeletionRequested', del.source, { kind: 'deletion', gracePeriodSeconds: del.grace }, 0);
  }

  // ---- container instances from the status
  const statusStarts = new Map<string, Draft[]>();
  for (const c of classified) {
    const lc = lcOf.get(c.name);
    if (!lc) continue;
    const t = containerTimes(c, logs[c.name]);
    const st = readState(isObj(c.status) ? c.status.state : null);
    const starts: Draft[] = [];
    if (lc.lastState && t.last) {
      const s = push(t.last.startedAt, c.name, 'Started', t.last.startedSource, { kind: 'start', instance: 'previous', restart: Math.max(0, lc.restartCount - 1) }, 1, 0);
      if (s) starts.push(s);
      const d = push(t.last.finishedAt, c.name, 'Terminated', t.last.finishedSource,
        { kind: 'exit', instance: 'previous', exitCode: lc.lastState.exitCode, reason: lc.lastState.reason, signal: null }, 1, 0);
      if (d) d.exitCode = lc.lastState.exitCode;
    }
    if (t.current) {
      const s = push(t.current.startedAt, c.name, 'Started', t.current.startedSource, { kind: 'start', instance: 'current', restart: lc.restartCount });
      if (s) starts.push(s);
      if (st.name === 'terminated') {
        const d = push(t.current.finishedAt, c.name, 'Terminated', t.current.finishedSource, { kind: 'exit', instance: 'current', exitCode: st.exitCode, reason: st.reason, signal: st.signal });
        if (d) d.exitCode = st.exitCode;
      }
    }
    statusStarts.set(c.name, starts);
  }

  // ---- events
  const probeFailures = new Map<string, PodEvent[]>();
  for (const e of events) {
    if (!e.container) continue;
    const fact: TimelineFacts = { kind: 'event', ...eventFact(e) };
    const type = eventType(e.reason);
    if (type) push(e.firstTime, e.container, type, 'event', type === 'BackOff' ? { ...fact, restartBackOff: BACKOFF_RESTART.test(e.message) } : fact);
    switch (e.reason) {
      case 'Unhealthy': {
        const list = probeFailures.get(e.container) ?? [];
        list.push(e);
        probeFailures.set(e.container, list);
        break;
      }
      case 'Started': {
        // The status already has the instances it knows; the event adds the first start of a
        // container that restarted since (its first time), or says how often it started.
        const known = statusStarts.get(e.container) ?? [];
        const same = known.find((d) => sameSecond(d.time, e.firstTime));
        if (same) {
          if (e.count > 1 && same.facts.kind === 'start') same.facts.startedEvents = [...(same.facts.startedEvents ?? []), eventFact(e)];
        } else {
          push(e.firstTime, e.container, 'Started', 'event', fact);
        }
        break;
      }
      default:
        break;
    }
  }

  // ---- startup and readiness of containers (times the status does not record: estimated, and said so)
  const firstStart = (name: string): Draft | null => {
    const all = out.filter((d) => d.container === name && d.type === 'Started');
    all.sort((a, b) => preciseKey(a.time) - preciseKey(b.time));
    return all[0] ?? null;
  };
  const failuresOf = (name: string, kind: 'startup' | 'readiness') => (probeFailures.get(name) ?? []).filter((e) => probeKind(e.message) === kind);
  const inits = classified.filter((c) => c.kind === 'init' || c.kind === 'sidecar');
  const apps = classified.filter((c) => c.kind === 'app');
  for (const c of classified) {
    const lc = lcOf.get(c.name);
    if (!lc || c.kind !== 'sidecar') continue;
    const t = containerTimes(c, logs[c.name]).current;
    if (!t?.startedAt) continue;
    // What waited for this sidecar: the next init container, or the apps after the last one.
    const pos = inits.indexOf(c);
    const nextNames = pos >= 0 && pos + 1 < inits.length ? [inits[pos + 1].name] : apps.map((a) => a.name);
    let nextStart: Draft | null = null;
    for (const n of nextNames) {
      const f = firstStart(n);
      if (f && (!nextStart || preciseKey(f.time) < preciseKey(nextStart.time))) nextStart = f;
    }
    const gated = lc.probes.startup || lc.hooks.postStart;
    const startupFails = failuresOf(c.name, 'startup');
    const lastFail = startupFails.map((e) => e.lastTime).filter((x): x is string => !!x).sort((a, b) => preciseKey(a) - preciseKey(b)).pop() ?? null;
    const firstInstance = lc.restartCount === 0;
    const startedNow = lc.started === true;
    const inferred = !startedNow && lc.state === 'terminated' && nextStart !== null && preciseKey(nextStart.time) >= preciseKey(t.startedAt);
    if (!startedNow && !inferred) continue;
    const gate = lc.probes.startup ? 'startupProbe' as const : lc.hooks.postStart ? 'postStart' as const : null;
    if (!gated) {
      push(t.startedAt, c.name, 'StartupSucceeded', t.startedSource, { kind: 'startup', basis: 'ungated', gate });
    } else if (firstInstance && nextStart && preciseKey(nextStart.time) >= preciseKey(t.startedAt)) {
      const d = push(nextStart.time, c.name, 'StartupSucceeded', nextStart.source, { kind: 'startup', basis: 'nextStarted', gate, next: nextStart.container!, lastFailure: lastFail });
      // The time is another container's: never shown as this container's own log or status fact.
      if (d) d.estimate = { from: 'nextStart', container: nextStart.container!, source: nextStart.source };
    } else if (lastFail && preciseKey(lastFail) >= preciseKey(t.startedAt)) {
      const d = push(lastFail, c.name, 'StartupSucceeded', 'event', { kind: 'startup', basis: 'lastFailure', gate });
      if (d) d.estimate = { from: 'startupFailure' };
    } else {
      push(t.startedAt, c.name, 'StartupSucceeded', t.startedSource, { kind: 'startup', basis: 'atStart', gate });
    }
  }
  for (const c of classified) {
    const lc = lcOf.get(c.name);
    if (!lc || (c.kind !== 'sidecar' && c.kind !== 'app') || lc.state !== 'running') continue;
    const t = containerTimes(c, logs[c.name]).current;
    if (!t?.startedAt) continue;
    const fails = failuresOf(c.name, 'readiness').filter((e) => e.lastTime && preciseKey(e.lastTime) >= Math.floor((ms(t.startedAt) ?? 0) / 1000) * 1000);
    // Readiness is evaluated only once the container has started (startup probe passed).
    const startup = out.find((d) => d.container === c.name && d.type === 'StartupSucceeded' && preciseKey(d.time) >= preciseKey(t.startedAt));
    const lastStartupFail = failuresOf(c.name, 'startup').map((e) => e.lastTime).filter((x): x is string => !!x && preciseKey(x) >= preciseKey(t.startedAt)).sort((a, b) => preciseKey(a) - preciseKey(b)).pop();
    const readyFrom = startup ? { time: startup.time, source: startup.source, after: 'start' as const } : lastStartupFail && lc.probes.startup
      ? { time: lastStartupFail, source: 'event' as TimelineSource, after: 'startupFailure' as const }
      : { time: t.startedAt, source: t.startedSource, after: 'start' as const };
    const inheritEstimate = (d: Draft | null) => {
      if (d && startup?.estimate) d.estimate = startup.estimate;
      else if (d && !startup && lastStartupFail && lc.probes.startup) d.estimate = { from: 'startupFailure' };
      return d;
    };
    if (lc.ready === true) {
      if (!lc.probes.readiness) inheritEstimate(push(readyFrom.time, c.name, 'Ready', readyFrom.source, { kind: 'ready', basis: 'noProbe', after: readyFrom.after }));
      else if (fails.length) {
        const lastFail = fails.map((e) => e.lastTime as string).sort((a, b) => preciseKey(a) - preciseKey(b)).pop()!;
        const d = push(lastFail, c.name, 'Ready', 'event', { kind: 'ready', basis: 'afterFailure', after: readyFrom.after });
        if (d) d.estimate = { from: 'readinessFailure' };
      } else {
        const d = push(readyFrom.time, c.name, 'Ready', readyFrom.source, { kind: 'ready', basis: 'notRecorded', after: readyFrom.after });
        if (d) d.estimate = startup?.estimate ?? { from: 'firstSuccessUnrecorded' };
      }
    } else if (lc.ready === false && (c.kind === 'app' || lc.started === true)) {
      if (fails.length) {
        const first = fails.map((e) => e.firstTime as string).filter(Boolean).sort((a, b) => preciseKey(a) - preciseKey(b))[0];
        const total = fails.reduce((n, e) => n + e.count, 0);
        const latest = fails[fails.length - 1];
        push(first && preciseKey(first) >= preciseKey(t.startedAt) ? first : t.startedAt, c.name, 'NotReady', 'event',
          { kind: 'notReady', message: withoutQuery(latest.message), failures: total });
      } else if (lc.probes.readiness) {
        push(t.startedAt, c.name, 'NotReady', t.startedSource, { kind: 'notReady', message: null, failures: 0 });
      }
    }
  }

  // Initialized=True has a whole-second time: it follows the last init step of that second (its
  // cause) and precedes the apps' start (its effect).
  if (podInitialized) {
    const apps0 = classified.find((c) => c.kind === 'app');
    podInitialized.order = apps0 ? apps0.order - 0.5 : 1e6;
    for (const d of out) {
      if (d.container && (orderOf.get(d.container) ?? 1e6) < podInitialized.order && sameSecond(d.time, podInitialized.time) && (d.type === 'Terminated' || d.type === 'StartupSucceeded')) {
        podInitialized.key = Math.max(podInitialized.key, d.key);
      }
    }
  }
  // key is preciseKey(time): its sub-millisecond part never moves it across a second
  // (the second once per entry, not twice per comparison: this sort was a tenth of buildTimeline)
  for (const d of out) {
    d.second = Math.floor(d.key / 1000);
    d.rank = TYPE_RANK[d.type];
  }
  sortDrafts(out);
  const facts: TimelineFact[] = new Array(out.length);
  for (let i = 0; i < out.length; i++) {
    const d = out[i];
    const f: TimelineFact = { time: d.time, container: d.container, type: d.type, source: d.source, facts: d.facts };
    if (d.estimate) f.estimate = d.estimate;
    if (d.exitCode !== undefined) f.exitCode = d.exitCode;
    facts[i] = f;
  }
  return facts;
}
