// The facts behind blockers, advice and the verdict (issue 14: facts in the model, words in
// render/words/). Each finding carries what was read, with its numbers, names and the cluster's own
// strings verbatim; src/render/words/{blockers,advice,verdict}.ts turn them into the contract's
// sentences. The `kind` of a facts object says which rule found it (several codes share a shape).
import type { AdviceCode, BlockerCode, Disruption, VerdictState } from './types.js';
import type { ClassifiedContainer } from './classify.js';
import type { looksLikeSidecar } from './legacy.js';

// ---------------------------------------------------------------- shared pieces

/** Several event objects merged: how many times, first and last seen. */
export interface Often {
  count: number;
  first: string | null;
  last: string | null;
}

/** How a container instance ended (null exitCode: the status has none). */
export interface ExitFacts {
  exitCode: number | null;
  reason: string | null;
}

export type ProbeKind = 'Readiness' | 'Liveness' | 'Startup';

/** Unhealthy events of one probe, merged; `output` is the last failure's output ('' when none). */
export interface ProbeFailures extends Often {
  kind: ProbeKind;
  output: string;
}

/** How a probe is configured, never what it runs (no command lines, no query strings). */
export interface ProbeSpec {
  handler: 'HTTP' | 'HTTPS' | 'TCP' | 'gRPC' | 'exec' | 'other' | 'none';
  /** httpGet only: the path without query or fragment, control characters removed, clipped. */
  path?: string;
  /** '?' when the spec's port is not a number or a port name. */
  port?: string;
  /** httpGet/tcpSocket host, when the spec sets one (else the pod's IP). */
  host?: string;
  /** gRPC only: the service name checked, when set. */
  service?: string;
  /** exec only: the program's name (never its arguments), and whether arguments follow it. */
  program?: string;
  args?: boolean;
  periodSeconds: number;
  failureThreshold: number;
  initialDelaySeconds: number;
  timeoutSeconds: number;
  successThreshold: number;
}

/** A container's own last words: its last log line, else its termination message (both verbatim, one line). */
export interface LastWords {
  lastLogLine: string | null;
  terminationMessage: string | null;
}

/** The memory limit a container ran under, and where it is set (null: no limit anywhere). */
export interface MemoryLimit {
  value: string | null;
  from: 'status' | 'container' | 'pod' | null;
}

/** Where `kubectl logs` finds the evidence a message could only quote a line of. */
export interface LogsRef {
  pod: string;
  container: string;
  namespace: string | null;
  previous: boolean;
}

/**
 * What a blocked container holds back: the later containers that wait on it, and what it means for
 * the pod ('none': nothing more to say).
 */
export interface Holds {
  waiting: string[];
  effect: 'none' | 'podPending' | 'initStuck' | 'podNotReady' | 'podNotReadyUntilStarted';
}

/** What says a node is gone (model/failures.ts nodeLostEvidence). */
export type NodeLost =
  | { source: 'condition'; kind: 'readyUnknown'; reason: string | null }
  | { source: 'status'; kind: 'reasonNodeLost' }
  | { source: 'condition'; kind: 'taintManagerEviction'; message: string | null }
  | { source: 'event'; kind: 'nodeNotReady'; message: string };

/** Why a plain container counts as a legacy sidecar (model/classify.ts, worded by render/words/evidence.ts legacyText). */
export type LegacyLook = NonNullable<ClassifiedContainer['legacySidecar']>;
/** Why a container looks like a well-known sidecar (model/legacy.ts). */
export type SidecarLook = NonNullable<ReturnType<typeof looksLikeSidecar>>;

/** A container's role as a blocker names it: native sidecar, init container, legacy sidecar, other. */
export type Role = 'sidecar' | 'init' | 'legacySidecar' | 'container';

// ---------------------------------------------------------------- blockers

/** Why the container is not ready (the rules of model/blockers.ts notReadyEvidence, in order). */
export type NotReadyFacts =
  | { by: 'readinessFailures'; failures: ProbeFailures; probe?: ProbeSpec }
  | { by: 'readinessProbe'; probe: ProbeSpec; notReadySeconds: number | null }
  | { by: 'startupProbe'; failures: ProbeFailures | null; probe: ProbeSpec }
  | { by: 'containersReady'; message: string; notReadySeconds: number | null }
  | { by: 'noProbe'; runningSeconds: number | null; notReadySeconds: number | null };

