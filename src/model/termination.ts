// How the pod stopped (or is stopping): what triggered it, in which order the containers ended,
// whether that order is the one the kubelet promises (1.29+: apps first, then sidecars in reverse
// declaration order), and who was SIGKILLed at the end of the shared grace period.
// Order comes from finishedAt (refined by log timestamps of the same second), never from the
// order of status updates or of Killing events: the kubelet stamps every Killing at shutdown start.
// Violations and notes are facts (types.ts TerminationModel); render/words/termination.ts words them.
import type { ClassifiedContainer } from './classify.js';
import type { PodEvent } from './events.js';
import type { Pod, ServerVersion } from './k8s.js';
import type { ContainerModel, ContainerLogs, LogSignal, Termination, TerminationModel, TerminationNote, TimelineSource } from './types.js';
import { containerTimes, type ContainerTimes } from './containers.js';
import { addSeconds, ms, preciseKey, sameSecond } from './time.js';
import { disruptionOf, isObj, oneLine, serverVersion } from './facts.js';
import { linesSince } from './logs.js';


const STOPPING = /^Stopping container\b/;

/** What the server version promises about termination order. */
export function serverPromise(v: ServerVersion | null | undefined): 'ordered' | 'unordered' | 'unknown' {
  const sv = serverVersion(v);
  if (!sv) return 'unknown';
  return sv.major > 1 || (sv.major === 1 && sv.minor >= 29) ? 'ordered' : 'unordered';
}

function podGrace(pod: Pod): number {
  const g = isObj(pod.spec) ? pod.spec.terminationGracePeriodSeconds : undefined;
  return typeof g === 'number' && g >= 0 ? g : 30;
}

/**
 * When deletion was requested: deletionTimestamp − deletionGracePeriodSeconds. The final update
 * before removal carries grace 0 and a later timestamp, so a "Stopping container" Killing event of
 * an app container (stamped at shutdown start) wins when it is earlier.
 */
export function deletionRequest(pod: Pod, events: PodEvent[], classified: ClassifiedContainer[]): { time: string; source: TimelineSource; grace: number } | null {
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  const ts = typeof meta.deletionTimestamp === 'string' && ms(meta.deletionTimestamp) !== null ? meta.deletionTimestamp : null;
  if (!ts) return null;
  const dg = typeof meta.deletionGracePeriodSeconds === 'number' && meta.deletionGracePeriodSeconds >= 0 ? meta.deletionGracePeriodSeconds : 0;
  const fromStatus = addSeconds(ts, -dg);
  const apps = new Set(classified.filter((c) => c.kind === 'app').map((c) => c.name));
  let stopping: string | null = null;
  for (const e of events) {
    if (e.reason !== 'Killing' || !STOPPING.test(e.message) || !e.container || !apps.has(e.container) || !e.firstTime) continue;
    if (!stopping || (ms(e.firstTime) ?? 0) < (ms(stopping) ?? 0)) stopping = e.firstTime;
  }
  const grace = dg > 0 ? dg : podGrace(pod);
  if (stopping && (ms(stopping) ?? 0) < (ms(fromStatus) ?? 0)) return { time: stopping, source: 'event', grace };
  return { time: fromStatus, source: 'status', grace };
}

interface Participant {
  name: string;
  kind: ClassifiedContainer['kind'];
  index: number;
  order: number;
  finishedAt: string | null;
  source: TimelineSource;
  exitCode: number | null;
  reason: string | null;
  running: boolean;
}

/** Must `a` end before `b`? Apps before sidecars; later-declared sidecars before earlier ones. */
function shouldEndBefore(a: Participant, b: Participant): boolean {
  if (a.kind === 'app' && b.kind === 'sidecar') return true;
  if (a.kind === 'sidecar' && b.kind === 'sidecar') return a.index > b.index;
  return false;
}

