// One verdict per pod (the contract's `verdict`), from positive evidence only: Healthy needs the
// pod Running, Ready=True and every sidecar and app container started and ready with no recent
// restart; Completed needs phase Succeeded. A state the evidence does not explain is Unknown, with
// the evidence that was there (docs/lifecycle.md, "Verdicts").
import type { PodAnalysis } from './analysis.js';
import type { Blocker, BlockerCode, Verdict, VerdictState } from './types.js';
import { condition, joinNames } from './blockers.js';
import { secondsBetween, shortDuration } from './time.js';
import { nodeLostEvidence } from './failures.js';

/** How bad each blocker is for the pod as a whole. */
const SEVERITY: Record<BlockerCode, 'Blocked' | 'Degraded' | 'Progressing'> = {
  Unschedulable: 'Blocked', SchedulingGated: 'Blocked', ImagePullFailing: 'Blocked', ContainerConfigError: 'Blocked',
  InitContainerFailing: 'Blocked', InitContainerNotExiting: 'Blocked', SidecarCrashLooping: 'Blocked',
  ContainerCrashLooping: 'Blocked', LegacySidecarBlocksCompletion: 'Blocked', NeverCompletes: 'Blocked',
  SandboxNotReady: 'Blocked', HookFailed: 'Blocked', TerminationOverdue: 'Blocked', PodFailed: 'Blocked',
  SidecarNotReady: 'Degraded', ContainerNotReady: 'Degraded', ContainerUnhealthy: 'Degraded', ResizeNotApplied: 'Degraded',
  ReadinessGateNotReady: 'Degraded',
  InitContainerRunning: 'Progressing', SidecarNotStarted: 'Progressing',
};
const RANK = { Blocked: 3, Degraded: 2, Progressing: 1 } as const;

/** A few words per blocker for the verdict's summary (the blocker's message has the evidence). */
const PHRASE: Record<BlockerCode, (c: string | null) => string> = {
  Unschedulable: () => 'the scheduler cannot place it',
  SchedulingGated: () => 'scheduling gates hold it',
  ImagePullFailing: (c) => `the image of ${c} cannot be pulled`,
  ContainerConfigError: (c) => `${c} cannot be created`,
  InitContainerFailing: (c) => `init container ${c} fails`,
  InitContainerNotExiting: (c) => `init container ${c} never exits`,
  InitContainerRunning: (c) => `init container ${c} is still running`,
  SidecarNotStarted: (c) => `sidecar ${c} has not started`,
  SidecarCrashLooping: (c) => `sidecar ${c} is crash-looping`,
  SidecarNotReady: (c) => `sidecar ${c} is not ready`,
  ContainerCrashLooping: (c) => `${c} is crash-looping`,
  ContainerNotReady: (c) => `${c} is not ready`,
  ContainerUnhealthy: (c) => `${c} is being killed by its probe`,
  ReadinessGateNotReady: () => 'a readiness gate is not met',
  LegacySidecarBlocksCompletion: (c) => `legacy sidecar ${c} keeps it from completing`,
  NeverCompletes: (c) => `${c} (restartPolicy Always) keeps it from completing`,
  TerminationOverdue: () => 'its deletion is overdue',
  PodFailed: (c) => (c ? `${c} failed` : 'the pod failed'),
  SandboxNotReady: () => 'its sandbox cannot be created',
  HookFailed: (c) => `the postStart hook of ${c} fails`,
  ResizeNotApplied: () => 'a resize was not applied',
};

/**
 * The kubelet resets a container's crash back-off once it has run 10 minutes without problems
 * (Kubernetes docs, "Pod Lifecycle › Container restarts"): a restart within that window is recent.
 */
export const RECENT_RESTART_SECONDS = 600;
/** A sidecar not started after this long holds the pod back (a heuristic; startup probes usually pass in seconds). */
export const SIDECAR_START_SECONDS = 60;
/** A pod still Pending (or Running but not Ready) this long with nothing to blame is unexplained. */
export const UNEXPLAINED_SECONDS = 300;

type Evidence = Verdict['evidence'];