export type BlockerFacts =
  | { kind: 'unschedulable'; attempts: Often | null; why: string | null; sidecarShare: { resource: string; withSidecars: string; without: string; added: string; sidecars: string[] }[] }
  | { kind: 'terminationOverdue'; requestedAt: string; gracePeriodSeconds: number; overdueSeconds: number; node: string | null; nodeLost: NodeLost | null; running: { name: string; role: Role }[]; finalizers: string[] }
  | { kind: 'imagePull'; image: string; reason: string; attempts: Often | null; detail: string; holds: Holds }
  | { kind: 'createFailed'; reason: string; failures: Often | null; detail: string; holds: Holds }
  | ({ kind: 'crashLoop'; exit: ExitFacts | null; ranSeconds: number | null; restarts: number; backOff: Often | null; nextTryIn: string | null; holds: Holds; waitingMessage: string | null; memoryLimit: MemoryLimit | null; runningAgain?: { since: string; resetAt: string } } & LastWords)
  | ({ kind: 'initFailedPod'; exit: ExitFacts | null; restartPolicy: string } & LastWords)
  | { kind: 'initNotExiting'; runningSeconds: number; looksLikeSidecar: SidecarLook | null; holds: Holds }
  | { kind: 'initRunning'; runningSeconds: number | null; holds: Holds }
  | { kind: 'postStartPending'; startedAt: string; agoSeconds: number | null; waitingReason: string | null; holds: Holds }
  | { kind: 'notStarted'; runningSeconds: number | null; startup: { probe: ProbeSpec; failures: ProbeFailures | null } | null; postStart: { failures: Often | null } | null; holds: Holds }
  | { kind: 'notReady'; notReady: NotReadyFacts; previous?: { exit: ExitFacts; restarts: number; finishedAt: string | null; terminationMessage: string | null; memoryLimit: MemoryLimit | null } | null }
  | { kind: 'readinessGate'; gate: string; condition: { status: string | null; reason: string | null; message: string | null } | null }
  | { kind: 'completionHeld'; finished: { name: string; exit: ExitFacts }[]; finishedAgoSeconds: number | null; restartPolicy: string; legacy: LegacyLook | null }
  | { kind: 'podFailed'; reason: string | null; message: string | null; culprits: ({ name: string; init: boolean; exit: ExitFacts; finishedAt: string | null; logs: LogsRef } & LastWords)[]; disruption: Disruption | null; statusUnknown: string[] }
  | { kind: 'sandbox'; events: { reason: string; often: Often; message: string }[]; falseSeconds: number | null; waiting: string[] }
  | ({ kind: 'hookFailed'; failures: Often | null; output: HookOutput | null; restarts: number; backOff: Often | null; holds: Holds } & LastWords)
  | ({ kind: 'unhealthy'; probe: 'liveness' | 'startup'; probeSpec?: ProbeSpec; kills: Often; restarts: number; probeFailed: (Often & { output: string }) | null; wholeGrace: { gracePeriodSeconds: number; killedAt: string; exitedAt: string; signal: string } | null; previous: { exit: ExitFacts; finishedAt: string | null } | null; logs: LogsRef } & LastWords)
  | { kind: 'schedulingGated'; gates: string[]; conditionMessage: string | null }
  | ({ kind: 'shutdownOom'; finishedAt: string; trigger: 'deletion' | 'completion'; secondsIntoShutdown: number | null; exit: ExitFacts; memoryLimit: MemoryLimit } & LastWords)
  | { kind: 'resize'; from: 'PodResizePending' | 'PodResizeInProgress' | 'status.resize'; reason: string | null; message: string | null };

/**
 * A postStart hook's outcome from the kubelet's message: its exit code and output, or, when the
 * message has another form, its text in pieces around the command lines that were cut out (a
 * command line may carry secrets).
 */
export type HookOutput = { exitCode: string; output: string } | { pieces: string[] };

/** A blocker as the model returns it: the contract's code, container and since, and its facts. */
export interface BlockerFinding {
  code: BlockerCode;
  container: string | null;
  since: string | null;
  facts: BlockerFacts;
}

// ---------------------------------------------------------------- waiting (model/budgets.ts)

/** A probe's budget from `from` (model/budgets.ts probeBudget): spec fields with the API's defaults. */
export interface ProbeBudget {
  initialDelaySeconds: number;
  periodSeconds: number;
  failureThreshold: number;
  timeoutSeconds: number;
  /** When the probe's worker may start: the container's start, or its startup probe's success. */
  from: string;
  /** The first check is due by from + initialDelaySeconds + periodSeconds. */
  firstCheckBy: string;
  /** Not passed by then is a failure: from + initialDelaySeconds + periodSeconds × failureThreshold + timeoutSeconds. */
  deadline: string;
}

/** What a container inside its budget waits on: the pod is Progressing, nothing has failed yet. */
export type WaitFacts =
  | { on: 'startupProbe' | 'readinessProbe'; budget: ProbeBudget; failures: ProbeFailures | null }
  | { on: 'postStart'; startedAt: string; limitSeconds: number }
  | { on: 'initStep'; runningSeconds: number | null; limitSeconds: number };

/** One wait: the container, since when, until when at the latest (null: no budget says), its facts. */
export interface WaitFinding {
  container: string;
  since: string | null;
  until: string | null;
  facts: WaitFacts;
}

