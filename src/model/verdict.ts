// One verdict per pod (the contract's `verdict`), from positive evidence only: Healthy needs the
// pod Running, Ready=True and every sidecar and app container started and ready with no recent
// restart; Completed needs phase Succeeded. A state the evidence does not explain is Unknown, with
// the evidence that was there (docs/lifecycle.md, "Verdicts"). The verdict is facts: its state,
// why (a kind with its numbers, the blockers cited by code and container) and the evidence it
// rests on; src/render/words/verdict.ts words the summary.
import type { PodAnalysis } from './analysis.js';
import type { BlockerCode, VerdictState } from './types.js';
import type { BlockerFinding, VerdictEvidence, VerdictFacts, VerdictFinding, WaitFinding } from './findings.js';
import { condition, disruptionOf } from './facts.js';
import { secondsBetween } from './time.js';
import { nodeLostEvidence } from './failures.js';

/** How bad each blocker is for the pod as a whole. */
const SEVERITY: Record<BlockerCode, 'Blocked' | 'Degraded' | 'Progressing'> = {
  Unschedulable: 'Blocked', SchedulingGated: 'Blocked', ImagePullFailing: 'Blocked', ContainerConfigError: 'Blocked',
  InitContainerFailing: 'Blocked', InitContainerNotExiting: 'Blocked', SidecarCrashLooping: 'Blocked',
  ContainerCrashLooping: 'Blocked', LegacySidecarBlocksCompletion: 'Blocked', NeverCompletes: 'Blocked',
  SandboxNotReady: 'Blocked', HookFailed: 'Blocked', TerminationOverdue: 'Blocked', PodFailed: 'Blocked',
  SidecarNotReady: 'Degraded', ContainerNotReady: 'Degraded', ContainerUnhealthy: 'Degraded', ResizeNotApplied: 'Degraded',
  ReadinessGateNotReady: 'Degraded', ShutdownOOMKilled: 'Degraded',
  // Raised only past the startup budget (model/budgets.ts); before, the sidecar is waited on.
  SidecarNotStarted: 'Blocked',
  InitContainerRunning: 'Progressing',
};
const RANK = { Blocked: 3, Degraded: 2, Progressing: 1 } as const;

/**
 * The kubelet resets a container's crash back-off once it has run 10 minutes without problems
 * (Kubernetes docs, "Pod Lifecycle › Container restarts"): a restart within that window is recent.
 */
export const RECENT_RESTART_SECONDS = 600;
/** A pod still Pending (or Running but not Ready) this long with nothing to blame is unexplained. */
export const UNEXPLAINED_SECONDS = 300;

type Evidence = VerdictEvidence[];

/** The verdicts that are not fine: `describe --exit-code` exits 2, `--details problems` shows the pod. */
const NOT_FINE: ReadonlySet<string> = new Set<VerdictState>(['Degraded', 'Blocked', 'Failed', 'Unknown']);

/** A pod that needs a look: a blocker, or a verdict that is not fine (docs/output-contract.md). */
export function needsAttention(lc: { blockers: readonly unknown[]; verdict?: { state: VerdictState } }): boolean {
  return lc.blockers.length > 0 || NOT_FINE.has(lc.verdict?.state as string);
}

/** App and init containers that ended with a non-zero code (what a Failed phase comes from). */
function failingApps(a: PodAnalysis) {
  return a.containers.filter((c) => (c.kind === 'app' || c.kind === 'init') && c.state === 'terminated' && c.exitCode !== null && c.exitCode !== 0);
}

function verdict(state: VerdictState, facts: VerdictFacts, evidence: Evidence): VerdictFinding {
  return { state, facts, evidence };
}

