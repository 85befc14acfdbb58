// The verdict's summary and evidence: the facts of model/verdict.ts (model/findings.ts
// VerdictFacts) in words. The summary names what is wrong in a few words per blocker, cited by code
// and container; the blockers' own sentences carry the evidence.
import type { BlockerRef, VerdictEvidence, VerdictFacts, VerdictFinding } from '../../model/findings.js';
import type { BlockerCode, Verdict } from '../../model/types.js';
import { joinNames, humanDuration } from '../format.js';
import { disruptionText, nodeLostText, times } from './evidence.js';
import { WAIT_NOUN } from './waiting.js';

/** The verdict with its summary and each evidence's `fact` (the contract's shape, facts added). */
export function wordVerdict(v: VerdictFinding): Verdict {
  return { state: v.state, summary: verdictSummary(v.facts), evidence: v.evidence.map((e) => ({ ...e, fact: evidenceFact(e) })), facts: v.facts };
}

/** A few words per blocker for the summary. */
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
  ShutdownOOMKilled: (c) => `${c} was OOM-killed while the pod shut down`,
};

const LEAD = {
  overdue: 'terminating past its grace period',
  Blocked: 'cannot make progress without a change',
  Degraded: 'running, but not as it should',
  Progressing: 'starting',
} as const;

/** "init container db-check fails", per blocker reference. */
export function blockerPhrase(b: BlockerRef): string {
  return PHRASE[b.code]?.(b.container) ?? b.code;
}

export function verdictSummary(f: VerdictFacts): string {
  switch (f.kind) {
    case 'blockers': {
      const what = [...new Set(f.blockers.map(blockerPhrase))];
      return what.length ? `${LEAD[f.lead]}: ${joinNames(what)}` : LEAD[f.lead];
    }
    case 'overdueNodeLost':
      return `terminating past its grace period on a node that stopped reporting (${nodeLostText(f.nodeLost)}): no kubelet confirms what the containers do; their statuses are the node's last report`;
    case 'deleted': return 'deleted: every container stopped and the kubelet confirmed it (deletionGracePeriodSeconds 0), so the API server removes the object';
    case 'terminating': {
      const e = f.ended;
      const phase = !e ? ''
        : e.phase === 'Succeeded' ? '; phase Succeeded: every app container exited 0'
        : `; phase Failed: ${e.failing.length ? joinNames(e.failing.map((c) => `${c.name} exited ${c.exitCode}${c.reason ? ` (${c.reason})` : ''}`)) : 'no reason recorded'}`;
      return `being deleted${f.disruption ? `: ${disruptionText(f.disruption)};` : ','} within its ${f.gracePeriodSeconds}s grace period (deadline ${f.deadline})${phase}`;
    }
    case 'failed': {
      const why = f.reason ? `${f.reason}${f.message ? `: ${f.message}` : ''}`
        : f.failing.length ? joinNames(f.failing.map((c) => `${c.name} exited ${c.exitCode}${c.reason ? ` (${c.reason})` : ''}`))
        : 'no reason recorded';
      return `failed and will not run again: ${why}`;
    }
    case 'succeeded': return 'succeeded: every app container exited 0';
    case 'nodeStoppedReporting':
      return `the node stopped reporting this pod (${f.readyUnknown ? `Ready=Unknown${f.readyUnknown.reason ? ` ${f.readyUnknown.reason}` : ''}` : 'phase Unknown'}): the last known container states may be stale`;
    case 'noStatus':
      return 'the object has no status at all (a manifest, or a copy without its status): no node has reported on this pod, so nothing says what its containers do';
    case 'readyButNotReady': {
      const said = f.containers.length ? `${joinNames(f.containers)} ${f.containers.length === 1 ? 'reports' : 'report'} not ready` : '';
      const missing = f.unreported?.length ? `the status has no entry for ${joinNames(f.unreported)}` : '';
      return `Ready=True, but ${[said, missing].filter(Boolean).join(' and ')}: ${missing ? 'without it the pod\'s health cannot be confirmed' : 'the status is inconsistent or stale'}`;
    }
    case 'staleGeneration':
      return `running and Ready, but the status describes generation ${f.observed} of the spec and the spec is at ${f.generation}: the kubelet has not reported on the latest change`;
    case 'recentRestarts':
      return `running and Ready, but ${joinNames(f.restarts.map((r) => `${r.container} restarted ${times(r.count)} (last ${humanDuration(r.agoSeconds)} ago, exit ${r.exitCode ?? '?'})`))}`;
    case 'healthy': return f.without?.length
      ? `running: every sidecar and app container status says started and ready (the object has no ${joinNames(f.without)}: judged from the container statuses)`
      : 'running and Ready: every sidecar and app container is started and ready';
    case 'sidecarsStopping': return 'the app containers finished; the sidecars are being stopped';
    case 'waiting':
      return `starting, within its budgets: waiting on ${joinNames(f.waits.map((w) => `${w.container}'s ${WAIT_NOUN[w.on]}${w.until ? ` (failing only after ${w.until})` : ''}`))}`;
    case 'young': return `${f.phase === 'Pending' ? 'starting' : 'running, not Ready yet'} (${f.status}, for ${humanDuration(f.ageSeconds)})`;
    case 'unexplained': {
      const r = f.ready;
      const cond = r ? `Ready=${r.status ?? '?'}${r.reason ? ` ${r.reason}` : ''}${r.message ? `: ${r.message}` : ''}` : 'no Ready condition';
      return `${f.phase}${f.ageSeconds !== null ? ` for ${humanDuration(f.ageSeconds)}` : ''} and no evidence explains why (${cond})`;
    }
    case 'notWorkedOut': return 'the verdict could not be worked out from this input';
  }
}

/** One evidence item as a short fact: "phase Running", "Ready=True since …", "SidecarNotReady (proxy)". */
export function evidenceFact(e: VerdictEvidence): string {
  switch (e.kind) {
    case 'phase': return `phase ${e.phase}${e.reason ? `, reason ${e.reason}` : ''}`;
    case 'ready': return `Ready=${e.status ?? '?'}${e.reason ? ` (${e.reason})` : ''}${e.since ? ` since ${e.since}` : ''}`;
    case 'blocker': return `${e.code}${e.container ? ` (${e.container})` : ''}`;
    case 'deletionTimestamp': return `deletionTimestamp ${e.time}`;
    case 'notReady': return `not ready: ${joinNames(e.containers)}`;
    case 'noStatus': return e.containers.length ? `no container status: ${joinNames(e.containers)}` : 'no status';
    case 'allReady': return `running and ready: ${joinNames(e.containers)}`;
    case 'observedGeneration': return `observedGeneration ${e.observed} < metadata.generation ${e.generation}`;
    case 'restarted': return `${e.container} restarted ${e.count}×, last exit ${e.exitCode ?? '?'} at ${e.finishedAt}`;
    default: return nodeLostText(e);
  }
}
