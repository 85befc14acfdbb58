// Blockers for the states beyond the sidecar paths (docs/lifecycle.md "Beyond sidecars"): failed
// and evicted pods, sandboxes that cannot be created, failed hooks, liveness kills, containers that
// keep a Job's pod from completing (KEP-5307), scheduling gates, resizes that are not applied.
// Each rule reads the status, the conditions and the events, and returns them as facts
// (src/render/words/blockers.ts words them).
import type { PodAnalysis } from './analysis.js';
import type { ClassifiedContainer } from './classify.js';
import type { ContainerStateTerminated } from './k8s.js';
import type { Holds, HookOutput, LastWords, LogsRef, NodeLost } from './findings.js';
import { type Push, completionHeld, exitOf, lastLogLine, quotedMessage } from './blockers.js';
import { ms, secondsBetween } from './time.js';
import { BACKOFF_RESTART, condition, disruptionOf, earliest, eventsOf, latest, merged, often, oneLine, probeSpec } from './facts.js';

/** Slack for "the kill took the whole grace period" (status times are whole seconds). */
const GRACE_SLACK_SECONDS = 2;

/** Where the evidence a message could only quote a line of is read in full. */
function logsRef(a: PodAnalysis, c: ClassifiedContainer, previous: boolean): LogsRef {
  const md = a.pod.metadata ?? {};
  return { pod: md.name ?? 'POD', container: c.name, namespace: md.namespace || null, previous };
}

/** A terminated instance's own words: the last log line, and its termination message. */
function lastWords(a: PodAnalysis, c: ClassifiedContainer, t: ContainerStateTerminated | null): LastWords {
  return { lastLogLine: lastLogLine(a, c), terminationMessage: quotedMessage(t?.message) };
}

// ---------------------------------------------------------------- pod failed

/**
 * phase Failed: who failed it (status.reason/message: Evicted, DeadlineExceeded, OutOfcpu, Shutdown…),
 * else the containers that exited non-zero (restartPolicy Never: an app's non-zero exit fails the pod).
 */
export function podFailed(a: PodAnalysis, push: Push): void {
  const st = a.pod.status ?? {};
  const reason = typeof st.reason === 'string' && st.reason ? st.reason : null;
  const message = oneLine(st.message);
  const failedApps = a.classified.filter((c) => c.kind === 'app' && nonZero(c.status?.state?.terminated));
  const failedInits = a.classified.filter((c) => c.kind === 'init' && nonZero(c.status?.state?.terminated));
  const culprits = failedApps.length ? failedApps : failedInits;
  // Who ended it (eviction API, preemption, taint manager, kubelet); its message often repeats status.message.
  const disrupted = disruptionOf(a.pod);
  const since = latest(...culprits.map((c) => c.status?.state?.terminated?.finishedAt), condition(a.pod, 'Ready')?.lastTransitionTime, disrupted?.since);
  const first = culprits[0] ?? null;
  push('PodFailed', reason ? null : first, since, {
    kind: 'podFailed', reason, message: message || null,
    culprits: culprits.slice(0, 3).map((c) => {
      const t = c.status!.state!.terminated!;
      return { name: c.name, init: c.kind === 'init', exit: exitOf(t)!, finishedAt: t.finishedAt || null, logs: logsRef(a, c, false), ...lastWords(a, c, t) };
    }),
    disruption: disrupted,
    statusUnknown: a.classified.filter((c) => c.status?.state?.terminated?.reason === 'ContainerStatusUnknown').map((c) => c.name),
  });
}

function nonZero(t: ContainerStateTerminated | null | undefined): boolean {
  return !!t && typeof t.exitCode === 'number' && t.exitCode !== 0;
}

// ---------------------------------------------------------------- sandbox

const SANDBOX_REASONS = ['FailedCreatePodSandBox', 'FailedPodSandBoxStatus', 'SandboxChanged', 'FailedKillPod', 'NetworkNotReady'];
/** Without an event, PodReadyToStartContainers False this long (image pulls do not count) is a blocker. */
const SANDBOX_SILENT_SECONDS = 60;

