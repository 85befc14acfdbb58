// Per-container facts in lifecycle order (the contract's `containers`): state, exit, readiness,
// restarts, times (status times refined by log timestamps of the same second), probes, hooks,
// resources. Malformed parts become `unknown`/null plus a note (types.ts InputNote, worded in
// render/words/notes.ts), never an exception.
import type { ClassifiedContainer } from './classify.js';
import { classifyContainers } from './classify.js';
import type { Container, ContainerStatus, Pod, Quantities } from './k8s.js';
import type { ContainerKind, ContainerLogs, ContainerModel, ContainerStateName, InputNote, TimelineSource } from './types.js';
import { firstLineTime, instanceSamples, lastLineText, lastLineTime } from './logs.js';
import { ms, sameSecond } from './time.js';
import { isObj, strOrNull } from './facts.js';

const numOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** A terminated record (state.terminated or lastState.terminated), read defensively. */
export interface TerminatedFacts {
  exitCode: number | null;
  signal: number | null;
  reason: string | null;
  message: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** The value as an object; null when absent, or when not an object (then noted). */
function readObject(v: unknown, notes: InputNote[] | undefined, field: string, suffix = ''): Record<string, unknown> | null {
  if (v === null || v === undefined) return null;
  if (isObj(v)) return v;
  notes?.push({ field: field + suffix, problem: 'notObject' });
  return null;
}

/** A value for a note: its JSON, cut to `max` characters. */
const shown = (v: unknown, max = 40): string | undefined => JSON.stringify(v)?.slice(0, max);

export function readTerminated(v0: unknown, notes?: InputNote[], label = 'terminated'): TerminatedFacts | null {
  const v = readObject(v0, notes, label);
  if (!v) return null;
  const t: TerminatedFacts = {
    exitCode: numOrNull(v.exitCode),
    signal: numOrNull(v.signal) || null,
    reason: strOrNull(v.reason),
    message: strOrNull(v.message),
    startedAt: validTime(v.startedAt, notes, label, '.startedAt'),
    finishedAt: validTime(v.finishedAt, notes, label, '.finishedAt'),
  };
  if (v.exitCode !== undefined && t.exitCode === null) notes?.push({ field: `${label}.exitCode`, problem: 'notNumber' });
  return t;
}

/**
 * The Unix epoch in a container state's time is "never" (the kubelet converts the runtime's unset
 * 0 with time.Unix; containerd reports a StartError with startedAt 1970-01-01T00:00:00Z): read as
 * absent here, where every state time is read, never as a moment 56 years ago.
 */
const NEVER_MS = 0;

/** `label` + `field` names the field in a note (joined only then: every update reads these times). */
function validTime(v: unknown, notes: InputNote[] | undefined, label: string, field: string): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') {
    const t = ms(v);
    if (t === NEVER_MS) return null;
    if (t !== null) return v;
  }
  notes?.push({ field: label + field, problem: 'notTime', value: shown(v) });
  return null;
}

export interface StateFacts {
  name: ContainerStateName;
  reason: string | null;
  message: string | null;
  exitCode: number | null;
  signal: number | null;
  startedAt: string | null;
  finishedAt: string | null;
}

/** state → one of waiting/running/terminated, or unknown (absent, empty or malformed). */
// Literal objects, not spreads: read several times per container on every watch update.
const stateFacts = (name: ContainerStateName, reason: string | null, message: string | null, startedAt: string | null): StateFacts =>
  ({ name, reason, message, exitCode: null, signal: null, startedAt, finishedAt: null });

export function readState(state0: unknown, notes?: InputNote[], label = 'state'): StateFacts {
  const before = notes?.length ?? 0;
  const state = readObject(state0, notes, label);
  if (!state) return stateFacts('unknown', null, null, null);
  // The API guarantees at most one member; a terminated record wins over a stale running one.
  if (state.terminated !== undefined && state.terminated !== null) {
    const t = readTerminated(state.terminated, notes, `${label}.terminated`);
    if (t) return { name: 'terminated', exitCode: t.exitCode, signal: t.signal, reason: t.reason, message: t.message, startedAt: t.startedAt, finishedAt: t.finishedAt };
  }
  const running = readObject(state.running, notes, label, '.running');
  if (running) return stateFacts('running', null, null, validTime(running.startedAt, notes, label, '.running.startedAt'));
  const waiting = readObject(state.waiting, notes, label, '.waiting');
  if (waiting) return stateFacts('waiting', strOrNull(waiting.reason), strOrNull(waiting.message), null);
  if ((notes?.length ?? 0) === before) notes?.push({ field: label, problem: 'emptyState' });
  return stateFacts('unknown', null, null, null);
}

export interface InstanceTimes {
  startedAt: string | null;
  startedSource: TimelineSource;
  finishedAt: string | null;
  finishedSource: TimelineSource;
}

