// What a pod inside its budgets waits on (model/budgets.ts, findings.ts WaitFacts), in words: what
// runs, what its spec allows, and until when at the latest before it would count as failing.
import type { ProbeBudget, WaitFacts, WaitFinding } from '../../model/findings.js';
import type { WaitingOn } from '../../model/types.js';
import { humanDuration } from '../format.js';
import { howOften } from './evidence.js';

/** The wait with its sentence (the contract's waitingOn item: container, on, since, until, message, facts). */
export function wordWait(w: WaitFinding): WaitingOn {
  return { container: w.container, on: w.facts.on, since: w.since, until: w.until, message: waitMessage(w.facts), facts: w.facts };
}

/** "startup probe", "readiness probe", "postStart hook", "init step": what `on` names. */
export const WAIT_NOUN: Record<WaitFacts['on'], string> = {
  startupProbe: 'startup probe', readinessProbe: 'readiness probe', postStart: 'postStart hook', initStep: 'init step',
};

function budgetText(b: ProbeBudget): string {
  const delay = b.initialDelaySeconds ? `after an initial delay of ${b.initialDelaySeconds}s, ` : '';
  return `${delay}every ${b.periodSeconds}s, ${b.failureThreshold} failures allowed, timeout ${b.timeoutSeconds}s`;
}

export function waitMessage(f: WaitFacts): string {
  switch (f.on) {
    case 'startupProbe':
    case 'readinessProbe': {
      const noun = WAIT_NOUN[f.on];
      const tried = f.failures ? `failed ${howOften(f.failures)} so far${f.failures.output ? ` (${f.failures.output})` : ''}` : `first check due by ${f.budget.firstCheckBy}`;
      const verdict = f.on === 'startupProbe' ? 'not started' : 'not ready';
      return `${noun} (${budgetText(f.budget)}): ${tried}; ${verdict} counts as failing only after ${f.budget.deadline}`;
    }
    case 'postStart':
      return `postStart hook running since ${f.startedAt}; the kubelet gives it no timeout, so it counts as not starting after ${humanDuration(f.limitSeconds)}`;
    case 'initStep':
      return `init step running${f.runningSeconds !== null ? ` for ${humanDuration(f.runningSeconds)}` : ''}; the kubelet gives init steps no timeout, so it counts as not exiting after ${humanDuration(f.limitSeconds)}`;
  }
}