export function buildTermination(pod: Pod, classified: ClassifiedContainer[], containers: ContainerModel[], events: PodEvent[], logs: Record<string, ContainerLogs>, version?: ServerVersion | null): TerminationModel | null {
  const byName = new Map<string, ContainerModel>();
  for (const c of containers) byName.set(c.name, c);
  const apps = classified.filter((c) => c.kind === 'app');
  // All apps terminated ends the pod only when the kubelet will not restart them (KRM
  // computePodActions): restartPolicy Never, OnFailure with every app exited 0, or a terminal
  // phase. Under Always (or OnFailure after a failure) it is a crash loop, not a shutdown.
  const policy = pod.spec?.restartPolicy ?? 'Always';
  const phase = pod.status?.phase;
  const allTerminated = apps.length > 0 && apps.every((c) => byName.get(c.name)?.state === 'terminated');
  const appsDone = allTerminated && (phase === 'Succeeded' || phase === 'Failed' || policy === 'Never'
    || (policy === 'OnFailure' && apps.every((c) => byName.get(c.name)?.exitCode === 0)));
  const del = deletionRequest(pod, events, classified);
  // most pods, on most watch updates: neither ended nor being deleted
  if (!del && !appsDone) return null;
  const times = new Map<string, ContainerTimes>();
  for (const c of classified) times.set(c.name, containerTimes(c, logs[c.name]));
  const finish = (name: string) => times.get(name)?.current?.finishedAt ?? byName.get(name)?.finishedAt ?? null;

  let lastApp: string | null = null;
  if (appsDone) {
    for (const a of apps) {
      const f = finish(a.name);
      if (f && (!lastApp || preciseKey(f) > preciseKey(lastApp))) lastApp = f;
    }
  }

  // The apps finishing first (a Job's pod, or a completed pod deleted later) makes it a completion.
  const completion = appsDone && (!del || (lastApp !== null && preciseKey(lastApp) <= preciseKey(del.time)));
  const trigger: Termination['trigger'] = completion ? 'completion' : 'deletion';
  const startedAt = completion ? lastApp : del!.time;
  const gracePeriodSeconds = completion ? podGrace(pod) : del!.grace;
  const notes: TerminationNote[] = [];
  if (completion && !lastApp) notes.push({ kind: 'appFinishUnknown' });

  // Who took part: every app; sidecars and others that were still running when it started.
  const participants: Participant[] = [];
  const startKey = startedAt ? ms(startedAt) : null;
  for (const c of classified) {
    const lc = byName.get(c.name);
    if (!lc) continue;
    const f = finish(c.name);
    const running = lc.state === 'running';
    const endedBefore = lc.state === 'terminated' && f !== null && startKey !== null && Math.floor((ms(f) ?? 0) / 1000) < Math.floor(startKey / 1000);
    if (c.kind !== 'app') {
      if (lc.state === 'waiting' || lc.state === 'unknown') continue; // never ran, or waiting to restart: nothing to stop
      if (endedBefore) continue; // e.g. a regular init container that finished long before
    }
    const src = times.get(c.name)?.current?.finishedSource ?? 'status';
    participants.push({
      name: c.name, kind: c.kind, index: c.index, order: c.order, finishedAt: lc.state === 'terminated' ? f : null, source: src,
      exitCode: lc.state === 'terminated' ? lc.exitCode : null, reason: lc.state === 'terminated' ? lc.reason : null,
      running,
    });
  }

  const ended = participants.filter((p) => p.finishedAt !== null);
  const stillRunning = participants.filter((p) => p.finishedAt === null && p.running);
  // By finish time; a same-second tie with no log digits to split it keeps the promised order.
  const sorted = [...ended].sort((a, b) => {
    const d = preciseKey(a.finishedAt) - preciseKey(b.finishedAt);
    if (d !== 0 && !unresolvedTie(a, b)) return d;
    if (shouldEndBefore(a, b)) return -1;
    if (shouldEndBefore(b, a)) return 1;
    return d || a.order - b.order;
  });
  if (stillRunning.length) notes.push({ kind: 'stillRunning', containers: stillRunning.map((p) => p.name) });

  const violations: TerminationModel['violations'] = [];
  const ties: TerminationNote[] = [];
  for (const a of participants) {
    for (const b of participants) {
      if (!shouldEndBefore(a, b)) continue; // a should end before b
      if (b.finishedAt === null) continue; // b still running: fine so far
      if (a.finishedAt === null) {
        if (a.running) violations.push({ first: b.name, then: a.name });
        continue;
      }
      if (unresolvedTie(a, b)) {
        ties.push({ kind: 'tie', containers: [a.name, b.name], second: secondOf(a.finishedAt) });
        continue;
      }
      if (preciseKey(b.finishedAt) < preciseKey(a.finishedAt)) {
        // KEP-4438: sidecars are not restarted during termination; one that exits with its own code
        // (not 0, 143 for SIGTERM, 137 for SIGKILL) while the apps drain failed on its own.
        if (b.kind === 'sidecar' && selfExit(b)) {
          violations.push({ first: b.name, then: a.name, cause: 'sidecarExited' });
        } else {
          violations.push({ first: b.name, then: a.name, cause: 'order' });
        }
      }
    }
  }
  notes.push(...ties);

  // SIGKILL at the end of the grace period: exit 137 among those that ended during termination.
  const killed = ended.filter((p) => p.exitCode === 137 && p.reason !== 'OOMKilled' && (startKey === null || (ms(p.finishedAt) ?? 0) >= startKey - 999)).map((p) => p.name);

  // Neighbours in the order that one log-less second cannot split: printed as a group, not a sequence.
  const groups: string[][] = [];
  for (const p of sorted) {
    const last = groups[groups.length - 1];
    const prev = last ? sorted.find((x) => x.name === last[last.length - 1]) : undefined;
    if (last && prev && unresolvedTie(prev, p)) last.push(p.name);
    else groups.push([p.name]);
  }
  const unknownFinish = participants.filter((p) => p.finishedAt === null && !p.running && p.exitCode !== null).map((p) => p.name);

  const promise = serverPromise(version);
  if (promise === 'unordered') notes.push({ kind: 'unordered' });

  return {
    startedAt,
    order: sorted.map((p) => p.name),
    ordered: violations.length === 0,
    violations,
    killed,
    trigger,
    gracePeriodSeconds,
    containers: participants.map((p) => ({ name: p.name, kind: p.kind, finishedAt: p.finishedAt, exitCode: p.exitCode, reason: p.reason, source: p.source })),
    serverPromise: promise,
    running: stillRunning.map((p) => p.name),
    notes,
    groups,
    ...(unknownFinish.length ? { unknownFinish } : {}),
    disruption: disruptionOf(pod),
    signalled: startedAt ? signalledByLogs(stillRunning.map((p) => p.name), logs, startedAt) : [],
  };
}

