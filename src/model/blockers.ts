// What keeps a pod from being Ready, initialized, scheduled, completed or deleted, with the evidence
// (status, events, logs) as facts (src/render/words/blockers.ts words them). Only real blockers: a Running+Ready or Succeeded pod
// has none, a terminating pod within its grace period has none, sidecar exit codes never count
// (the kubelet ignores them for the phase: docs/lifecycle.md, Running).
import type { PodAnalysis } from './analysis.js';
import type { ClassifiedContainer } from './classify.js';
import type { ContainerStateTerminated, PodCondition } from './k8s.js';
import type { BlockerCode } from './types.js';
import type { BlockerFacts, BlockerFinding, ExitFacts, Holds, MemoryLimit, NotReadyFacts, WaitFinding } from './findings.js';
import { BACKOFF_RESET_SECONDS, POST_START_SECONDS, readinessBudget, startupBudget, within } from './budgets.js';
import { effectivePodResources } from './resources.js';
import { formatQuantitiesAlike, subQuantity } from './quantity.js';
import { isKnownInitStep, looksLikeSidecar } from './legacy.js';
import { addSeconds, ms, secondsBetween } from './time.js';
import { matchingRestartRule } from './restarts.js';
import { BACKOFF_RESTART, WARMUP_SECONDS, clip, condition, earliest, eventsOf, latest, merged, often, oneLine, probeFailures, probeSpec } from './facts.js';
import { lastLogLineOf, readTerminated } from './containers.js';
import { containerUnhealthy, hookFailed, nodeLostEvidence, neverCompletes, podFailed, resizeNotApplied, sandboxNotReady, schedulingGated } from './failures.js';

export const IMAGE_PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']);
// PostStartHookError is a failed hook (HookFailed), not a creation error: the container was created and started.
export const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'PreStartHookError']);

/** A regular init container running longer than this is not an init step any more. */
export const INIT_STEP_LIMIT_SECONDS = 600;
/** A well-known sidecar image/name running as a regular init container this long is not exiting. */
const SIDECAR_LOOKALIKE_SECONDS = 60;
/** Slack after the end of the grace period before termination counts as overdue (status updates lag). */
const OVERDUE_SLACK_SECONDS = 5;
/**
 * A regular init container running is progress, not a blocker: the kubelet gives an init step no
 * timeout (docs/lifecycle.md, Budgets), so it is waited on until INIT_STEP_LIMIT_SECONDS (or the
 * sidecar look-alike limit) says it is not an init step at all.
 */

// ---------------------------------------------------------------- evidence helpers (shared with failures.ts)

/** Last log line of the container's most recent finished instance, when the logs were read. */
export function lastLogLine(a: PodAnalysis, c: ClassifiedContainer): string | null {
  const text = lastLogLineOf(a.logs?.[c.name], c.status, c.status?.state?.waiting ? 'waiting' : 'running');
  return text ? oneLine(text) : null;
}

/** The longest termination-log or waiting message quoted (the kubelet keeps up to 4096 bytes of a termination log). */
const QUOTED_MESSAGE_MAX = 400;

/** A container's own message (termination-log, FallbackToLogsOnError tail, waiting message) on one line, bounded. */
export function quotedMessage(s: string | null | undefined): string | null {
  return clip(oneLine(s), QUOTED_MESSAGE_MAX) || null;
}

/**
 * The memory limit an OOM kill hit: the one the runtime applied (status.resources, after an
 * in-place resize), else the spec's, else the pod-level limit; null when none is set.
 */
export function memoryLimitOf(a: PodAnalysis, c: ClassifiedContainer): MemoryLimit {
  const text = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v) : null);
  const applied = text(c.status?.resources?.limits?.memory);
  if (applied) return { value: applied, from: 'status' };
  const spec = text(c.spec.resources?.limits?.memory);
  if (spec) return { value: spec, from: 'container' };
  const pod = text(a.pod.spec?.resources?.limits?.memory);
  return pod ? { value: pod, from: 'pod' } : { value: null, from: null };
}

