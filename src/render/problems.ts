// Which pods get their details after the many-pod summary by default: those with a problem.
// One small function, so that the rule can follow the per-pod verdict (Healthy/Completed: no problem)
// once the model has it.
import type { PodLifecycle } from '../model/types.js';

/** A pod worth reading about: it has a blocker, or kubectl's STATUS is neither Running nor Completed. */
export function hasProblem(lc: PodLifecycle): boolean {
  return lc.blockers.length > 0 || (lc.pod.status !== 'Running' && lc.pod.status !== 'Completed');
}