/** The verdicts that are not fine: `describe --exit-code` exits 2, `--details problems` shows the pod. */
const NOT_FINE: ReadonlySet<string> = new Set<VerdictState>(['Degraded', 'Blocked', 'Failed', 'Unknown']);

/** A pod that needs a look: a blocker, or a verdict that is not fine (docs/output-contract.md). */
export function needsAttention(lc: { blockers: readonly unknown[]; verdict?: { state: VerdictState } }): boolean {
  return lc.blockers.length > 0 || NOT_FINE.has(lc.verdict?.state as string);
}

function verdict(state: VerdictState, summary: string, evidence: Evidence): Verdict {
  return { state, summary, evidence };
}

const blockerWho = (b: Blocker) => `${b.code}${b.container ? ` (${b.container})` : ''}`;

export function judge(a: PodAnalysis, blockers: Blocker[]): Verdict {
  const s = a.summary;
  const ev: Evidence = [{ source: 'status', fact: `phase ${s.phase}${s.reason ? `, reason ${s.reason}` : ''}` }];
  const ready = condition(a.pod, 'Ready');
  if (ready) ev.push({ source: 'condition', fact: `Ready=${ready.status ?? '?'}${ready.reason ? ` (${ready.reason})` : ''}${ready.lastTransitionTime ? ` since ${ready.lastTransitionTime}` : ''}` });
  const cite = () => { for (const b of blockers) ev.push({ source: 'blocker', fact: blockerWho(b) }); };
  // How bad one blocker is now: a sidecar's start gates everything after it, so past a minute it is
  // no longer progress.
  const severity = (b: Blocker) => (b.code === 'SidecarNotStarted' && (secondsBetween(b.since, a.ctx.now) ?? 0) >= SIDECAR_START_SECONDS
    ? 'Blocked' : SEVERITY[b.code] ?? 'Blocked');
  // The summary names what is wrong in a few words; the blockers carry the evidence.
  const fromBlockers = (state: VerdictState, lead: string) => {
    cite();
    const ranked = [...blockers].sort((x, y) => RANK[severity(y)] - RANK[severity(x)]);
    const what = [...new Set(ranked.map((b) => PHRASE[b.code]?.(b.container) ?? b.code))];
    return verdict(state, what.length ? `${lead}: ${joinNames(what)}` : lead, ev);
  };
  const nodeLost = nodeLostEvidence(a);
  if (s.deletionTimestamp) {
    if (blockers.some((b) => b.code === 'TerminationOverdue')) {
      if (nodeLost) {
        ev.push({ source: nodeLost.source, fact: nodeLost.fact });
        return verdict('Unknown', `terminating past its grace period on a node that stopped reporting (${nodeLost.fact}): no kubelet confirms what the containers do; their statuses are the node's last report`, ev);
      }
      return fromBlockers('Blocked', 'terminating past its grace period');
    }
    ev.push({ source: 'status', fact: `deletionTimestamp ${s.deletionTimestamp}` });
    const stillRunning = a.classified.some((c) => c.status?.state?.running);
    if (a.pod.metadata?.deletionGracePeriodSeconds === 0 && !stillRunning && !s.finalizers.length) {
      return verdict('Terminating', 'deleted: every container stopped and the kubelet confirmed it (deletionGracePeriodSeconds 0), so the API server removes the object', ev);
    }
    return verdict('Terminating', `being deleted, within its ${s.terminationGracePeriodSeconds}s grace period (deadline ${s.deletionTimestamp})`, ev);
  }
  if (s.phase === 'Failed') {
    const failing = a.containers.filter((c) => (c.kind === 'app' || c.kind === 'init') && c.state === 'terminated' && c.exitCode !== null && c.exitCode !== 0);
    const why = s.reason ? `${s.reason}${s.message ? `: ${s.message}` : ''}`
      : failing.length ? joinNames(failing.map((c) => `${c.name} exited ${c.exitCode}${c.reason ? ` (${c.reason})` : ''}`))
      : 'no reason recorded';
    cite();
    return verdict('Failed', `failed and will not run again: ${why}`, ev);
  }
  if (s.phase === 'Succeeded') return verdict('Completed', 'succeeded: every app container exited 0', ev);
  if (s.phase === 'Unknown' || ready?.status === 'Unknown') {
    return verdict('Unknown', `the node stopped reporting this pod (${ready?.status === 'Unknown' ? `Ready=Unknown${ready.reason ? ` ${ready.reason}` : ''}` : 'phase Unknown'}): the last known container states may be stale`, ev);
  }

  if (blockers.length) {
    let worst: 'Blocked' | 'Degraded' | 'Progressing' = 'Progressing';
    for (const b of blockers) if (RANK[severity(b)] > RANK[worst]) worst = severity(b);
    const lead = { Blocked: 'cannot make progress without a change', Degraded: 'running, but not as it should', Progressing: 'starting' }[worst];
    return fromBlockers(worst, lead);
  }

  const live = a.classified.filter((c) => c.kind === 'sidecar' || c.kind === 'app');
  const notReady = live.filter((c) => !(c.status?.state?.running && c.status.ready === true && (c.kind !== 'sidecar' || c.status.started === true)));
  if (s.phase === 'Running' && ready?.status === 'True') {
    if (notReady.length) {
      ev.push({ source: 'status', fact: `not ready: ${joinNames(notReady.map((c) => c.name))}` });
      return verdict('Unknown', `Ready=True, but ${joinNames(notReady.map((c) => c.name))} ${notReady.length === 1 ? 'reports' : 'report'} not ready: the status is inconsistent or stale`, ev);
    }
    // A status written for an older spec does not vouch for the current one (1.33+ observedGeneration).
    const gen = a.pod.metadata?.generation;
    const observed = a.pod.status?.observedGeneration;
    if (typeof gen === 'number' && typeof observed === 'number' && observed < gen) {
      ev.push({ source: 'status', fact: `observedGeneration ${observed} < metadata.generation ${gen}` });
      return verdict('Unknown', `running and Ready, but the status describes generation ${observed} of the spec and the spec is at ${gen}: the kubelet has not reported on the latest change`, ev);
    }
    const recent = a.restarts
      .filter((r) => !r.restartRule && r.last?.finishedAt && (secondsBetween(r.last.finishedAt, a.ctx.now) ?? Infinity) < RECENT_RESTART_SECONDS);
    if (recent.length) {
      for (const r of recent) ev.push({ source: 'status', fact: `${r.container} restarted ${r.count}×, last exit ${r.last?.exitCode ?? '?'} at ${r.last?.finishedAt}` });
      const words = recent.map((r) => `${r.container} restarted ${r.count === 1 ? 'once' : `${r.count} times`} (last ${shortDuration(secondsBetween(r.last!.finishedAt, a.ctx.now) ?? 0)} ago, exit ${r.last?.exitCode ?? '?'})`);
      return verdict('Degraded', `running and Ready, but ${joinNames(words)}`, ev);
    }
    return verdict('Healthy', `running and Ready: every sidecar and app container is started and ready`, ev);
  }

  // Nothing to blame: progress while it is young, unexplained after.
  const since = ready?.lastTransitionTime ?? s.startedAt ?? s.createdAt;
  const age = secondsBetween(since, a.ctx.now);
  const appsDone = a.termination?.trigger === 'completion';
  if (appsDone) {
    const grace = s.terminationGracePeriodSeconds;
    const stopping = secondsBetween(a.termination?.startedAt, a.ctx.now);
    if (stopping === null || stopping <= grace + 5) return verdict('Progressing', 'the app containers finished; the sidecars are being stopped', ev);
  }
  if (age !== null && age < UNEXPLAINED_SECONDS) {
    const what = s.phase === 'Pending' ? 'starting' : 'running, not Ready yet';
    return verdict('Progressing', `${what} (${s.status}, for ${shortDuration(age)})`, ev);
  }
  const cond = ready ? `Ready=${ready.status}${ready.reason ? ` ${ready.reason}` : ''}${ready.message ? `: ${ready.message}` : ''}` : 'no Ready condition';
  return verdict('Unknown', `${s.phase}${age !== null ? ` for ${shortDuration(age)}` : ''} and no evidence explains why (${cond})`, ev);
}
