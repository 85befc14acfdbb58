// Evidence in, lifecycle out: the whole model for one pod (and a list of pods). Pure: `now` and
// the server version come in through the context. Never throws on malformed input: every builder
// reads defensively, and a rule module that still fails yields nothing for its section, with a
// pod-level note saying so (never a silent loss).
import { classifyContainers, type ClassifiedContainer } from './classify.js';
import { normalizeEvents, type PodEvent } from './events.js';
import type { Pod } from './k8s.js';
import type { PodAnalysis } from './analysis.js';
import type { AdviceFinding, BlockerFinding, WaitFinding } from './findings.js';
import { API_VERSION, type ContainerLogs, type InputNote, type ModelContext, type PodEvidence, type PodLifecycle, type PodModel, type PodModelList, type ResourcesModel, type SourceState } from './types.js';
import { summarizePod } from './status.js';
import { buildContainers, namelessStatuses } from './containers.js';
import { untimestampedLogs } from './logs.js';
import { buildTimeline } from './timeline.js';
import { buildRestarts } from './restarts.js';
import { buildTermination } from './termination.js';
import { detectBlockers } from './blockers.js';
import { computeResources } from './resources.js';
import { advise } from './advice.js';
import { judge } from './verdict.js';
import { isObj } from './facts.js';
import { ms } from './time.js';

const SOURCE_STATES: SourceState[] = ['ok', 'forbidden', 'unavailable', 'expired', 'skipped'];

function sourceState(v: unknown): SourceState {
  return SOURCE_STATES.includes(v as SourceState) ? (v as SourceState) : 'unavailable';
}

/** A rule module failing on odd input must not take the whole answer down, nor vanish unsaid. */
function guarded<T>(what: string, f: () => T, fallback: T, notes: InputNote[]): T {
  try {
    return f();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    notes.push({ field: what, problem: 'failed', value: msg.split('\n')[0].slice(0, 120) });
    return fallback;
  }
}

const EMPTY_RESOURCES: ResourcesModel = { requests: {}, limits: {}, naiveSumRequests: {}, naiveSumLimits: {}, basis: 'containers', overhead: {} };

/** Only this pod's events (when an event names another object uid, it is not evidence for this pod). */
function ownEvents(pod: Pod, events: PodEvent[], raw: unknown[]): PodEvent[] {
  const uid = isObj(pod.metadata) && typeof pod.metadata.uid === 'string' ? pod.metadata.uid : null;
  if (!uid) return events;
  const foreign = new Set<string>();
  for (const e of raw) {
    if (!isObj(e)) continue;
    const ref = (isObj(e.involvedObject) ? e.involvedObject : isObj(e.regarding) ? e.regarding : null) as Record<string, unknown> | null;
    const meta = isObj(e.metadata) ? e.metadata : {};
    if (ref && typeof ref.uid === 'string' && ref.uid !== uid && typeof meta.uid === 'string') foreign.add(meta.uid);
  }
  return events.filter((e) => !foreign.has(e.key));
}

/** Pod-level times that are present but unreadable: shown as unknown (null), said in a note. */
function podTimeNotes(pod: Pod): InputNote[] {
  const notes: InputNote[] = [];
  const check = (obj: unknown, key: string, where: string) => {
    if (!isObj(obj) || obj[key] === undefined || obj[key] === null) return;
    const v = obj[key];
    if (typeof v !== 'string' || ms(v) === null) notes.push({ field: `${where}.${key}`, problem: 'notTime', value: JSON.stringify(v)?.slice(0, 40) });
  };
  check(pod.metadata, 'creationTimestamp', 'metadata');
  check(pod.metadata, 'deletionTimestamp', 'metadata');
  check(pod.status, 'startTime', 'status');
  return notes;
}

export function describePod(ev: PodEvidence, ctx: ModelContext): PodModel {
  const e: Partial<PodEvidence> = isObj(ev) ? ev : {};
  const pod: Pod = isObj(e.pod) ? (e.pod as Pod) : {};
  const rawEvents: unknown[] = Array.isArray(e.events) ? e.events : [];
  const logs: Record<string, ContainerLogs> = isObj(e.logs) ? (e.logs as Record<string, ContainerLogs>) : {};
  const sources: PodLifecycle['sources'] = { events: sourceState(e.sources?.events), logs: sourceState(e.sources?.logs) };
  if (sources.logs === 'ok' && untimestampedLogs(logs)) sources.logTimestamps = false;
  const context: ModelContext = isObj(ctx) ? ctx : { now: '' };

  const classified: ClassifiedContainer[] = classifyContainers(pod);
  const events = ownEvents(pod, normalizeEvents(rawEvents as PodEvidence['events']), rawEvents);
  const summary = summarizePod(pod);
  const containers = buildContainers(pod, classified, logs);
  const timeline = buildTimeline(pod, classified, containers, events, logs);
  const restarts = buildRestarts(classified, containers, events, { restartPolicy: summary.restartPolicy, phase: summary.phase });
  const termination = buildTermination(pod, classified, containers, events, logs, context.version ?? null);

  const analysis: PodAnalysis = { pod, classified, events, logs, sources, ctx: context, summary, containers, timeline, restarts, termination };
  const notes: InputNote[] = [...podTimeNotes(pod), ...namelessStatuses(pod)];
  const waitingOn: WaitFinding[] = [];
  const blockers: BlockerFinding[] = guarded('blockers', () => detectBlockers(analysis, waitingOn), [], notes);
  const skip = Array.isArray(context.skip) ? context.skip : [];
  const resources: ResourcesModel = skip.includes('resources') ? EMPTY_RESOURCES : guarded('resources', () => computeResources(pod), EMPTY_RESOURCES, notes);
  const advice: AdviceFinding[] = skip.includes('advice') ? [] : guarded('advice', () => advise(analysis), [], notes);

  const verdict = guarded('verdict', () => judge(analysis, blockers, waitingOn), { state: 'Unknown' as const, facts: { kind: 'notWorkedOut' as const }, evidence: [] }, notes);
  const lc: PodModel = { pod: summary, containers, timeline, restarts, termination, blockers, resources, advice, sources, verdict, waitingOn: blockers.length ? [] : waitingOn };
  if (notes.length) lc.notes = notes;
  return lc;
}

export function describePods(evs: PodEvidence[], ctx: ModelContext): PodModelList {
  return { apiVersion: API_VERSION, kind: 'PodLifecycleList', items: (Array.isArray(evs) ? evs : []).map((ev) => describePod(ev, ctx)) };
}
