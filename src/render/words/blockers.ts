// Blocker sentences: the facts of model/blockers.ts and model/failures.ts (model/findings.ts
// BlockerFacts) in the words of the contract's `message`, for text, JSON and the watch alike.
import type { BlockerFacts, BlockerFinding, Often, Role } from '../../model/findings.js';
import type { Blocker } from '../../model/types.js';
import { joinNames, logsCommand, humanDuration } from '../format.js';
import { disruptionText, exitText, failuresText, holdsText, howOften, lastWordsText, legacyText, memoryLimitText, nodeLostText, probeText, startupText, times } from './evidence.js';

type Facts<K extends BlockerFacts['kind']> = Extract<BlockerFacts, { kind: K }>;

/** The blocker with its sentence (the contract's shape: code, container, since, message, then facts). */
export function wordBlocker(b: BlockerFinding): Blocker {
  return { code: b.code, container: b.container, since: b.since, message: blockerMessage(b), facts: b.facts };
}

/** One blocker's sentence (the watch's blocker lines use it too). */
export function blockerMessage(b: BlockerFinding): string {
  const f = b.facts;
  const c = b.container ?? '?';
  switch (f.kind) {
    case 'unschedulable': return unschedulable(f);
    case 'terminationOverdue': return terminationOverdue(f);
    case 'imagePull':
      return `image ${f.image} cannot be pulled (${f.reason}${f.attempts ? `, ${howOften(f.attempts, ['attempt', 'attempts'])}` : ''})${f.detail ? `: ${f.detail}` : ''}${holdsText(f.holds)}`;
    case 'createFailed':
      return `the container cannot be created: ${f.reason}${f.failures ? ` (${howOften(f.failures)})` : ''}${f.detail ? `: ${f.detail}` : ''}${holdsText(f.holds)}`;
    case 'crashLoop': return crashLoop(f);
    case 'initFailedPod':
      return `${exitText(f.exit)} and the pod failed (restartPolicy ${f.restartPolicy}): its sidecars were stopped and the app containers never ran${lastWordsText(f) ? `; ${lastWordsText(f)}` : ''}`;
    case 'initNotExiting': {
      const why = f.looksLikeSidecar ? `it looks like a sidecar (${legacyText(f.looksLikeSidecar)})` : 'no init step should run that long';
      return `a regular init container (no restartPolicy: Always) that has been running for ${humanDuration(f.runningSeconds)} and never exits, and ${why}${holdsText(f.holds)}: its restartPolicy: Always was likely dropped by an old mutating webhook, or the cluster has no native sidecars`;
    }
    case 'initRunning':
      return `still running${f.runningSeconds !== null ? ` after ${humanDuration(f.runningSeconds)}` : ''}${holdsText(f.holds) || '; the app containers wait for it'}`;
    case 'postStartPending':
      return `its postStart hook has not returned: the container started at ${f.startedAt} (Started event)${f.agoSeconds !== null ? `, ${humanDuration(f.agoSeconds)} ago` : ''}, and the kubelet still reports it waiting (${f.waitingReason ?? 'no reason'}) until the hook ends${holdsText(f.holds)}`;
    case 'notStarted': {
      const what: string[] = [];
      if (f.startup) what.push(startupText(f.startup.probe, f.startup.failures));
      if (f.postStart) what.push(f.postStart.failures ? `postStart hook failed (${howOften(f.postStart.failures)})` : 'its postStart hook has not returned');
      if (!what.length) what.push('the kubelet has not marked it started yet');
      return `running${f.runningSeconds !== null ? ` for ${humanDuration(f.runningSeconds)}` : ''} but not started: ${what.join(' and ')}${holdsText(f.holds)}`;
    }
    case 'notReady': return `${notReady(f)}${previousText(f.previous)}; the pod is not Ready and is out of Service endpoints`;
    case 'readinessGate': {
      const cond = f.condition;
      const what = cond
        ? `readiness gate "${f.gate}" is ${cond.status ?? 'unknown'}${cond.reason ? ` (${cond.reason}${cond.message ? `: ${cond.message}` : ''})` : ''}`
        : `readiness gate "${f.gate}" has no condition on the pod yet: the controller that owns it has not reported`;
      return `${what}; the pod is not Ready even though its containers may be`;
    }
    case 'completionHeld': {
      const done = `${joinNames(f.finished.map((x) => `${x.name} ${exitText(x.exit)}`))}${f.finishedAgoSeconds !== null ? ` ${humanDuration(f.finishedAgoSeconds)} ago` : ''}`;
      return f.legacy !== null
        ? `${done}, but ${c} runs as a plain container (${legacyText(f.legacy)}) and never exits, so with restartPolicy ${f.restartPolicy} the pod stays Running and its Job never completes`
        : `${done}, but ${c} is a regular container with its own restartPolicy: Always (container restart rules, KEP-5307): the kubelet restarts it whenever it exits, so with restartPolicy ${f.restartPolicy} the pod never completes; make it a native sidecar (an init container with restartPolicy: Always) or let it exit`;
    }
    case 'podFailed': return podFailed(f);
    case 'sandbox': {
      const why = f.events.length
        ? f.events.map((e) => `${e.reason} (${howOften(e.often)}): ${e.message}`).join('; ')
        : `PodReadyToStartContainers has been False for ${humanDuration(f.falseSeconds ?? 0)} and no event says why`;
      return `the pod sandbox is not ready, so no container can start${f.waiting.length ? ` (${joinNames(f.waiting)} wait)` : ''}: ${why}`;
    }
    case 'hookFailed': return hookFailed(f);
    case 'unhealthy': return unhealthy(f);
    case 'schedulingGated': {
      const n = f.gates.length;
      const names = n ? `${n === 1 ? 'gate' : 'gates'} ${joinNames(f.gates.map((g) => `"${g}"`))}` : 'scheduling gates';
      return `the scheduler will not consider the pod until ${names} ${n === 1 ? 'is' : 'are'} removed from spec.schedulingGates (by the controller that added ${n === 1 ? 'it' : 'them'})${f.conditionMessage ? `; PodScheduled: ${f.conditionMessage}` : ''}`;
    }
    case 'resize': return `an in-place resize was requested but not applied: ${resize(f)}`;
    case 'shutdownOom': {
      const when = f.trigger === 'deletion' ? 'the pod\'s deletion' : 'the shutdown that followed the app containers\' end';
      const into = f.secondsIntoShutdown !== null && f.secondsIntoShutdown >= 0 ? ` (${humanDuration(f.secondsIntoShutdown)} in)` : '';
      const words = lastWordsText(f);
      return `OOM-killed at ${f.finishedAt} during ${when}${into}, ${memoryLimitText(f.memoryLimit)}: what it does on SIGTERM (flush, drain, upload) was cut off, and a sidecar is not restarted while its pod terminates${words ? `; ${words}` : ''}`;
    }
  }
}

