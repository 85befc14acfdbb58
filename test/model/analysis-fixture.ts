// Builds a PodAnalysis straight from a recorded snapshot, read by the production -f loader
// (src/sources/files.ts loadFiles, through ./evidence.ts), so the rule modules are tested on real
// data read the way `describe -f` reads it. Derived parts (summary, timeline…) are filled
// minimally: the rules under test read the raw pod, statuses, events and logs themselves.
import type { PodAnalysis } from '../../src/model/analysis.js';
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import type { CoreEvent, EventsV1Event, Pod, ServerVersion } from '../../src/model/k8s.js';
import type { ModelContext, PodEvidence, PodSummary } from '../../src/model/types.js';
import { contextOf, loadedSnapshot } from './evidence.js';

export interface Snapshot {
  pods: Pod[];
  /** Every pod's events, both event APIs, as matched to their pod. */
  events: (CoreEvent | EventsV1Event)[];
  takenAt: string;
  version: ServerVersion | null;
}

export function snapshot(scenario: string, name: string): Snapshot {
  const g = loadedSnapshot(scenario, name);
  return { pods: g.pods.map((e) => e.pod), events: g.pods.flatMap((e) => e.events), takenAt: contextOf(scenario, name).now, version: g.version };
}

function minimalSummary(pod: Pod): PodSummary {
  const md = pod.metadata ?? {};
  const st = pod.status ?? {};
  return {
    namespace: md.namespace ?? '', name: md.name ?? '', uid: md.uid ?? '', node: pod.spec?.nodeName ?? null,
    phase: st.phase ?? 'Unknown', status: st.phase ?? 'Unknown', ready: '', restartPolicy: pod.spec?.restartPolicy ?? 'Always',
    createdAt: md.creationTimestamp ?? null, deletionTimestamp: md.deletionTimestamp ?? null,
    terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30, restarts: 0, lastRestartAt: null,
    startedAt: st.startTime ?? null, qosClass: st.qosClass ?? null, owner: null,
    conditions: (st.conditions ?? []).map((c) => ({
      type: c.type ?? '', status: c.status ?? '', reason: c.reason ?? null, message: c.message ?? null, lastTransitionTime: c.lastTransitionTime ?? null,
    })),
    reason: st.reason ?? null, message: st.message ?? null, finalizers: md.finalizers ?? [],
  };
}

export interface AnalysisOptions {
  pod?: string;
  /** Evaluate at this time instead of the snapshot's taken-at. */
  now?: string;
  version?: ServerVersion | null;
  /** Edit the (deep-copied) recorded pod / events before analysis; tests say what they change. */
  editPod?: (pod: Pod) => void;
  editEvents?: (events: (CoreEvent | EventsV1Event)[], pod: Pod) => (CoreEvent | EventsV1Event)[];
}

/** The evidence of one recorded pod (the first, or the one named) as the sources layer gathers it. */
export function evidenceFrom(scenario: string, snap: string, opts: AnalysisOptions = {}): { evidence: PodEvidence; ctx: ModelContext } {
  const all = loadedSnapshot(scenario, snap).pods;
  const found = opts.pod ? all.find((e) => e.pod.metadata?.name === opts.pod) : all[0];
  if (!found) throw new Error(`no pod ${opts.pod ?? ''} in ${scenario}/${snap}`);
  const evidence: PodEvidence = structuredClone(found);
  opts.editPod?.(evidence.pod);
  if (opts.editEvents) evidence.events = opts.editEvents(evidence.events, evidence.pod);
  const ctx = contextOf(scenario, snap);
  return { evidence, ctx: { now: opts.now ?? ctx.now, version: opts.version === undefined ? ctx.version : opts.version } };
}

/** A PodAnalysis of one recorded pod, from its own events only; derived parts minimal. */
export function analysisFrom(scenario: string, snap: string, opts: AnalysisOptions = {}): PodAnalysis {
  const { evidence, ctx } = evidenceFrom(scenario, snap, opts);
  const pod = evidence.pod;
  return {
    pod,
    classified: classifyContainers(pod),
    events: normalizeEvents(evidence.events),
    logs: evidence.logs,
    sources: evidence.sources,
    ctx,
    summary: minimalSummary(pod),
    containers: [],
    timeline: [],
    restarts: [],
    termination: null,
  };
}