export function judge(a: PodAnalysis, blockers: BlockerFinding[], waits: readonly WaitFinding[] = []): VerdictFinding {
  const s = a.summary;
  const ev: Evidence = [{ source: 'status', kind: 'phase', phase: s.phase, reason: s.reason || null }];
  const ready = condition(a.pod, 'Ready');
  if (ready) ev.push({ source: 'condition', kind: 'ready', status: ready.status ?? null, reason: ready.reason || null, since: ready.lastTransitionTime || null });
  const cite = () => { for (const b of blockers) ev.push({ source: 'blocker', kind: 'blocker', code: b.code, container: b.container }); };
  const severity = (b: BlockerFinding) => SEVERITY[b.code] ?? 'Blocked';
  // The summary names what is wrong, worst first; the blockers carry the evidence.
  const fromBlockers = (state: VerdictState, lead: Extract<VerdictFacts, { kind: 'blockers' }>['lead']) => {
    cite();
    const ranked = [...blockers].sort((x, y) => RANK[severity(y)] - RANK[severity(x)]);
    return verdict(state, { kind: 'blockers', lead, blockers: ranked.map((b) => ({ code: b.code, container: b.container })) }, ev);
  };
  const nodeLost = nodeLostEvidence(a);
  if (s.deletionTimestamp) {
    if (blockers.some((b) => b.code === 'TerminationOverdue')) {
      if (nodeLost) {
        ev.push(nodeLost);
        return verdict('Unknown', { kind: 'overdueNodeLost', nodeLost }, ev);
      }
      return fromBlockers('Blocked', 'overdue');
    }
    ev.push({ source: 'status', kind: 'deletionTimestamp', time: s.deletionTimestamp });
    const stillRunning = a.classified.some((c) => c.status?.state?.running);
    if (a.pod.metadata?.deletionGracePeriodSeconds === 0 && !stillRunning && !s.finalizers.length) {
      return verdict('Terminating', { kind: 'deleted' }, ev);
    }
    // Deleted after it ended (or ended while being deleted: SIGKILLed at the deadline, phase Failed):
    // the phase is said too, it is what the containers did.
    const ended = s.phase === 'Failed' || s.phase === 'Succeeded'
      ? { phase: s.phase as 'Failed' | 'Succeeded', failing: failingApps(a).map((c) => ({ name: c.name, exitCode: c.exitCode!, reason: c.reason || null })) } : null;
    return verdict('Terminating', { kind: 'terminating', gracePeriodSeconds: s.terminationGracePeriodSeconds, deadline: s.deletionTimestamp, disruption: disruptionOf(a.pod), ended }, ev);
  }
  if (s.phase === 'Failed') {
    const failing = failingApps(a);
    cite();
    return verdict('Failed', {
      kind: 'failed', reason: s.reason || null, message: s.message || null,
      failing: failing.map((c) => ({ name: c.name, exitCode: c.exitCode!, reason: c.reason || null })),
    }, ev);
  }
  if (s.phase === 'Succeeded') return verdict('Completed', { kind: 'succeeded' }, ev);
  // A manifest (or an object stripped of it) has no status at all: nothing was reported, by a node
  // or anyone, so there is nothing stale either.
  const st = a.pod.status as unknown;
  if (!st || typeof st !== 'object' || Object.keys(st).length === 0) {
    ev.push({ source: 'status', kind: 'noStatus', containers: [] });
    return verdict('Unknown', { kind: 'noStatus' }, ev);
  }
  if (s.phase === 'Unknown' || ready?.status === 'Unknown') {
    return verdict('Unknown', { kind: 'nodeStoppedReporting', readyUnknown: ready?.status === 'Unknown' ? { reason: ready.reason || null } : null }, ev);
  }

  if (blockers.length) {
    let worst: 'Blocked' | 'Degraded' | 'Progressing' = 'Progressing';
    for (const b of blockers) if (RANK[severity(b)] > RANK[worst]) worst = severity(b);
    return fromBlockers(worst, worst);
  }

  const live = a.classified.filter((c) => c.kind === 'sidecar' || c.kind === 'app');
  const notReady = live.filter((c) => !(c.status?.state?.running && c.status.ready === true && (c.kind !== 'sidecar' || c.status.started === true)));
  // A trimmed object (GitOps tools, bug reports) may carry no conditions: in phase Running, every
  // sidecar and app status positively running, ready (and, for sidecars, started) is the evidence.
  const readyByStatuses = s.phase === 'Running' && !ready && live.length > 0 && notReady.length === 0;
  if (readyByStatuses) ev.push({ source: 'status', kind: 'allReady', containers: live.map((c) => c.name) });
  if (s.phase === 'Running' && (ready?.status === 'True' || readyByStatuses)) {
    if (notReady.length) {
      // a container without any status is missing evidence, not a contradiction
      const unreported = notReady.filter((c) => !c.status).map((c) => c.name);
      const containers = notReady.filter((c) => c.status).map((c) => c.name);
      if (containers.length) ev.push({ source: 'status', kind: 'notReady', containers });
      if (unreported.length) ev.push({ source: 'status', kind: 'noStatus', containers: unreported });
      return verdict('Unknown', { kind: 'readyButNotReady', containers, ...(unreported.length ? { unreported } : {}) }, ev);
    }
    // A status written for an older spec does not vouch for the current one (1.33+ observedGeneration).
    const gen = a.pod.metadata?.generation;
    const observed = a.pod.status?.observedGeneration;
    if (typeof gen === 'number' && typeof observed === 'number' && observed < gen) {
      ev.push({ source: 'status', kind: 'observedGeneration', observed, generation: gen });
      return verdict('Unknown', { kind: 'staleGeneration', observed, generation: gen }, ev);
    }
    const recent = a.restarts
      .filter((r) => !r.restartRule && r.last?.finishedAt && (secondsBetween(r.last.finishedAt, a.ctx.now) ?? Infinity) < RECENT_RESTART_SECONDS);
    if (recent.length) {
      for (const r of recent) ev.push({ source: 'status', kind: 'restarted', container: r.container, count: r.count, exitCode: r.last?.exitCode ?? null, finishedAt: r.last?.finishedAt ?? null });
      return verdict('Degraded', {
        kind: 'recentRestarts',
        restarts: recent.map((r) => ({ container: r.container, count: r.count, agoSeconds: secondsBetween(r.last!.finishedAt, a.ctx.now) ?? 0, exitCode: r.last?.exitCode ?? null })),
      }, ev);
    }
    return verdict('Healthy', { kind: 'healthy', ...(readyByStatuses ? { without: ['Ready condition'] } : {}) }, ev);
  }

  // Inside its containers' budgets (model/budgets.ts): starting, with what it waits on and until when.
  if (waits.length) {
    return verdict('Progressing', { kind: 'waiting', waits: waits.map((w) => ({ container: w.container, on: w.facts.on, until: w.until })) }, ev);
  }

  // Nothing to blame: progress while it is young, unexplained after.
  const since = ready?.lastTransitionTime ?? s.startedAt ?? s.createdAt;
  const age = secondsBetween(since, a.ctx.now);
  const appsDone = a.termination?.trigger === 'completion';
  if (appsDone) {
    const grace = s.terminationGracePeriodSeconds;
    const stopping = secondsBetween(a.termination?.startedAt, a.ctx.now);
    if (stopping === null || stopping <= grace + 5) return verdict('Progressing', { kind: 'sidecarsStopping' }, ev);
  }
  if (age !== null && age < UNEXPLAINED_SECONDS) {
    return verdict('Progressing', { kind: 'young', phase: s.phase, status: s.status, ageSeconds: age }, ev);
  }
  return verdict('Unknown', {
    kind: 'unexplained', phase: s.phase, ageSeconds: age,
    ready: ready ? { status: ready.status ?? null, reason: ready.reason || null, message: ready.message || null } : null,
  }, ev);
}
