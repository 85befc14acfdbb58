// Blockers for the states beyond the sidecar paths (docs/lifecycle.md "Beyond sidecars"): failed
// and evicted pods, sandboxes that cannot be created, failed hooks, liveness kills, containers that
// keep a Job's pod from completing (KEP-5307), scheduling gates, resizes that are not applied.
// Each rule reads the status, the conditions and the events, and quotes them.
import type { PodAnalysis } from './analysis.js';
import type { ClassifiedContainer } from './classify.js';
import type { ContainerStateTerminated } from './k8s.js';
import { type Push, completionHeld, condition, eventsOf, exitText, howOften, joinNames, lastLogLine, merged, oneLine, earliest, latest } from './blockers.js';
import { ms, secondsBetween, shortDuration } from './time.js';
import { BACKOFF_RESTART } from './facts.js';

/** Slack for "the kill took the whole grace period" (status times are whole seconds). */
const GRACE_SLACK_SECONDS = 2;

/** The command that shows the evidence a message could only quote a line of. */
function logsCommand(a: PodAnalysis, c: ClassifiedContainer, previous: boolean): string {
  const md = a.pod.metadata ?? {};
  return `kubectl logs ${md.name ?? 'POD'} -c ${c.name}${previous ? ' --previous' : ''}${md.namespace ? ` -n ${md.namespace}` : ''}`;
}

/** A terminated instance's own words: the last log line, else its termination message. */
function lastWords(a: PodAnalysis, c: ClassifiedContainer, t: ContainerStateTerminated | null): string {
  const log = lastLogLine(a, c);
  if (log) return `; last log line: "${log}"`;
  const msg = oneLine(t?.message);
  return msg ? `; termination message: "${msg}"` : '';
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
  const parts: string[] = [];
  if (reason) parts.push(`${reason}${message ? `: ${message.replace(/\.$/, '')}` : ''}`);
  const culprits = failedApps.length ? failedApps : failedInits;
  for (const c of culprits.slice(0, 3)) {
    const t = c.status!.state!.terminated!;
    parts.push(`${c.kind === 'init' ? 'init container ' : ''}${c.name} ${exitText(t)}${t.finishedAt ? ` at ${t.finishedAt}` : ''}${lastWords(a, c, t)} (${logsCommand(a, c, false)})`);
  }
  const disruption = condition(a.pod, 'DisruptionTarget');
  // Who ended it (eviction API, preemption, taint manager, kubelet); its message often repeats status.message.
  if (disruption?.status === 'True' && disruption.reason) {
    const dm = oneLine(disruption.message);
    parts.push(`DisruptionTarget: ${disruption.reason}${dm && dm !== message ? ` (${dm})` : ''}`);
  }
  if (!parts.length) {
    const unknown = a.classified.filter((c) => c.status?.state?.terminated?.reason === 'ContainerStatusUnknown').map((c) => c.name);
    parts.push(unknown.length
      ? `the containers' last state is unknown (${joinNames(unknown)}: ContainerStatusUnknown): the node lost track of them`
      : 'no reason is recorded on the pod and no container exited non-zero: the evidence does not say why');
  }
  const since = latest(...culprits.map((c) => c.status?.state?.terminated?.finishedAt), condition(a.pod, 'Ready')?.lastTransitionTime, disruption?.lastTransitionTime);
  const first = culprits[0] ?? null;
  push('PodFailed', reason ? null : first, since, `the pod failed and will not run again: ${parts.join('; ')}`);
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
  const why = evs.length
    ? evs.map(({ r, m }) => `${r} (${howOften(m!.count, m!.first, m!.last)}): ${oneLine(m!.message)}`).join('; ')
    : `PodReadyToStartContainers has been False for ${shortDuration(age!)} and no event says why`;
  push('SandboxNotReady', null, earliest(cond.lastTransitionTime, ...evs.map((x) => x.m!.first)),
    `the pod sandbox is not ready, so no container can start${waiting.length ? ` (${joinNames(waiting)} wait)` : ''}: ${why}`);
  return true;
}

// ---------------------------------------------------------------- hooks

