// A named workload's own outcome (the contract's `workloads`): a Job's outcome is on the Job, not on
// its pods (conditions Complete/Failed with reasons BackoffLimitExceeded, DeadlineExceeded,
// PodFailurePolicy…; FailureTarget/SuccessCriteriaMet in between); a rollout's state follows
// `kubectl rollout status` (kubectl pkg/polymorphichelpers/rollout_status.go). Pure. Each outcome
// says which rule held (types.ts WorkloadFacts); render/words/workloads.ts words its message.
import type { PodModel, WorkloadFacts, WorkloadModel, WorkloadOutcome } from './types.js';
import { ms } from './time.js';
import { strOrNull } from './facts.js';

/** The fields read from a workload object (Job, Deployment, StatefulSet, DaemonSet, ReplicaSet, CronJob). */
export interface WorkloadObject {
  kind?: string;
  metadata?: { name?: string; namespace?: string; uid?: string; generation?: number };
  spec?: { replicas?: number; [k: string]: unknown } | null;
  status?: {
    conditions?: { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string }[] | null;
    observedGeneration?: number;
    [k: string]: unknown;
  } | null;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

function cond(w: WorkloadObject, type: string) {
  const cs = Array.isArray(w.status?.conditions) ? w.status!.conditions! : [];
  return cs.find((c) => c && c.type === type && c.status === 'True') ?? null;
}

/** The pod of a Job that failed last, and why: its failing container, exit code and last log line. */
function lastFailedPod(pods: PodModel[]): WorkloadOutcome['lastFailedPod'] {
  let best: NonNullable<WorkloadOutcome['lastFailedPod']> | null = null;
  for (const p of pods) {
    if (p.pod.phase !== 'Failed') continue;
    const failing = p.containers.filter((c) => c.kind === 'app' || c.kind === 'init').find((c) => c.state === 'terminated' && c.exitCode !== 0 && c.exitCode !== null) ?? null;
    const finishedAt = failing?.finishedAt ?? p.timeline.filter((e) => e.type === 'PodCompleted').at(-1)?.time ?? null;
    const cand = { name: p.pod.name, container: failing?.name ?? null, exitCode: failing?.exitCode ?? null, reason: failing?.reason ?? p.pod.reason, finishedAt, lastLogLine: failing?.lastLogLine ?? null };
    if (!best || (ms(cand.finishedAt) ?? 0) >= (ms(best.finishedAt) ?? 0)) best = cand;
  }
  return best;
}

type Outcome = Pick<WorkloadModel, 'state' | 'reason' | 'message' | 'since' | 'counts' | 'facts'>;

function job(w: WorkloadObject, pods: PodModel[]): Outcome & Pick<WorkloadOutcome, 'lastFailedPod'> {
  const s = w.status ?? {};
  const counts = { active: num(s.active), succeeded: num(s.succeeded), failed: num(s.failed), ready: num(s.ready) };
  const failed = cond(w, 'Failed') ?? cond(w, 'FailureTarget');
  const complete = cond(w, 'Complete') ?? cond(w, 'SuccessCriteriaMet');
  const suspended = cond(w, 'Suspended');
  const c = failed ?? complete ?? suspended;
  const state = failed ? (failed.type === 'Failed' ? 'Failed' : 'Failing') : complete ? (complete.type === 'Complete' ? 'Complete' : 'Completing') : suspended ? 'Suspended' : 'Running';
  return {
    state,
    reason: strOrNull(c?.reason),
    message: strOrNull(c?.message),
    since: strOrNull(c?.lastTransitionTime),
    counts,
    lastFailedPod: failed || counts.failed > 0 ? lastFailedPod(pods) : null,
    facts: { rule: 'jobCondition' },
  };
}

/** kubectl rollout status for Deployments, StatefulSets and DaemonSets. */
function rollout(w: WorkloadObject): Outcome {
  const s = w.status ?? {};
  const gen = num(w.metadata?.generation);
  const observed = num(s.observedGeneration);
  const kind = w.kind ?? '';
  const progressing = (Array.isArray(s.conditions) ? s.conditions : []).find((c) => c?.type === 'Progressing') ?? null;
  const available = (Array.isArray(s.conditions) ? s.conditions : []).find((c) => c?.type === 'Available') ?? null;
  const out = (state: string, facts: WorkloadFacts, c?: typeof progressing, counts: Record<string, number> = {}): Outcome =>
    ({ state, reason: strOrNull(c?.reason), message: null, since: strOrNull(c?.lastTransitionTime), counts, facts });
  // spec.replicas defaults to 1 (Deployment, StatefulSet, ReplicaSet)
  const want = w.spec && typeof w.spec.replicas === 'number' ? w.spec.replicas : 1;
  if (observed < gen) return out('Progressing', { rule: 'generationNotObserved', generation: gen, observedGeneration: observed });
  if (kind === 'Deployment') {
    const counts = { replicas: num(s.replicas), updated: num(s.updatedReplicas), ready: num(s.readyReplicas), available: num(s.availableReplicas), desired: want };
    if (progressing?.reason === 'ProgressDeadlineExceeded') return out('RolloutStuck', { rule: 'progressDeadlineExceeded', message: progressing.message ?? null }, progressing, counts);
    if (counts.updated < want) return out('Progressing', { rule: 'replicasUpdating' }, progressing, counts);
    if (counts.replicas > counts.updated) return out('Progressing', { rule: 'oldReplicasPending' }, progressing, counts);
    if (counts.available < counts.updated) return out('Progressing', { rule: 'updatedNotAvailable' }, progressing, counts);
    if (available && available.status !== 'True') {
      return out('Degraded', { rule: 'availableFalse', status: String(available.status), reason: available.reason ?? null, message: available.message ?? null }, available, counts);
    }
    return out('Available', { rule: 'rolledOut' }, progressing, counts);
  }
  if (kind === 'StatefulSet') {
    const counts = { replicas: num(s.replicas), ready: num(s.readyReplicas), updated: num(s.updatedReplicas), desired: want };
    if (counts.ready < want) return out('Progressing', { rule: 'podsNotReady' }, null, counts);
    if (s.updateRevision && s.currentRevision && s.updateRevision !== s.currentRevision) return out('Progressing', { rule: 'revisionPending', revision: String(s.updateRevision) }, null, counts);
    return out('Available', { rule: 'rolledOut', revision: s.currentRevision === undefined || s.currentRevision === null ? null : String(s.currentRevision) }, null, counts);
  }
  if (kind === 'DaemonSet') {
    const counts = { desired: num(s.desiredNumberScheduled), updated: num(s.updatedNumberScheduled), available: num(s.numberAvailable) };
    if (counts.updated < counts.desired) return out('Progressing', { rule: 'podsNotScheduled' }, null, counts);
    if (counts.available < counts.desired) return out('Progressing', { rule: 'podsNotAvailable' }, null, counts);
    return out('Available', { rule: 'rolledOut' }, null, counts);
  }
  if (kind === 'ReplicaSet') {
    const counts = { replicas: num(s.replicas), ready: num(s.readyReplicas), available: num(s.availableReplicas), desired: want };
    return out(counts.available < want ? 'Progressing' : 'Available', { rule: 'replicasAvailable' }, null, counts);
  }
  return out('Unknown', { rule: 'noRule' });
}

/** Outcomes that are failures (`describe --exit-code` exits 2; text paints them red). */
const FAILED: ReadonlySet<string> = new Set(['Failed', 'Failing', 'RolloutStuck', 'Degraded']);
export const workloadFailed = (w: Pick<WorkloadOutcome, 'state'>): boolean => FAILED.has(w.state);

/** Outcomes of the named workloads, each with the described pods it owns (by the caller's matching). */
export function describeWorkloads(items: { workload: WorkloadObject; pods: PodModel[] }[]): WorkloadModel[] {
  return items.map(({ workload: w, pods }) => {
    const base = { kind: w.kind ?? '', namespace: w.metadata?.namespace ?? '', name: w.metadata?.name ?? '', pods: pods.map((p) => p.pod.name) };
    if (w.kind === 'Job') return { ...base, ...job(w, pods) };
    if (w.kind === 'CronJob') {
      const s = w.status ?? {};
      const active = Array.isArray(s.active) ? s.active.length : 0;
      return { ...base, state: active ? 'Running' : 'Idle', reason: null, since: strOrNull(s.lastScheduleTime), message: null, counts: { active },
        facts: { rule: 'cronJob', lastScheduleTime: strOrNull(s.lastScheduleTime), lastSuccessfulTime: strOrNull(s.lastSuccessfulTime) } };
    }
    return { ...base, ...rollout(w) };
  });
}