/** Status times are truncated to the second; a log line of the same second carries the real digits. */
function refine(statusTime: string | null, logTime: string | null): { time: string | null; source: TimelineSource } {
  if (statusTime && logTime && sameSecond(statusTime, logTime)) return { time: logTime, source: 'log' };
  return { time: statusTime, source: 'status' };
}

export interface ContainerTimes {
  current: InstanceTimes | null;
  last: InstanceTimes | null;
}

/**
 * Start/finish of the current instance (state) and of the previous one (lastState.terminated),
 * refined by the first/last log line of that instance when it falls in the same second. Computed
 * once per container and logs (kept on the classified container, whose status does not change):
 * callers only read the answer.
 */
export function containerTimes(c: ClassifiedContainer, logs: ContainerLogs | undefined): ContainerTimes {
  const memo = c.times;
  if (memo && memo.logs === logs) return memo.value;
  const value = instanceTimes(c, logs);
  c.times = { logs, value };
  return value;
}

function instanceTimes(c: ClassifiedContainer, logs: ContainerLogs | undefined): ContainerTimes {
  const status = isObj(c.status) ? c.status : null;
  const samples = instanceSamples(logs, status);
  const st = readState(status?.state);
  let current: InstanceTimes | null = null;
  if (st.name === 'running' || st.name === 'terminated') {
    const s = refine(st.startedAt, firstLineTime(samples.current));
    const f = refine(st.finishedAt, lastLineTime(samples.current));
    current = { startedAt: s.time, startedSource: s.source, finishedAt: f.time, finishedSource: f.source };
  }
  const lt = isObj(status?.lastState) ? readTerminated((status!.lastState as Record<string, unknown>).terminated) : null;
  let last: InstanceTimes | null = null;
  if (lt) {
    const s = refine(lt.startedAt, firstLineTime(samples.last));
    const f = refine(lt.finishedAt, lastLineTime(samples.last));
    last = { startedAt: s.time, startedSource: s.source, finishedAt: f.time, finishedSource: f.source };
  }
  return { current, last };
}

function quantities(q: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObj(q)) return out;
  const o = q as Quantities;
  // own keys in order, as Object.entries, without its pairs (two per container and update)
  for (const k in o) {
    if (!Object.hasOwn(o, k)) continue;
    const v = o[k];
    if (typeof v === 'string' || typeof v === 'number') out[k] = String(v);
  }
  return out;
}

const hasProbe = (p: unknown) => isObj(p);

function lifecycleOf(c: ClassifiedContainer, logs: Record<string, ContainerLogs>, hasAnyStatus: boolean): ContainerModel {
  const notes: InputNote[] = [];
  const spec: Container = isObj(c.spec) ? c.spec : {};
  const status: ContainerStatus | null = isObj(c.status) ? c.status : null;
  if (c.status !== null && c.status !== undefined && !status) notes.push({ field: 'status', problem: 'notObject' });
  if (typeof spec.name !== 'string' || !spec.name) notes.push({ field: 'spec.name', problem: 'noName', name: c.name });
  if (!status && hasAnyStatus) notes.push({ field: 'status', problem: 'noStatus' });
  const st = readState(status?.state, notes);
  if (status && (status.state === undefined || status.state === null)) notes.push({ field: 'status.state', problem: 'noState' });

  let restartCount = 0;
  if (status && status.restartCount !== undefined) {
    if (Number.isSafeInteger(status.restartCount) && (status.restartCount as number) >= 0) restartCount = status.restartCount as number;
    else notes.push({ field: 'restartCount', problem: 'notCount', value: shown(status.restartCount, 20) });
  }
  const started = typeof status?.started === 'boolean' ? status.started : null;
  const ready = typeof status?.ready === 'boolean' ? status.ready : null;
  if (status && status.started !== undefined && status.started !== null && started === null) notes.push({ field: 'started', problem: 'notBoolean' });
  if (status && status.ready !== undefined && ready === null) notes.push({ field: 'ready', problem: 'notBoolean' });

  const lastT = isObj(status?.lastState) ? readTerminated((status!.lastState as Record<string, unknown>).terminated, notes, 'lastState.terminated') : null;
  if (status && status.lastState !== undefined && status.lastState !== null && !isObj(status.lastState)) notes.push({ field: 'lastState', problem: 'notObject' });

  const times = containerTimes(c, logs[c.name]);
  const lc = isObj(spec.lifecycle) ? spec.lifecycle : null;
  return {
    name: c.name,
    kind: c.kind,
    index: c.index,
    // kubectl describe shows the spec's image; the runtime's resolved name and digest are added below
    image: strOrNull(spec.image) ?? strOrNull(status?.image) ?? '',
    state: st.name,
    reason: st.reason,
    exitCode: st.exitCode,
    started,
    ready,
    restartCount,
    startedAt: times.current?.startedAt ?? st.startedAt,
    finishedAt: times.current?.finishedAt ?? st.finishedAt,
    probes: { startup: hasProbe(spec.startupProbe), readiness: hasProbe(spec.readinessProbe), liveness: hasProbe(spec.livenessProbe) },
    legacySidecar: c.legacySidecar,
    message: st.message,
    signal: st.signal,
    lastState: lastT
      ? { exitCode: lastT.exitCode, reason: lastT.reason, startedAt: times.last?.startedAt ?? lastT.startedAt, finishedAt: times.last?.finishedAt ?? lastT.finishedAt }
      : null,
    hooks: { postStart: isObj(lc?.postStart), preStop: isObj(lc?.preStop) },
    lastLogLine: lastLogLineOf(logs[c.name], status, st.name),
    requests: quantities(isObj(spec.resources) ? spec.resources.requests : null),
    limits: quantities(isObj(spec.resources) ? spec.resources.limits : null),
    notes,
    statusImage: strOrNull(status?.image),
    imageID: strOrNull(status?.imageID),
  };
}