/**
 * What the kubelet's PostStartHookError message says of the hook's outcome, without its command
 * line (which may carry secrets): `… failed - error: command '…' exited with 1: , message: "…"`.
 */
function hookOutput(msg: string | null | undefined): string {
  if (typeof msg !== 'string' || !msg) return '';
  const m = /exited with (\d+):[\s\S]*?message:\s*"([\s\S]*)"\s*$/.exec(msg);
  if (m) {
    const out = oneLine(m[2].replace(/\\n/g, ' ').replace(/\\"/g, '"'));
    return `exit ${m[1]}${out ? `: ${out}` : ''}`;
  }
  return oneLine(msg.replace(/\(\[[^\]]*\]\)/g, '').replace(/command '[^']*'/g, 'its command'));
}

/** A failed postStart hook kills the container; the status then shows PostStartHookError or a restart. */
export function hookFailed(a: PodAnalysis, c: ClassifiedContainer, tail: string, push: Push): boolean {
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
  const n = s?.restartCount ?? 0;
  const back = merged(eventsOf(a.events, c.name, 'BackOff', BACKOFF_RESTART));
  const output = hookOutput(s?.state?.waiting?.message);
  const parts = [`its postStart hook failed${hook ? ` ${howOften(hook.count, hook.first, hook.last)}` : ''}${output ? ` (${output})` : ''}`];
  parts.push('and the kubelet killed the container each time, although the container itself started');
  if (n > 0) parts.push(`restarted ${n === 1 ? 'once' : `${n} times`}`);
  if (back) parts.push(`back-off ${howOften(back.count, back.first, back.last)}`);
  push('HookFailed', c, earliest(hook?.first, back?.first), `${parts.join(', ')}${lastWords(a, c, s?.state?.terminated ?? s?.lastState?.terminated ?? null)}${tail}`);
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
  const probe = (PROBE_KILL.exec(k.message)?.[1] ?? 'liveness').toLowerCase();
  const prev = s.lastState?.terminated ?? null;
  const parts = [`killed by its ${probe} probe ${howOften(k.count, k.first, k.last)}`];
  const n = s.restartCount ?? 0;
  if (n > 0) parts.push(`restarted ${n === 1 ? 'once' : `${n} times`}`);
  const unhealthy = merged(eventsOf(a.events, c.name, 'Unhealthy', new RegExp(`^${probe[0].toUpperCase()}${probe.slice(1)} probe`)));
  if (unhealthy) parts.push(`${probe} probe failed ${howOften(unhealthy.count, unhealthy.first, unhealthy.last)}${unhealthy.message.replace(/^\w+ probe (?:failed|errored):?\s*/, '') ? `: ${oneLine(unhealthy.message.replace(/^\w+ probe (?:failed|errored):?\s*/, ''))}` : ' (no output)'}`);
  const probeGrace = (probe === 'liveness' ? c.spec.livenessProbe : c.spec.startupProbe)?.terminationGracePeriodSeconds;
  const grace = typeof probeGrace === 'number' ? probeGrace : a.summary.terminationGracePeriodSeconds;
  const held = prev && k.last ? secondsBetween(k.last, prev.finishedAt) : null;
  if (prev?.exitCode === 137 && held !== null && held >= grace - GRACE_SLACK_SECONDS) {
    // the signal the runtime reports sending; a configured stopSignal it does not report was not sent (docs/lifecycle.md)
    const signal = s.stopSignal || 'SIGTERM';
    parts.push(`the last kill took the whole ${grace}s grace period (killed ${k.last}, exited 137 at ${prev.finishedAt}): the process ignores ${signal} and was SIGKILLed, so each kill leaves it out of service that long`);
  } else if (prev) {
    parts.push(`last instance ${exitText(prev)}${prev.finishedAt ? ` at ${prev.finishedAt}` : ''}`);
  }
  const words = lastWords(a, c, s.state?.terminated ?? prev);
  if (words) parts.push(words.replace(/^; /, ''));
  parts.push(`(${logsCommand(a, c, true)})`);
  push('ContainerUnhealthy', c, k.first, parts.join('; ').replace(/; \(kubectl/, ' (kubectl'));
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
  for (const c of held.holders) {
    push('NeverCompletes', c, held.since,
      `${held.done}, but ${c.name} is a regular container with its own restartPolicy: Always (container restart rules, KEP-5307): the kubelet restarts it whenever it exits, so with restartPolicy ${held.rp} the pod never completes; make it a native sidecar (an init container with restartPolicy: Always) or let it exit`);
  }
}

// ---------------------------------------------------------------- scheduling gates

export function schedulingGated(a: PodAnalysis, push: Push): boolean {
  const gates = (Array.isArray(a.pod.spec?.schedulingGates) ? a.pod.spec!.schedulingGates! : []).map((g) => g?.name).filter((n): n is string => typeof n === 'string' && !!n);
  const cond = condition(a.pod, 'PodScheduled');
  if (!gates.length && cond?.reason !== 'SchedulingGated') return false;
  const names = gates.length ? `${gates.length === 1 ? 'gate' : 'gates'} ${joinNames(gates.map((g) => `"${g}"`))}` : 'scheduling gates';
  push('SchedulingGated', null, cond?.lastTransitionTime ?? a.summary.createdAt,
    `the scheduler will not consider the pod until ${names} ${gates.length === 1 ? 'is' : 'are'} removed from spec.schedulingGates (by the controller that added ${gates.length === 1 ? 'it' : 'them'})${cond?.message ? `; PodScheduled: ${oneLine(cond.message)}` : ''}`);
  return true;
}

// ---------------------------------------------------------------- resize

/** An in-place resize that is Infeasible, Deferred, or failed (PodResizePending / PodResizeInProgress Error). */
export function resizeNotApplied(a: PodAnalysis, push: Push): void {
  const pending = condition(a.pod, 'PodResizePending');
  const progress = condition(a.pod, 'PodResizeInProgress');
  const legacy = a.pod.status?.resize;
  let what: string | null = null;
  let since: string | null = null;
  if (pending?.status === 'True') {
    what = pending.reason === 'Infeasible'
      ? `the resize is Infeasible: it can never fit this node${pending.message ? ` (${oneLine(pending.message)})` : ''}; the containers keep their current resources, and the scheduler counts those, not the spec's`
      : `the resize is ${pending.reason ?? 'pending'}${pending.reason === 'Deferred' ? ': it may fit later, when other pods leave the node' : ''}${pending.message ? ` (${oneLine(pending.message)})` : ''}`;
    since = pending.lastTransitionTime ?? null;
  } else if (progress?.status === 'True' && progress.reason === 'Error') {
    what = `the resize failed in the runtime${progress.message ? `: ${oneLine(progress.message)}` : ''}`;
    since = progress.lastTransitionTime ?? null;
  } else if (legacy === 'Infeasible' || legacy === 'Deferred') {
    what = `status.resize is ${legacy}`;
  }
  if (!what) return;
  push('ResizeNotApplied', null, since, `an in-place resize was requested but not applied: ${what}`);
}

// ---------------------------------------------------------------- lost nodes

/** What says the node is gone: Ready Unknown, NodeLost, the taint manager's eviction, NodeNotReady events. */
export function nodeLostEvidence(a: PodAnalysis): { source: 'condition' | 'status' | 'event'; fact: string } | null {
  const ready = condition(a.pod, 'Ready');
  if (ready?.status === 'Unknown') return { source: 'condition', fact: `Ready=Unknown${ready.reason ? ` ${ready.reason}` : ''}` };
  if (a.summary.reason === 'NodeLost') return { source: 'status', fact: 'reason NodeLost' };
  const dt = condition(a.pod, 'DisruptionTarget');
  if (dt?.status === 'True' && dt.reason === 'DeletionByTaintManager') return { source: 'condition', fact: `DisruptionTarget DeletionByTaintManager${dt.message ? `: ${dt.message}` : ''}` };
  const nn = a.events.find((e) => e.reason === 'NodeNotReady');
  if (nn) return { source: 'event', fact: `NodeNotReady: ${nn.message}` };
  return null;
}