/** How an instance ended, or null when there is no terminated state to read. */
export function exitOf(t: ContainerStateTerminated | null | undefined): ExitFacts | null {
  if (!t) return null;
  return { exitCode: typeof t.exitCode === 'number' ? t.exitCode : null, reason: t.reason || null };
}

/** Has the container (any instance) ever been created? */
function everRan(c: ClassifiedContainer): boolean {
  const s = c.status;
  return !!(s?.state?.running || s?.state?.terminated || s?.lastState?.terminated || (s?.restartCount ?? 0) > 0);
}

/** Later init containers, sidecars and apps that have not started: what waits on `c`. */
export function waitingOn(a: PodAnalysis, c: ClassifiedContainer): string[] {
  return a.classified.filter((x) => x.kind !== 'ephemeral' && x.order > c.order && !everRan(x)).map((x) => x.name);
}

const holds = (waiting: string[], effect: Holds['effect']): Holds => ({ waiting, effect });
const NOTHING: Holds = { waiting: [], effect: 'none' };

// ---------------------------------------------------------------- rules

export type Push = (code: BlockerCode, c: ClassifiedContainer | null, since: string | null, facts: BlockerFacts) => void;
/** Records what a container inside its budget waits on (not a blocker: model/budgets.ts). */
export type Wait = (w: WaitFinding) => void;
const NO_WAIT: Wait = () => {};

function unschedulable(a: PodAnalysis, cond: PodCondition, push: Push): void {
  const failed = merged(eventsOf(a.events, null, 'FailedScheduling'));
  const raw = failed?.message || cond.message || cond.reason;
  const why = raw ? oneLine(raw).replace(/\.$/, '') : null;
  const since = earliest(cond.lastTransitionTime, failed?.first) ?? a.pod.metadata?.creationTimestamp ?? null;
  const sidecarShare: Extract<BlockerFacts, { kind: 'unschedulable' }>['sidecarShare'] = [];
  try {
    const withSc = effectivePodResources(a.pod);
    const without = effectivePodResources(a.pod, [], { withoutSidecars: true });
    const short = [...(why ?? '').matchAll(/Insufficient ([\w./-]*[\w/-])/g)].map((m) => m[1]);
    const names = short.length ? [...new Set(short)] : ['cpu', 'memory'];
    for (const n of names) {
      const w = withSc.requests.get(n);
      if (!w) continue;
      if (withSc.basis === 'pod-level' && (n === 'cpu' || n === 'memory' || n.startsWith('hugepages-'))) continue;
      const wo = without.requests.get(n) ?? { nano: 0n, format: w.format };
      if (w.nano > wo.nano) {
        const [ws, wos, adds] = formatQuantitiesAlike([w, wo, subQuantity(w, wo)]);
        const sidecars = withSc.containers.filter((c) => c.kind === 'sidecar' && c.requests.get(n)?.nano).map((c) => c.name);
        sidecarShare.push({ resource: n, withSidecars: ws, without: wos, added: adds, sidecars });
      }
    }
  } catch {
    /* resources are best-effort evidence here */
  }
  push('Unschedulable', null, since, { kind: 'unschedulable', attempts: often(failed), why, sidecarShare });
}

function terminationOverdue(a: PodAnalysis, push: Push): void {
  const md = a.pod.metadata ?? {};
  const del = md.deletionTimestamp;
  const over = secondsBetween(del, a.ctx.now);
  if (!del || over === null || over <= OVERDUE_SLACK_SECONDS) return;
  const grace = typeof md.deletionGracePeriodSeconds === 'number' ? md.deletionGracePeriodSeconds : a.pod.spec?.terminationGracePeriodSeconds ?? 30;
  const running = a.classified.filter((c) => c.status?.state?.running).map((c) => ({
    name: c.name, role: c.kind === 'sidecar' ? 'sidecar' as const : c.kind === 'init' ? 'init' as const : c.legacySidecar ? 'legacySidecar' as const : 'container' as const,
  }));
  const finalizers = Array.isArray(md.finalizers) ? md.finalizers.filter((f) => typeof f === 'string') : [];
  const lost = nodeLostEvidence(a);
  // deletionGracePeriodSeconds 0 is the kubelet's confirmation that everything stopped: with no
  // finalizer left the API server removes the object at once (a last-seen state, not a stuck pod).
  if (md.deletionGracePeriodSeconds === 0 && !finalizers.length && !lost && !running.length) return;
  push('TerminationOverdue', null, del, {
    kind: 'terminationOverdue', requestedAt: addSeconds(del, -grace), gracePeriodSeconds: grace, overdueSeconds: over,
    node: a.summary.node || null, nodeLost: lost, running, finalizers,
  });
}