/** The pod sandbox (or its network) cannot be created: no container can start, whatever they say. */
export function sandboxNotReady(a: PodAnalysis, push: Push): boolean {
  const cond = condition(a.pod, 'PodReadyToStartContainers');
  if (cond?.status !== 'False') return false;
  const evs = SANDBOX_REASONS.map((r) => ({ r, m: merged(eventsOf(a.events, null, r)) })).filter((x) => x.m);
  const age = secondsBetween(cond.lastTransitionTime, a.ctx.now);
  if (!evs.length && (age === null || age < SANDBOX_SILENT_SECONDS)) return false;
  const running = a.classified.some((c) => c.status?.state?.running);
  if (running && !evs.length) return false;
  // Containers created or pulled for since the condition turned False: the sandbox exists (the status lags).
  const after = a.events.some((e) => e.container && ['Pulling', 'Pulled', 'Created', 'Started'].includes(e.reason) && (ms(e.lastTime) ?? -Infinity) >= (ms(cond.lastTransitionTime) ?? Infinity));
  if (after && !evs.length) return false;
  const waiting = a.classified.filter((c) => c.kind !== 'ephemeral' && !c.status?.state?.running && !c.status?.state?.terminated).map((c) => c.name);
  push('SandboxNotReady', null, earliest(cond.lastTransitionTime, ...evs.map((x) => x.m!.first)), {
    kind: 'sandbox', events: evs.map(({ r, m }) => ({ reason: r, often: often(m)!, message: oneLine(m!.message) })), falseSeconds: age, waiting,
  });
  return true;
}

// ---------------------------------------------------------------- hooks

/**
 * What the kubelet's PostStartHookError message says of the hook's outcome, without its command
 * line (which may carry secrets): `… failed - error: command '…' exited with 1: , message: "…"`.
 */
