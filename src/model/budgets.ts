// What a starting or restarting container is allowed before it counts as failing: its probes' own
// budgets (spec fields) and the kubelet's constants. A container inside its budget is waited on
// (PodModel.waitingOn), never a blocker; a blocker needs evidence beyond the budget. Each budget and
// its upstream source: docs/lifecycle.md, "Budgets". Pure: `now` comes in.
import type { PodAnalysis } from './analysis.js';
import type { ClassifiedContainer } from './classify.js';
import type { Probe } from './k8s.js';
import type { ProbeBudget } from './findings.js';
import { addSeconds, ms, secondsBetween } from './time.js';

/** kubelet `MaxContainerBackOff` (pkg/kubelet/kubelet.go): the crash back-off's ceiling. */
export const MAX_CONTAINER_BACKOFF_SECONDS = 300;
/**
 * The kubelet's back-off reset: an exit more than 600s after the back-off's last update (about the
 * container's last restart) starts it afresh. Before 1.32 that is client-go
 * `util/flowcontrol/backoff.go` `hasExpired` (2 × MaxContainerBackOff); since, pkg/kubelet/kubelet.go
 * sets `HasExpiredFunc` to a fixed 600s, whatever the ceiling (KEP-4603's 60s one included). A crash
 * loop is over once the container has run this long.
 */
export const BACKOFF_RESET_SECONDS = 2 * MAX_CONTAINER_BACKOFF_SECONDS;
/**
 * A postStart hook has no timeout in the kubelet: past this a sidecar whose hook has not returned
 * counts as not starting (a heuristic, not a kubelet budget).
 */
export const POST_START_SECONDS = 60;

/** The API server's probe defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe). */
const num = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : dflt);

/**
 * A probe's budget counted from `from` (when its worker may start probing): the kubelet skips it for
 * initialDelaySeconds (pkg/kubelet/prober/worker.go doProbe), then probes every periodSeconds, each
 * probe allowed timeoutSeconds, and acts after failureThreshold failures in a row. So the first check
 * is due by from + initialDelay + period, and the verdict "failing" is due at the latest by
 * from + initialDelay + period × failureThreshold + timeout.
 */
export function probeBudget(p: Probe | null | undefined, from: string | null): ProbeBudget | null {
  if (!p || typeof p !== 'object' || !from || ms(from) === null) return null;
  const initialDelaySeconds = num(p.initialDelaySeconds, 0);
  const periodSeconds = num(p.periodSeconds, 10) || 10;
  const failureThreshold = num(p.failureThreshold, 3) || 3;
  const timeoutSeconds = num(p.timeoutSeconds, 1) || 1;
  return {
    initialDelaySeconds, periodSeconds, failureThreshold, timeoutSeconds, from,
    firstCheckBy: addSeconds(from, initialDelaySeconds + periodSeconds),
    deadline: addSeconds(from, initialDelaySeconds + periodSeconds * failureThreshold + timeoutSeconds),
  };
}

/** Is `now` before the budget's deadline? */
export function within(b: ProbeBudget | null, now: string): boolean {
  const left = b ? secondsBetween(now, b.deadline) : null;
  return left !== null && left > 0;
}

/** The startup probe's budget for the container's current instance (null without one). */
export function startupBudget(c: ClassifiedContainer): ProbeBudget | null {
  return probeBudget(c.spec.startupProbe, c.status?.state?.running?.startedAt ?? null);
}

/**
 * The readiness probe's budget: readiness is not probed until the container has started (worker.go:
 * "Disable other probes until container has started"), so with a startup probe it counts from the
 * startup probe's success (the timeline's StartupSucceeded, else the end of the startup budget).
 */
export function readinessBudget(a: PodAnalysis, c: ClassifiedContainer): ProbeBudget | null {
  const started = c.status?.state?.running?.startedAt ?? null;
  if (!c.spec.startupProbe) return probeBudget(c.spec.readinessProbe, started);
  let from: string | null = null;
  for (const t of a.timeline) {
    if (t.container === c.name && t.type === 'StartupSucceeded' && (ms(t.time) ?? -Infinity) >= (ms(started) ?? Infinity)) from = t.time;
  }
  return probeBudget(c.spec.readinessProbe, from ?? startupBudget(c)?.deadline ?? started);
}