function unschedulable(f: Facts<'unschedulable'>): string {
  const attempts = f.attempts ? ` (${howOften(f.attempts, ['attempt', 'attempts'])})` : '';
  const parts = f.sidecarShare.map((s) => {
    const who = s.sidecars.length === 1 ? `sidecar ${s.sidecars[0]} adds` : s.sidecars.length ? `sidecars ${joinNames(s.sidecars)} add` : 'sidecars add';
    return `${s.withSidecars} ${s.resource} with its sidecars (${s.without} without them: ${who} ${s.added})`;
  });
  const share = parts.length ? `; the pod requests ${joinNames(parts)}` : '';
  return `the scheduler cannot place the pod${attempts}: ${f.why ?? 'no reason given'}${share}`;
}

const ROLE: Record<Role, string> = { sidecar: 'sidecar', init: 'init container', legacySidecar: 'legacy sidecar', container: 'container' };

function terminationOverdue(f: Facts<'terminationOverdue'>): string {
  const running = f.running.map((r) => `${r.name} (${ROLE[r.role]})`);
  let still: string;
  if (f.nodeLost) still = `the node${f.node ? ` ${f.node}` : ''} stopped reporting (${nodeLostText(f.nodeLost)}), so no kubelet confirms the containers stopped${running.length ? `; its last report had ${joinNames(running)} running` : ''}`;
  else if (running.length) still = `still running: ${joinNames(running)}`;
  else if (f.finalizers.length) still = `no container runs, but ${f.finalizers.length === 1 ? 'finalizer' : 'finalizers'} ${joinNames(f.finalizers)} ${f.finalizers.length === 1 ? 'holds' : 'hold'} the object until ${f.finalizers.length === 1 ? 'its controller removes it' : 'their controllers remove them'}`;
  else still = 'no container is reported running: the kubelet has not confirmed the deletion (node down or unreachable?)';
  // Grace 0 is the kubelet's confirmation that every container stopped (or a forced deletion): the
  // deletionTimestamp is then that moment, and the request's own time and grace are gone.
  if (f.gracePeriodSeconds === 0 && !f.running.length && !f.nodeLost) {
    return `deleted, and the deletion was confirmed at ${f.requestedAt} (deletionGracePeriodSeconds 0: every container stopped, or the deletion was forced) ${humanDuration(f.overdueSeconds)} ago, yet the object is still there; ${still}`;
  }
  return `deletion was requested at ${f.requestedAt} with a ${f.gracePeriodSeconds}s grace period that ended ${humanDuration(f.overdueSeconds)} ago, and the pod is still terminating; ${still}`;
}

