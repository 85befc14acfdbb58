// Which pods get their details after the many-pod summary by default: those with a problem.
import type { PodLifecycle } from '../model/types.js';

/** A pod worth reading about: a blocker, or a verdict that is not fine (as --exit-code counts them). */
export function hasProblem(lc: PodLifecycle): boolean {
  return lc.blockers.length > 0 || ['Degraded', 'Blocked', 'Failed', 'Unknown'].includes(lc.verdict?.state);
}