/** A log line saying the process got its stop signal or began shutting down (a heuristic on the text). */
const SIGNAL_WORDS = /\bSIG(?:TERM|INT|QUIT|HUP|USR[12])\b|\bsignal\b|\bshut(?:ting)? ?down\b|\bexiting\b|\bterminat(?:e|ed|ing)\b|\bstopping\b|\bgraceful/i;

/**
 * Containers the status still reports running whose log after `since` (termination began) shows
 * the signal arrived: the status lags, the CRI log's timestamp does not (model/logs.ts).
 */
function signalledByLogs(names: string[], logs: Record<string, ContainerLogs>, since: string): LogSignal[] {
  const out: LogSignal[] = [];
  for (const name of names) {
    const hit = linesSince(logs[name]?.current, since).filter((l) => SIGNAL_WORDS.test(String(l.text))).at(-1);
    if (hit) out.push({ container: name, time: hit.time, line: oneLine(String(hit.text)) });
  }
  return out.sort((x, y) => preciseKey(x.time) - preciseKey(y.time));
}

const SIGNAL_EXITS = new Set([0, 137, 143]);
function selfExit(p: Participant): boolean {
  return p.reason === 'OOMKilled' || (p.exitCode !== null && !SIGNAL_EXITS.has(p.exitCode));
}

/** The whole second a time falls in, as RFC 3339 (null when unknown). */
function secondOf(t: string | null): string | null {
  return t ? new Date(Math.floor((ms(t) ?? 0) / 1000) * 1000).toISOString().replace('.000Z', 'Z') : null;
}

/** Same second, and at least one of the two has only the status's whole-second time. */
function unresolvedTie(a: Participant, b: Participant): boolean {
  return sameSecond(a.finishedAt, b.finishedAt) && (a.source !== 'log' || b.source !== 'log');
}