function hookOutput(msg: string | null | undefined): HookOutput | null {
  if (typeof msg !== 'string' || !msg) return null;
  const m = /exited with (\d+):[\s\S]*?message:\s*"([\s\S]*)"\s*$/.exec(msg);
  if (m) return { exitCode: m[1], output: oneLine(m[2].replace(/\\n/g, ' ').replace(/\\"/g, '"')) };
  // The pieces around each command line, which is cut out (the words say where one was): flattened
  // as one text (NUL marks the cuts; oneLine keeps it), so spaces at the cuts collapse as before.
  const flat = oneLine(msg.replace(/\(\[[^\]]*\]\)/g, '').split(/command '[^']*'/g).join('\u0000'));
  return flat ? { pieces: flat.split('\u0000') } : null;
}

/** A failed postStart hook kills the container; the status then shows PostStartHookError or a restart. */
export function hookFailed(a: PodAnalysis, c: ClassifiedContainer, holds: Holds, push: Push): boolean {
  const s = c.status;
  const hook = merged(eventsOf(a.events, c.name, 'FailedPostStartHook')); // the kubelet killed it each time
  const waitingHook = s?.state?.waiting?.reason === 'PostStartHookError';
  if (!hook && !waitingHook) return false;
  // A hook that failed once long ago on a container that has run fine since is history, not a blocker.
  if (!waitingHook && s?.state?.running && s.started !== false && s.ready !== false) {
    const lastKill = hook?.last;
    const running = s.state.running.startedAt;
    if (lastKill && running && (Date.parse(running) > Date.parse(lastKill))) return false;
  }
  const back = merged(eventsOf(a.events, c.name, 'BackOff', BACKOFF_RESTART));
  push('HookFailed', c, earliest(hook?.first, back?.first), {
    kind: 'hookFailed', failures: often(hook), output: hookOutput(s?.state?.waiting?.message), restarts: s?.restartCount ?? 0,
    backOff: often(back), holds, ...lastWords(a, c, s?.state?.terminated ?? s?.lastState?.terminated ?? null),
  });
  return true;
}

// ---------------------------------------------------------------- liveness kills

const PROBE_KILL = /failed (liveness|startup) probe/i;

/**
 * Killed by its liveness (or startup) probe: unhealthy even before any back-off. When the kill took
 * the whole grace period and ended 137, the process ignored its stop signal.
 */
export function containerUnhealthy(a: PodAnalysis, c: ClassifiedContainer, push: Push): boolean {
  const s = c.status;
  if (!s || s.state?.waiting?.reason === 'CrashLoopBackOff') return false;
  // In back-off it is a crash loop (its blocker names the restarts); this is the stage before.
  if (eventsOf(a.events, c.name, 'BackOff', BACKOFF_RESTART).length) return false;
  const kills = eventsOf(a.events, c.name, 'Killing').filter((e) => PROBE_KILL.test(e.message));
  const k = merged(kills);
  if (!k) return false;
  const probe = (PROBE_KILL.exec(k.message)?.[1] ?? 'liveness').toLowerCase() as 'liveness' | 'startup';
  const prev = s.lastState?.terminated ?? null;
  const unhealthy = merged(eventsOf(a.events, c.name, 'Unhealthy', new RegExp(`^${probe[0].toUpperCase()}${probe.slice(1)} probe`)));
  const probeGrace = (probe === 'liveness' ? c.spec.livenessProbe : c.spec.startupProbe)?.terminationGracePeriodSeconds;
  const grace = typeof probeGrace === 'number' ? probeGrace : a.summary.terminationGracePeriodSeconds;
  const held = prev && k.last ? secondsBetween(k.last, prev.finishedAt) : null;
  const wholeGrace = prev?.exitCode === 137 && held !== null && held >= grace - GRACE_SLACK_SECONDS
    // the signal the runtime reports sending; a configured stopSignal it does not report was not sent (docs/lifecycle.md)
    ? { gracePeriodSeconds: grace, killedAt: k.last!, exitedAt: prev.finishedAt!, signal: s.stopSignal || 'SIGTERM' }
    : null;
  push('ContainerUnhealthy', c, k.first, {
    kind: 'unhealthy', probe, kills: often(k)!, restarts: s.restartCount ?? 0,
    probeSpec: probeSpec(probe === 'liveness' ? c.spec.livenessProbe : c.spec.startupProbe),
    probeFailed: unhealthy ? { ...often(unhealthy)!, output: oneLine(unhealthy.message.replace(/^\w+ probe (?:failed|errored):?\s*/, '')) } : null,
    wholeGrace, previous: prev ? { exit: exitOf(prev)!, finishedAt: prev.finishedAt || null } : null,
    logs: logsRef(a, c, true), ...lastWords(a, c, s.state?.terminated ?? prev),
  });
  return true;
}

// ---------------------------------------------------------------- KEP-5307

/**
 * restartPolicy Never/OnFailure, every app container done but a regular container with its own
 * restartPolicy: Always (KEP-5307) still runs: the pod never completes, like a legacy sidecar.
 */
export function neverCompletes(a: PodAnalysis, push: Push): void {
  const held = completionHeld(a, (c) => c.spec.restartPolicy === 'Always' && !c.legacySidecar);
  if (!held) return;
  for (const c of held.holders) push('NeverCompletes', c, held.since, held.facts);
}

// ---------------------------------------------------------------- scheduling gates

export function schedulingGated(a: PodAnalysis, push: Push): boolean {
  const gates = (Array.isArray(a.pod.spec?.schedulingGates) ? a.pod.spec!.schedulingGates! : []).map((g) => g?.name).filter((n): n is string => typeof n === 'string' && !!n);
  const cond = condition(a.pod, 'PodScheduled');
  if (!gates.length && cond?.reason !== 'SchedulingGated') return false;
  push('SchedulingGated', null, cond?.lastTransitionTime ?? a.summary.createdAt,
    { kind: 'schedulingGated', gates, conditionMessage: cond?.message ? oneLine(cond.message) : null });
  return true;
}

// ---------------------------------------------------------------- resize

/** An in-place resize that is Infeasible, Deferred, or failed (PodResizePending / PodResizeInProgress Error). */
export function resizeNotApplied(a: PodAnalysis, push: Push): void {
  const pending = condition(a.pod, 'PodResizePending');
  const progress = condition(a.pod, 'PodResizeInProgress');
  const legacy = a.pod.status?.resize;
  const message = (m: string | null | undefined) => (m ? oneLine(m) : null);
  if (pending?.status === 'True') {
    push('ResizeNotApplied', null, pending.lastTransitionTime ?? null, { kind: 'resize', from: 'PodResizePending', reason: pending.reason ?? null, message: message(pending.message) });
  } else if (progress?.status === 'True' && progress.reason === 'Error') {
    push('ResizeNotApplied', null, progress.lastTransitionTime ?? null, { kind: 'resize', from: 'PodResizeInProgress', reason: 'Error', message: message(progress.message) });
  } else if (legacy === 'Infeasible' || legacy === 'Deferred') {
    push('ResizeNotApplied', null, null, { kind: 'resize', from: 'status.resize', reason: legacy, message: null });
  }
}

// ---------------------------------------------------------------- lost nodes

/** What says the node is gone: Ready Unknown, NodeLost, the taint manager's eviction, NodeNotReady events. */
export function nodeLostEvidence(a: PodAnalysis): NodeLost | null {
  const ready = condition(a.pod, 'Ready');
  if (ready?.status === 'Unknown') return { source: 'condition', kind: 'readyUnknown', reason: ready.reason || null };
  if (a.summary.reason === 'NodeLost') return { source: 'status', kind: 'reasonNodeLost' };
  const dt = condition(a.pod, 'DisruptionTarget');
  if (dt?.status === 'True' && dt.reason === 'DeletionByTaintManager') return { source: 'condition', kind: 'taintManagerEviction', message: dt.message || null };
  const nn = a.events.find((e) => e.reason === 'NodeNotReady');
  if (nn) return { source: 'event', kind: 'nodeNotReady', message: nn.message };
  return null;
}