/**
 * The last log line read of the instance that matters: the one that ended (terminated, or waiting
 * to restart: the previous instance), else the running one. Often the crash cause.
 */
export function lastLogLineOf(logs: ContainerLogs | undefined, status: ContainerStatus | null, state: ContainerStateName): string | null {
  const inst = instanceSamples(logs, status);
  const text = lastLineText(state === 'waiting' ? inst.last : inst.current);
  return text && text.trim() ? text : null;
}

/** Statuses naming no container of the spec, as extra entries (index -1) so nothing is dropped. */
function orphans(pod: Pod, known: Set<string>): ContainerModel[] {
  const s = isObj(pod.status) ? pod.status : {};
  const lists: [unknown, ContainerKind, string][] = [[s.initContainerStatuses, 'init', 'initContainerStatuses'], [s.containerStatuses, 'app', 'containerStatuses'], [s.ephemeralContainerStatuses, 'ephemeral', 'ephemeralContainerStatuses']];
  const out: ContainerModel[] = [];
  for (const [list, kind, field] of lists) {
    if (list !== undefined && list !== null && !Array.isArray(list)) continue;
    for (const st of (list as unknown[] | null | undefined) ?? []) {
      // a status without a name belongs to no container: the pod's notes say so (namelessStatuses)
      if (!isObj(st) || typeof st.name !== 'string' || !st.name) continue;
      const name = st.name;
      if (known.has(name)) continue;
      const fake: ClassifiedContainer = { name, kind, index: -1, order: -1, spec: {}, status: st as ContainerStatus, legacySidecar: null, times: undefined };
      const lc = lifecycleOf(fake, {}, true);
      lc.notes = [{ field, problem: 'absentFromSpec' }, ...lc.notes.filter((n) => n.problem !== 'noName')];
      out.push(lc);
    }
  }
  return out;
}

/** Container statuses that carry no name, as pod-level notes: they cannot be matched to any container. */
export function namelessStatuses(pod: Pod): InputNote[] {
  const s = isObj(pod?.status) ? pod.status : {};
  const notes: InputNote[] = [];
  for (const field of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'] as const) {
    const list = s[field];
    if (!Array.isArray(list)) continue;
    list.forEach((st, i) => {
      if (isObj(st) && (typeof st.name !== 'string' || !st.name)) notes.push({ field: `status.${field}[${i}]`, problem: 'statusNoName' });
    });
  }
  return notes;
}

/** The contract's `containers`: inits and sidecars as declared, apps, ephemerals; then orphan statuses. */
export function buildContainers(pod: Pod, classified?: ClassifiedContainer[], logs: Record<string, ContainerLogs> = {}): ContainerModel[] {
  const cls = classified ?? classifyContainers(pod);
  const s = isObj(pod?.status) ? pod.status : {};
  const hasAnyStatus = [s.initContainerStatuses, s.containerStatuses].some((l) => Array.isArray(l) && l.length > 0);
  const safeLogs = isObj(logs) ? logs : {};
  const out = cls.map((c) => lifecycleOf(c, safeLogs, hasAnyStatus));
  // Statuses of spec-less containers go into their own list entries with a note.
  const statusLists = [s.initContainerStatuses, s.containerStatuses, s.ephemeralContainerStatuses];
  for (const [i, l] of statusLists.entries()) {
    if (l !== undefined && l !== null && !Array.isArray(l)) {
      const label = ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'][i];
      for (const c of out) if ((i === 0 && (c.kind === 'init' || c.kind === 'sidecar')) || (i === 1 && c.kind === 'app') || (i === 2 && c.kind === 'ephemeral')) c.notes.push({ field: `status.${label}`, problem: 'notList' });
    }
  }
  const known = new Set<string>();
  for (const c of cls) known.add(c.name);
  const extra = orphans(pod ?? {}, known);
  for (const o of extra) out.push(o);
  return out;
}
