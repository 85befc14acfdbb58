// Words for a named workload's outcome (model/workloads.ts): its `message`, from the rule that held and
// the controller's counts, as `kubectl rollout status` says it. A Job's message is its condition's own.
import type { WorkloadFacts, WorkloadModel, WorkloadOutcome } from '../../model/types.js';

function rolloutMessage(kind: string, f: WorkloadFacts, n: Record<string, number>): string | null {
  switch (f.rule) {
    case 'jobCondition': return null;
    case 'generationNotObserved': return `the controller has not observed generation ${f.generation} yet (observed ${f.observedGeneration})`;
    case 'progressDeadlineExceeded': return `rollout exceeded its progress deadline: ${f.message ?? ''}`.trim();
    case 'replicasUpdating': return `${n.updated} of ${n.desired} new replicas have been updated`;
    case 'oldReplicasPending': return `${n.replicas - n.updated} old replicas are pending termination`;
    case 'updatedNotAvailable': return `${n.available} of ${n.updated} updated replicas are available`;
    case 'availableFalse': return `Available=${f.status}: ${f.message ?? f.reason ?? ''}`.trim();
    case 'podsNotReady': return `${n.ready} of ${n.desired} pods are ready`;
    case 'revisionPending': return `${n.updated} pods at the new revision ${f.revision}`;
    case 'podsNotScheduled': return `${n.updated} of ${n.desired} updated pods are scheduled`;
    case 'podsNotAvailable': return `${n.available} of ${n.desired} updated pods are available`;
    case 'replicasAvailable': return `${n.available} of ${n.desired} replicas available`;
    case 'rolledOut':
      if (kind === 'StatefulSet') return `rolled out: ${n.ready} of ${n.desired} pods ready at revision ${f.revision ?? '?'}`;
      return `rolled out: ${n.available} of ${n.desired} ${kind === 'DaemonSet' ? 'pods' : 'replicas'} available`;
    case 'cronJob': return `last scheduled ${f.lastScheduleTime ?? 'never'}, last succeeded ${f.lastSuccessfulTime ?? 'never'}`;
    case 'noRule': return `no outcome rule for kind ${kind || '?'}`;
  }
}

/** The outcome as the contract has it: `message` in words (the cluster's own when it has one), the facts beside it. */
export function wordWorkload(w: WorkloadModel): WorkloadOutcome {
  return { ...w, message: w.message ?? rolloutMessage(w.kind, w.facts, w.counts ?? {}) };
}