// ---------------------------------------------------------------- advice

export type AdviceFacts =
  | { kind: 'nativeSidecarsUnsupported'; server: string; minor: number; sidecars: string[] }
  | { kind: 'legacySidecar'; legacy: LegacyLook; postStart: boolean; holdsCompletion: string | null; setupSteps: string[]; otherInits: string[]; product: string | null }
  | { kind: 'sidecarWithoutRequests'; peers: { name: string; requests: [string, string][] }[] }
  | { kind: 'slowStartup'; next: string[]; gate: Gate; startupFailures: Often | null; waitedSeconds: number; precise: boolean; ongoing: boolean; fix: StartupFix }
  | { kind: 'readinessGatesPod'; failures: ProbeFailures | null; readyApps: string[] }
  | { kind: 'graceKilled'; finishedAt: string | null; tookSeconds: number | null; shutdownStartedAt: string; fromStatus: boolean; gracePeriodSeconds: number; sidecar: boolean; signal: string; configuredStopSignal: string | null; lastLogAt: string | null; quietAfter: boolean | null }
  | { kind: 'graceNearlyUsed'; tookSeconds: number; gracePeriodSeconds: number; lastStopped: string; at: string }
  | { kind: 'preStopTooLong'; sleepSeconds: number; gracePeriodSeconds: number; sidecars: string[] }
  | { kind: 'shutdownNeedsMemory'; memoryLimit: MemoryLimit; trigger: 'deletion' | 'completion' };

/** What holds a sidecar's start: its startup probe, its postStart hook, or both. */
export type Gate = { startupProbe: boolean; postStart: boolean };

/** startupProbe: which knobs could shorten the wait (null when none: only a faster start helps); else the hook. */
export type StartupFix = { probe: { periodSeconds: number; initialDelaySeconds: number; faster: boolean; earlier: boolean } } | { hook: true };

export interface AdviceFinding {
  code: AdviceCode;
  container: string | null;
  facts: AdviceFacts;
}

// ---------------------------------------------------------------- verdict

/** A blocker cited by reference (the blocker itself carries the evidence). */
export interface BlockerRef {
  code: BlockerCode;
  container: string | null;
}

/** One fact the verdict rests on, with where it was read. */
export type VerdictEvidence =
  | { source: 'status'; kind: 'phase'; phase: string; reason: string | null }
  | { source: 'condition'; kind: 'ready'; status: string | null; reason: string | null; since: string | null }
  | ({ source: 'blocker'; kind: 'blocker' } & BlockerRef)
  | NodeLost
  | { source: 'status'; kind: 'deletionTimestamp'; time: string }
  | { source: 'status'; kind: 'notReady'; containers: string[] }
  | { source: 'status'; kind: 'noStatus'; containers: string[] }
  | { source: 'status'; kind: 'allReady'; containers: string[] }
  | { source: 'status'; kind: 'observedGeneration'; observed: number; generation: number }
  | { source: 'status'; kind: 'restarted'; container: string; count: number; exitCode: number | null; finishedAt: string | null };

export type VerdictFacts =
  | { kind: 'blockers'; lead: 'Blocked' | 'Degraded' | 'Progressing' | 'overdue'; blockers: BlockerRef[] }
  | { kind: 'overdueNodeLost'; nodeLost: NodeLost }
  | { kind: 'deleted' }
  | { kind: 'terminating'; gracePeriodSeconds: number; deadline: string; disruption?: Disruption | null; ended: { phase: 'Failed' | 'Succeeded'; failing: { name: string; exitCode: number; reason: string | null }[] } | null }
  | { kind: 'failed'; reason: string | null; message: string | null; failing: { name: string; exitCode: number; reason: string | null }[] }
  | { kind: 'succeeded' }
  | { kind: 'nodeStoppedReporting'; readyUnknown: { reason: string | null } | null }
  | { kind: 'noStatus' }
  | { kind: 'readyButNotReady'; containers: string[]; unreported?: string[] }
  | { kind: 'staleGeneration'; observed: number; generation: number }
  | { kind: 'recentRestarts'; restarts: { container: string; count: number; agoSeconds: number; exitCode: number | null }[] }
  | { kind: 'healthy'; without?: string[] }
  | { kind: 'sidecarsStopping' }
  | { kind: 'young'; phase: string; status: string; ageSeconds: number }
  | { kind: 'waiting'; waits: { container: string; on: WaitFacts['on']; until: string | null }[] }
  | { kind: 'unexplained'; phase: string; ageSeconds: number | null; ready: { status: string | null; reason: string | null; message: string | null } | null }
  | { kind: 'notWorkedOut' };

export interface VerdictFinding {
  state: VerdictState;
  facts: VerdictFacts;
  evidence: VerdictEvidence[];
}