/** A crash-looping container: exit, restarts, back-off, last log line. */
function crashLoop(a: PodAnalysis, c: ClassifiedContainer, code: BlockerCode, h: Holds, push: Push): void {
  const s = c.status!;
  const term = s.state?.terminated ?? s.lastState?.terminated ?? null;
  const back = merged(eventsOf(a.events, c.name, 'BackOff', BACKOFF_RESTART));
  const times = readTerminated(term); // its times as the model reads them (an epoch start is none)
  const ran = times ? secondsBetween(times.startedAt, times.finishedAt) : null;
  const waiting = s.state?.waiting?.message ?? '';
  const waitMsg = /back-off (\S+) restarting/i.exec(waiting);
  const since = earliest(back?.first, s.lastState?.terminated?.finishedAt, s.state?.terminated?.finishedAt);
  const again = s.state?.running?.startedAt;
  push(code, c, since, {
    kind: 'crashLoop', exit: exitOf(term), ranSeconds: ran, restarts: s.restartCount ?? 0, backOff: often(back),
    nextTryIn: waitMsg ? waitMsg[1] : null, lastLogLine: lastLogLine(a, c), holds: h,
    // the kubelet's back-off text is read into nextTryIn; any other waiting message is quoted
    terminationMessage: quotedMessage(term?.message), waitingMessage: waitMsg ? null : quotedMessage(waiting),
    memoryLimit: term?.reason === 'OOMKilled' ? memoryLimitOf(a, c) : null,
    ...(again ? { runningAgain: { since: again, resetAt: addSeconds(again, BACKOFF_RESET_SECONDS) } } : {}),
  });
}

/**
 * A crash loop stays one open blocker across its restarts: a container running again after a
 * short-lived failed instance is still in it until the kubelet's own reset rule ends it, that is
 * until the new instance has run BACKOFF_RESET_SECONDS (model/budgets.ts). A loop is the kubelet's
 * back-off in force: its BackOff event was recorded, or the container has exited on its own (not
 * killed: 137/143 unless OOMKilled) and been restarted twice (the status alone, when events lag or
 * expired). A restart after a liveness kill is ContainerUnhealthy's (sidecar-liveness-fail). A
 * previous instance that ran longer than the reset window ended with a fresh back-off: one crash.
 */
function crashLoopContinues(a: PodAnalysis, c: ClassifiedContainer): boolean {
  const s = c.status;
  const run = s?.state?.running;
  const last = s?.lastState?.terminated;
  if (!s || !run || !last || (s.restartCount ?? 0) === 0) return false;
  if (matchingRestartRule(c, typeof last.exitCode === 'number' ? last.exitCode : null)) return false;
  const lastRan = secondsBetween(last.startedAt, last.finishedAt);
  if (lastRan === null || lastRan > BACKOFF_RESET_SECONDS) return false;
  const running = secondsBetween(run.startedAt, a.ctx.now);
  if (running === null || running >= BACKOFF_RESET_SECONDS) return false;
  if (eventsOf(a.events, c.name, 'BackOff', BACKOFF_RESTART).length > 0) return true;
  const killed = (last.exitCode === 137 || last.exitCode === 143) && last.reason !== 'OOMKilled';
  return (s.restartCount ?? 0) >= 2 && last.exitCode !== 0 && !killed;
}