/** ", restarted 3 times" and ", back-off 4 times in 34s" (each only when there is one). */
function restartsAndBackOff(restarts: number, backOff: Often | null): string[] {
  const parts: string[] = [];
  if (restarts > 0) parts.push(`restarted ${times(restarts)}`);
  if (backOff) parts.push(`back-off ${howOften(backOff)}`);
  return parts;
}

function crashLoop(f: Facts<'crashLoop'>): string {
  const ran = f.ranSeconds;
  const after = ran === null ? '' : ran < 1 ? ' within a second' : ` after ${humanDuration(ran)}`;
  const oom = f.memoryLimit ? ` ${memoryLimitText(f.memoryLimit)}` : '';
  const parts = [`${exitText(f.exit)}${oom}${after}`, ...restartsAndBackOff(f.restarts, f.backOff)];
  if (f.nextTryIn) parts.push(`next try in up to ${f.nextTryIn}`);
  const words = [lastWordsText(f), f.waitingMessage ? `waiting: "${f.waitingMessage}"` : ''].filter(Boolean).join('; ');
  return `crash-looping: ${parts.join(', ')}${words ? `; ${words}` : ''}${holdsText(f.holds)}`;
}

function notReady(f: Facts<'notReady'>): string {
  const n = f.notReady;
  switch (n.by) {
    case 'readinessFailures': return failuresText(n.failures, 'failing', n.probe);
    case 'readinessProbe':
      return `not ready for ${n.notReadySeconds !== null ? humanDuration(n.notReadySeconds) : 'a while'} (readiness probe ${probeText(n.probe)}; no failure event recorded)`;
    case 'startupProbe': return startupText(n.probe, n.failures);
    case 'containersReady':
      return `not ready for ${n.notReadySeconds !== null ? humanDuration(n.notReadySeconds) : 'a while'} (ContainersReady=False: ${n.message}; the object shows no readiness probe for it)`;
    case 'noProbe': {
      const { runningSeconds: age, notReadySeconds: nr } = n;
      return `running for ${age !== null ? humanDuration(age) : 'a while'} but not ready${nr !== null && age !== null && nr < age ? ` (not ready for the last ${humanDuration(nr)})` : ''}`;
    }
  }
}