function isCrashLooping(a: PodAnalysis, c: ClassifiedContainer): boolean {
  const s = c.status;
  if (!s) return false;
  // A restart its restartPolicyRules ask for (KEP-5307) is a retry the spec wants, not a crash loop.
  const lastExit = (s.state?.terminated ?? s.lastState?.terminated)?.exitCode;
  if (matchingRestartRule(c, typeof lastExit === 'number' ? lastExit : null)) return false;
  if (s.state?.waiting?.reason === 'CrashLoopBackOff') return true;
  const restarted = (s.restartCount ?? 0) > 0 || eventsOf(a.events, c.name, 'BackOff', BACKOFF_RESTART).length > 0;
  return !!s.state?.terminated && restarted;
}

function waitingProblem(a: PodAnalysis, c: ClassifiedContainer, push: Push, h: Holds): boolean {
  if (hookFailed(a, c, h, push)) return true;
  const w = c.status?.state?.waiting;
  const reason = w?.reason ?? '';
  if (IMAGE_PULL_REASONS.has(reason)) {
    const image = c.spec.image ?? c.status?.image ?? '?';
    const pulls = merged(eventsOf(a.events, c.name, 'Pulling'));
    const fails = merged(eventsOf(a.events, c.name, 'Failed', /^Failed to pull image/));
    const detail = oneLine(w?.message || fails?.message.replace(/^Failed to pull image "[^"]*":\s*/, '') || '');
    const since = earliest(pulls?.first, fails?.first) ?? a.pod.status?.startTime ?? null;
    push('ImagePullFailing', c, since, { kind: 'imagePull', image, reason, attempts: often(pulls), detail, holds: h });
    return true;
  }
  if (CONFIG_REASONS.has(reason)) {
    const fails = merged(eventsOf(a.events, c.name, 'Failed'));
    const detail = oneLine(w?.message || fails?.message || '');
    const since = fails?.first ?? a.pod.status?.startTime ?? null;
    push('ContainerConfigError', c, since, { kind: 'createFailed', reason, failures: often(fails), detail, holds: h });
    return true;
  }
  return false;
}

/** Walk initContainers in order, as the kubelet does; stop at the first that holds the others back. */
function initWalk(a: PodAnalysis, push: Push, wait: Wait = NO_WAIT): void {
  const phaseFailed = a.pod.status?.phase === 'Failed';
  for (const c of a.classified) {
    if (c.kind !== 'init' && c.kind !== 'sidecar') continue;
    const s = c.status;
    const st = s?.state;
    const waiting = waitingOn(a, c);
    if (!s || !st) return; // not created yet: nothing to blame
    if (waitingProblem(a, c, push, holds(waiting, 'none'))) return;
    if (c.kind === 'init') {
      const t = st.terminated;
      if (t && t.exitCode === 0) continue;
      const failedBefore = s.lastState?.terminated && s.lastState.terminated.exitCode !== 0;
      if ((t && t.exitCode !== 0) || st.waiting?.reason === 'CrashLoopBackOff' || (st.waiting && failedBefore) || (failedBefore && crashLoopContinues(a, c))) {
        if (phaseFailed) {
          const term = t ?? s.lastState?.terminated ?? null;
          push('InitContainerFailing', c, term?.finishedAt ?? null,
            { kind: 'initFailedPod', exit: exitOf(term), restartPolicy: a.pod.spec?.restartPolicy ?? 'Never', lastLogLine: lastLogLine(a, c), terminationMessage: quotedMessage(term?.message) });
        } else {
          crashLoop(a, c, 'InitContainerFailing', holds(waiting, 'podPending'), push);
        }
        return;
      }
      if (st.running) {
        const since = st.running.startedAt ?? null;
        const age = secondsBetween(since, a.ctx.now);
        const look = isKnownInitStep(c.name) ? null : looksLikeSidecar(c.spec, a.pod);
        const longRun = age !== null && age >= INIT_STEP_LIMIT_SECONDS;
        if ((look && age !== null && age >= SIDECAR_LOOKALIKE_SECONDS) || longRun) {
          push('InitContainerNotExiting', c, since, { kind: 'initNotExiting', runningSeconds: age!, looksLikeSidecar: look, holds: holds(waiting, 'none') });
        } else {
          const limit = look ? SIDECAR_LOOKALIKE_SECONDS : INIT_STEP_LIMIT_SECONDS;
          wait({ container: c.name, since, until: since ? addSeconds(since, limit) : null, facts: { on: 'initStep', runningSeconds: age, limitSeconds: limit } });
        }
        return;
      }
      return; // waiting to be created (PodInitializing, ContainerCreating)
    }
    // sidecar: initialized once running and started (postStart done, startup probe passed)
    if (st.running && s.started === true) continue;
    if (hookFailed(a, c, holds(waiting, 'initStuck'), push)) return;
    if (st.running) {
      sidecarNotStarted(a, c, holds(waiting, 'none'), push, wait);
      return;
    }
    if (isCrashLooping(a, c) || (st.waiting && (s.restartCount ?? 0) > 0)) {
      crashLoop(a, c, 'SidecarCrashLooping', holds(waiting, 'initStuck'), push);
      return;
    }
    if (st.waiting && c.spec.lifecycle?.postStart) {
      // While a postStart hook runs the kubelet may still report waiting: PodInitializing, although
      // the Started event is out (docs/lifecycle.md, hooks): the hook is what everything waits on.
      const started = merged(eventsOf(a.events, c.name, 'Started'));
      const ago = secondsBetween(started?.last, a.ctx.now);
      if (started?.last && ago !== null && ago < POST_START_SECONDS) {
        wait({ container: c.name, since: started.last, until: addSeconds(started.last, POST_START_SECONDS), facts: { on: 'postStart', startedAt: started.last, limitSeconds: POST_START_SECONDS } });
      } else if (started?.last) {
        push('SidecarNotStarted', c, started.last, {
          kind: 'postStartPending', startedAt: started.last, agoSeconds: secondsBetween(started.last, a.ctx.now),
          waitingReason: st.waiting.reason ?? null, holds: holds(waiting, 'none'),
        });
      }
    }
    return;
  }
}

function sidecarNotStarted(a: PodAnalysis, c: ClassifiedContainer, h: Holds, push: Push, wait: Wait): void {
  const since = c.status?.state?.running?.startedAt ?? null;
  // Within its startup probe's whole budget (or, with only a postStart hook, POST_START_SECONDS) a
  // sidecar is starting, not failing.
  const budget = startupBudget(c);
  if (budget && within(budget, a.ctx.now)) {
    wait({ container: c.name, since, until: budget.deadline, facts: { on: 'startupProbe', budget, failures: probeFailures(a.events, c.name, 'Startup') } });
    return;
  }
  const running = secondsBetween(since, a.ctx.now);
  if (!budget && since && running !== null && running < POST_START_SECONDS) {
    wait({ container: c.name, since, until: addSeconds(since, POST_START_SECONDS), facts: { on: 'postStart', startedAt: since, limitSeconds: POST_START_SECONDS } });
    return;
  }
  const startup = c.spec.startupProbe ? { probe: probeSpec(c.spec.startupProbe), failures: probeFailures(a.events, c.name, 'Startup') } : null;
  const postStart = c.spec.lifecycle?.postStart ? { failures: often(merged(eventsOf(a.events, c.name, 'FailedPostStartHook'))) } : null;
  push('SidecarNotStarted', c, since, { kind: 'notStarted', runningSeconds: secondsBetween(since, a.ctx.now), startup, postStart, holds: h });
}

/**
 * Not ready beyond what its readiness probe allows (model/budgets.ts readinessBudget: failures
 * recorded inside the budget are the probe's first tries, not a failure), or, without a probe, for
 * longer than a status takes to follow: a warming-up container is waited on, not blocked.
 */
function notReadyEvidence(a: PodAnalysis, c: ClassifiedContainer, wait: Wait): { since: string | null; facts: NotReadyFacts } | null {
  const s = c.status!;
  const started = s.state?.running?.startedAt ?? null;
  const f = probeFailures(a.events, c.name, 'Readiness');
  const age = secondsBetween(started, a.ctx.now);
  const budget = c.spec.readinessProbe ? readinessBudget(a, c) : null;
  // Recorded failures of this instance past what the probe allows are evidence whatever the clock says.
  const spent = !!(f && budget && f.count >= budget.failureThreshold && (ms(f.last) ?? -Infinity) >= (ms(budget.from) ?? Infinity));
  if (budget && !spent && within(budget, a.ctx.now)) {
    wait({ container: c.name, since: started, until: budget.deadline, facts: { on: 'readinessProbe', budget, failures: f } });
    return null;
  }
  if (!budget && !f && age !== null && age < WARMUP_SECONDS) return null;
  const cr = condition(a.pod, 'ContainersReady');
  // Not ready since the last flip of ContainersReady (Ready may have flapped since the start).
  const since = latest(started, cr?.status === 'False' ? cr.lastTransitionTime : null) ?? started;
  const notReadySeconds = secondsBetween(since, a.ctx.now);
  let facts: NotReadyFacts;
  if (f) facts = { by: 'readinessFailures', failures: f, ...(c.spec.readinessProbe ? { probe: probeSpec(c.spec.readinessProbe) } : {}) };
  else if (c.spec.readinessProbe) facts = { by: 'readinessProbe', probe: probeSpec(c.spec.readinessProbe), notReadySeconds };
  else if (c.spec.startupProbe && s.started === false) facts = { by: 'startupProbe', failures: probeFailures(a.events, c.name, 'Startup'), probe: probeSpec(c.spec.startupProbe) };
  else if (cr?.status === 'False' && cr.message) facts = { by: 'containersReady', message: oneLine(cr.message), notReadySeconds };
  else facts = { by: 'noProbe', runningSeconds: age, notReadySeconds };
  return { since, facts };
}

/** How the instance before this one ended, when it was restarted: often why it is not ready yet. */
function previousInstance(a: PodAnalysis, c: ClassifiedContainer): Pick<Extract<BlockerFacts, { kind: 'notReady' }>, 'previous'> {
  const s = c.status!;
  const t = s.lastState?.terminated;
  if (!t || !(s.restartCount ?? 0)) return {};
  return { previous: {
    exit: exitOf(t)!, restarts: s.restartCount ?? 0, finishedAt: t.finishedAt || null, terminationMessage: quotedMessage(t.message),
    memoryLimit: t.reason === 'OOMKilled' ? memoryLimitOf(a, c) : null,
  } };
}

/** After initialization: sidecars and apps that crash, cannot start, or are not ready. */
function runningChecks(a: PodAnalysis, initialized: boolean, push: Push, wait: Wait): void {
  const rp = a.pod.spec?.restartPolicy ?? 'Always';
  const notReady = holds([], 'podNotReady');
  for (const c of a.classified) {
    const s = c.status;
    const st = s?.state;
    if (!s || !st) continue;
    if (c.kind === 'sidecar') {
      if (!initialized) {
        // during init only started sidecars are judged here (the walk handled the rest)
        if (!(st.running && s.started)) continue;
      } else {
        if (waitingProblem(a, c, push, notReady)) continue;
        if (containerUnhealthy(a, c, push)) continue;
        if (isCrashLooping(a, c) || (st.waiting && (s.restartCount ?? 0) > 0) || crashLoopContinues(a, c)) {
          crashLoop(a, c, 'SidecarCrashLooping', notReady, push);
          continue;
        }
        if (st.running && s.started === false) {
          sidecarNotStarted(a, c, holds([], 'podNotReadyUntilStarted'), push, wait);
          continue;
        }
      }
      // Readiness gates nothing during init; without a readinessProbe "not ready" is only status lag,
      // unless the kubelet's own ContainersReady=False says otherwise (a trimmed spec lost the probe).
      if (initialized && st.running && s.started && s.ready === false && (c.spec.readinessProbe || probeFailures(a.events, c.name, 'Readiness') || condition(a.pod, 'ContainersReady')?.status === 'False')) {
        const ev = notReadyEvidence(a, c, wait);
        if (ev) push('SidecarNotReady', c, ev.since, { kind: 'notReady', notReady: ev.facts, ...previousInstance(a, c) });
      }
      continue;
    }
    if (c.kind !== 'app' || !initialized) continue;
    if (waitingProblem(a, c, push, NOTHING)) continue;
    if (containerUnhealthy(a, c, push)) continue;
    if (isCrashLooping(a, c) || crashLoopContinues(a, c)) {
      const t = st.terminated;
      // a finished container in a Never pod (or OnFailure with exit 0) is done, not looping
      const done = t && (rp === 'Never' || (rp === 'OnFailure' && t.exitCode === 0));
      if (!done) {
        crashLoop(a, c, 'ContainerCrashLooping', notReady, push);
        continue;
      }
    }
    if (st.running && s.ready === false) {
      const ev = notReadyEvidence(a, c, wait);
      if (ev) push('ContainerNotReady', c, ev.since, { kind: 'notReady', notReady: ev.facts, ...previousInstance(a, c) });
    }
  }
}

/**
 * restartPolicy Never/OnFailure, every app container but `holders` is done (Never: ended; OnFailure:
 * exited 0) and the running `holders` keep the pod from completing: what they hold, and since when.
 */
export function completionHeld(a: PodAnalysis, isHolder: (c: ClassifiedContainer) => boolean): { holders: ClassifiedContainer[]; since: string | null; facts: Extract<BlockerFacts, { kind: 'completionHeld' }> } | null {
  const rp = a.pod.spec?.restartPolicy ?? 'Always';
  if (rp !== 'Never' && rp !== 'OnFailure') return null;
  const apps = a.classified.filter((c) => c.kind === 'app');
  const holders = apps.filter((c) => isHolder(c) && !c.status?.state?.terminated && (c.status?.state?.running || !c.legacySidecar));
  const rest = apps.filter((c) => !isHolder(c) && !c.legacySidecar);
  if (!holders.length || !rest.length) return null;
  if (!rest.every((c) => { const t = c.status?.state?.terminated; return t && (rp === 'Never' || t.exitCode === 0); })) return null;
  const since = latest(...rest.map((c) => c.status?.state?.terminated?.finishedAt));
  const finished = rest.map((c) => ({ name: c.name, exit: exitOf(c.status?.state?.terminated)! }));
  return { holders, since, facts: { kind: 'completionHeld', finished, finishedAgoSeconds: secondsBetween(since, a.ctx.now), restartPolicy: rp, legacy: null } };
}

function legacyBlocksCompletion(a: PodAnalysis, push: Push): void {
  const held = completionHeld(a, (c) => !!c.legacySidecar && !!c.status?.state?.running);
  if (!held) return;
  for (const c of held.holders) {
    push('LegacySidecarBlocksCompletion', c, held.since, { ...held.facts, legacy: c.legacySidecar! });
  }
}

function readinessGates(a: PodAnalysis, push: Push): void {
  const gates = a.pod.spec?.readinessGates;
  if (!Array.isArray(gates)) return;
  const ready = condition(a.pod, 'Ready');
  for (const g of gates) {
    const type = g?.conditionType;
    if (typeof type !== 'string' || !type) continue;
    const cond = condition(a.pod, type);
    if (cond?.status === 'True') continue;
    const since = cond?.lastTransitionTime ?? ready?.lastTransitionTime ?? a.pod.metadata?.creationTimestamp ?? null;
    push('ReadinessGateNotReady', null, since, {
      kind: 'readinessGate', gate: type,
      condition: cond ? { status: cond.status ?? null, reason: cond.reason || null, message: cond.message ? oneLine(cond.message) : null } : null,
    });
  }
}

/**
 * Sidecars OOM-killed after the pod's shutdown began (deletion, or the apps finishing): sidecars are
 * not restarted while a pod terminates (docs/lifecycle.md), so whatever they do on SIGTERM (flush,
 * drain, upload) was cut off. Advice (model/advice.ts) reads the same finding.
 */
export function shutdownOomKills(a: PodAnalysis): { c: ClassifiedContainer; facts: Extract<BlockerFacts, { kind: 'shutdownOom' }> }[] {
  const t = a.termination;
  const from = t?.startedAt ? ms(t.startedAt) : null;
  if (!t || from === null) return [];
  const out: { c: ClassifiedContainer; facts: Extract<BlockerFacts, { kind: 'shutdownOom' }> }[] = [];
  for (const c of a.classified) {
    if (c.kind !== 'sidecar' && !c.legacySidecar) continue;
    const term = c.status?.state?.terminated;
    const end = term?.finishedAt ? ms(term.finishedAt) : null;
    // status times are whole seconds: an end in the second shutdown began counts
    if (term?.reason !== 'OOMKilled' || end === null || end < from - 999) continue;
    out.push({ c, facts: {
      kind: 'shutdownOom', finishedAt: term.finishedAt!, trigger: t.trigger, secondsIntoShutdown: secondsBetween(t.startedAt, term.finishedAt),
      exit: exitOf(term)!, memoryLimit: memoryLimitOf(a, c), lastLogLine: lastLogLine(a, c), terminationMessage: quotedMessage(term.message),
    } });
  }
  return out;
}

/** The blockers, worst evidence first per rule; `waits` receives what is inside its budget. */
export function detectBlockers(a: PodAnalysis, waits: WaitFinding[] = []): BlockerFinding[] {
  const out: BlockerFinding[] = [];
  const wait: Wait = (w) => waits.push(w);
  const push: Push = (code, c, since, facts) => out.push({ code, container: c ? c.name : null, since: since ?? null, facts });
  const pod = a.pod ?? {};
  const phase = pod.status?.phase ?? '';

  // Being deleted, in any phase: only an overrun of the grace period (or finalizers holding the
  // object after its containers ended) is a problem.
  if (pod.metadata?.deletionTimestamp) {
    terminationOverdue(a, push);
    for (const k of shutdownOomKills(a)) push('ShutdownOOMKilled', k.c, k.facts.finishedAt, k.facts);
    return out;
  }
  if (phase === 'Succeeded') {
    for (const k of shutdownOomKills(a)) push('ShutdownOOMKilled', k.c, k.facts.finishedAt, k.facts);
    return out;
  }

  if (schedulingGated(a, push)) return out;
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False') {
    unschedulable(a, scheduled, push);
    return out;
  }

  if (phase === 'Failed') {
    podFailed(a, push);
    // A failed regular init container is the cause: say which, beside the pod's failure.
    initWalk(a, (code, c, since, facts) => { if (code === 'InitContainerFailing') push(code, c, since, facts); });
    return out;
  }

  if (sandboxNotReady(a, push)) return out;
  resizeNotApplied(a, push);

  const ready = condition(pod, 'Ready');
  if (phase === 'Running' && ready?.status === 'True') {
    // Ready now, but a liveness kill loop (before any back-off) is still a problem, and so is a crash
    // loop running again between its crashes (crashLoopContinues).
    for (const c of a.classified) {
      if (c.kind === 'ephemeral' || containerUnhealthy(a, c, push)) continue;
      if ((c.kind === 'sidecar' || c.kind === 'app') && crashLoopContinues(a, c)) {
        crashLoop(a, c, c.kind === 'sidecar' ? 'SidecarCrashLooping' : 'ContainerCrashLooping', NOTHING, push);
      }
    }
    return out;
  }

  const initializedCond = condition(pod, 'Initialized');
  const initialized = initializedCond?.status === 'True' || a.classified.some((c) => c.kind === 'app' && everRan(c));
  if (!initialized) initWalk(a, push, wait);
  runningChecks(a, initialized, push, wait);
  if (initialized) {
    legacyBlocksCompletion(a, push);
    neverCompletes(a, push);
    readinessGates(a, push);
  }
  return out;
}