/** "; restarted 9 times, the last instance exited with code 137 (OOMKilled) at its memory limit of 200Mi at …". */
function previousText(p: Facts<'notReady'>['previous']): string {
  if (!p) return '';
  const oom = p.memoryLimit ? ` ${memoryLimitText(p.memoryLimit)}` : '';
  const words = p.terminationMessage ? `; termination message: "${p.terminationMessage}"` : '';
  return `; restarted ${times(p.restarts)}, the last instance ${exitText(p.exit)}${oom}${p.finishedAt ? ` at ${p.finishedAt}` : ''}${words}`;
}

function podFailed(f: Facts<'podFailed'>): string {
  const parts: string[] = [];
  if (f.reason) parts.push(`${f.reason}${f.message ? `: ${f.message.replace(/\.$/, '')}` : ''}`);
  for (const c of f.culprits) {
    const words = lastWordsText(c);
    parts.push(`${c.init ? 'init container ' : ''}${c.name} ${exitText(c.exit)}${c.finishedAt ? ` at ${c.finishedAt}` : ''}${words ? `; ${words}` : ''} (${logsCommand(c.logs)})`);
  }
  const d = f.disruption;
  if (d) parts.push(disruptionText(d.message && d.message === f.message ? { ...d, message: null } : d));
  if (!parts.length) {
    parts.push(f.statusUnknown.length
      ? `the containers' last state is unknown (${joinNames(f.statusUnknown)}: ContainerStatusUnknown): the node lost track of them`
      : 'no reason is recorded on the pod and no container exited non-zero: the evidence does not say why');
  }
  return `the pod failed and will not run again: ${parts.join('; ')}`;
}

function hookFailed(f: Facts<'hookFailed'>): string {
  const o = f.output;
  const output = !o ? '' : 'pieces' in o ? o.pieces.join('its command') : `exit ${o.exitCode}${o.output ? `: ${o.output}` : ''}`;
  const parts = [`its postStart hook failed${f.failures ? ` ${howOften(f.failures)}` : ''}${output ? ` (${output})` : ''}`];
  parts.push('and the kubelet killed the container each time, although the container itself started');
  parts.push(...restartsAndBackOff(f.restarts, f.backOff));
  const words = lastWordsText(f);
  return `${parts.join(', ')}${words ? `; ${words}` : ''}${holdsText(f.holds)}`;
}

function unhealthy(f: Facts<'unhealthy'>): string {
  const parts = [`killed by its ${f.probe} probe${f.probeSpec ? ` (${probeText(f.probeSpec)})` : ''} ${howOften(f.kills)}`];
  if (f.restarts > 0) parts.push(`restarted ${times(f.restarts)}`);
  if (f.probeFailed) parts.push(`${f.probe} probe failed ${howOften(f.probeFailed)}${f.probeFailed.output ? `: ${f.probeFailed.output}` : ' (no output)'}`);
  const g = f.wholeGrace;
  if (g) {
    parts.push(`the last kill took the whole ${g.gracePeriodSeconds}s grace period (killed ${g.killedAt}, exited 137 at ${g.exitedAt}): the process ignores ${g.signal} and was SIGKILLed, so each kill leaves it out of service that long`);
  } else if (f.previous) {
    parts.push(`last instance ${exitText(f.previous.exit)}${f.previous.finishedAt ? ` at ${f.previous.finishedAt}` : ''}`);
  }
  const words = lastWordsText(f);
  if (words) parts.push(words);
  return `${parts.join('; ')} (${logsCommand(f.logs)})`;
}

function resize(f: Facts<'resize'>): string {
  const msg = f.message;
  if (f.from === 'PodResizeInProgress') return `the resize failed in the runtime${msg ? `: ${msg}` : ''}`;
  if (f.from === 'status.resize') return `status.resize is ${f.reason}`;
  if (f.reason === 'Infeasible') {
    return `the resize is Infeasible: it can never fit this node${msg ? ` (${msg})` : ''}; the containers keep their current resources, and the scheduler counts those, not the spec's`;
  }
  return `the resize is ${f.reason ?? 'pending'}${f.reason === 'Deferred' ? ': it may fit later, when other pods leave the node' : ''}${msg ? ` (${msg})` : ''}`;
}

