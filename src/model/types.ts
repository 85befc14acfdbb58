// The two data shapes the whole tool is built around:
//  - Evidence: what the sources layer gathered (API server or files), raw and unjudged;
//  - PodLifecycle: what the model concluded, which is exactly the `-o json` contract
//    of docs/output-contract.md (fields may be added, fixed ones never renamed).
import type { CoreEvent, EventsV1Event, Pod, ServerVersion } from './k8s.js';
import type { AdviceFinding, BlockerFinding, VerdictEvidence, VerdictFacts, VerdictFinding, WaitFacts, WaitFinding } from './findings.js';

// ---------------------------------------------------------------- evidence

/** What a source could give: the contract's `sources.events` / `sources.logs` values. */
export type SourceState = 'ok' | 'forbidden' | 'unavailable' | 'expired' | 'skipped';

/** One log line as `GET .../log?timestamps=true` returns it: RFC3339Nano prefix, then the text. */
export interface LogLine {
  /** "" when the log was captured without timestamps (the sample is then `untimestamped`). */
  time: string;
  text: string;
}

/** What we read of one container instance's log. */
export interface LogSample {
  /** The first lines of the instance (read with limitBytes). */
  head: LogLine[];
  /** The last line(s) (read with tailLines=1). */
  tail: LogLine[];
  /** Set when the server refused (e.g. 400 "previous terminated container ... not found"). */
  error?: { code?: number; reason?: string; message?: string };
  /** Read from a file captured without timestamps: lines carry text only, no sub-second order. */
  untimestamped?: boolean;
}

export interface ContainerLogs {
  current?: LogSample;
  previous?: LogSample;
}

/** Everything known about one pod. */
export interface PodEvidence {
  pod: Pod;
  /** Events whose involvedObject/regarding uid is this pod's, from both event APIs, raw. */
  events: (CoreEvent | EventsV1Event)[];
  /** Keyed by container name. */
  logs: Record<string, ContainerLogs>;
  sources: { events: SourceState; logs: SourceState };
}

export interface ModelContext {
  /** "Now" as RFC 3339: the model never reads a clock. */
  now: string;
  /** GET /version, when it could be read. */
  version?: ServerVersion | null;
  /**
   * Sections left out (empty: resources as if no container asked for any, advice none): the watch
   * prints neither, and they were ~1/3 of describePod per update (src/model/transitions.ts).
   */
  skip?: readonly ('resources' | 'advice')[];
}

// ---------------------------------------------------------------- lifecycle (the JSON contract)

export const API_VERSION = 'kubectl-sidecars/v1alpha1';

export type ContainerKind = 'init' | 'sidecar' | 'app' | 'ephemeral';
export type ContainerStateName = 'waiting' | 'running' | 'terminated' | 'unknown';

export interface PodSummary {
  namespace: string;
  name: string;
  uid: string;
  node: string | null;
  phase: string;
  /** kubectl-style STATUS column, sidecar-aware (Init:1/3, Completed, CrashLoopBackOff, Terminating…). */
  status: string;
  /** kubectl-style READY column: ready / (apps + sidecars). */
  ready: string;
  restartPolicy: string;
  createdAt: string | null;
  deletionTimestamp: string | null;
  terminationGracePeriodSeconds: number;
  // additions
  /** kubectl-style RESTARTS count. */
  restarts: number;
  /** finishedAt of the most recent restart, for "(Xm ago)". */
  lastRestartAt: string | null;
  startedAt: string | null;
  qosClass: string | null;
  owner: { kind: string; name: string } | null;
  conditions: { type: string; status: string; reason: string | null; message: string | null; lastTransitionTime: string | null }[];
  /** status.reason / status.message: who ended or refused the pod (Evicted, DeadlineExceeded, OutOfcpu, Shutdown…). */
  reason: string | null;
  message: string | null;
  finalizers: string[];
  /** metadata.deletionGracePeriodSeconds: 0 once the kubelet confirmed every container stopped (the final removal). */
  deletionGracePeriodSeconds?: number | null;
  /** status.podIP (kubectl get -o wide: IP). */
  ip?: string | null;
  /** status.nominatedNodeName (kubectl get -o wide: NOMINATED NODE). */
  nominatedNode?: string | null;
  /** spec.readinessGates with their condition's status (kubectl get -o wide: READINESS GATES). */
  readinessGates?: { conditionType: string; status: string | null }[];
}

export interface ContainerLifecycle {
  name: string;
  kind: ContainerKind;
  /** Position in its spec list (initContainers, containers or ephemeralContainers). */
  index: number;
  /** The spec's image, as kubectl describe shows it (the status' when the spec has none). */
  image: string;
  state: ContainerStateName;
  reason: string | null;
  exitCode: number | null;
  started: boolean | null;
  ready: boolean | null;
  restartCount: number;
  startedAt: string | null;
  finishedAt: string | null;
  probes: { startup: boolean; readiness: boolean; liveness: boolean };
  /** `reason` in words; the facts it is worded from (types.ts LegacySidecarFacts) beside it. */
  legacySidecar: ({ reason: string } & Partial<LegacySidecarFacts>) | null;
  // additions
  message: string | null;
  signal: number | null;
  lastState: { exitCode: number | null; reason: string | null; startedAt: string | null; finishedAt: string | null } | null;
  hooks: { postStart: boolean; preStop: boolean };
  /** The last log line read of the instance that ended (else the running one), verbatim; null without logs. */
  lastLogLine?: string | null;
  requests: Record<string, string>;
  limits: Record<string, string>;
  /** What could not be interpreted (malformed input), one phrase each. */
  notes: string[];
  /** The facts `notes` is worded from, one each. */
  noteFacts?: InputNote[];
  /** status.image: the runtime's name for what runs (another tag of the same digest can show here). */
  statusImage?: string | null;
  /** status.imageID: the digest that runs. */
  imageID?: string | null;
}

export type TimelineType =
  | 'Scheduled' | 'Pulling' | 'Pulled' | 'Created' | 'Started' | 'StartupSucceeded' | 'Ready' | 'NotReady'
  | 'ProbeFailed' | 'Killing' | 'Terminated' | 'BackOff' | 'PodInitialized' | 'PodReady' | 'PodCompleted'
  | 'DeletionRequested';

export type TimelineSource = 'status' | 'condition' | 'event' | 'log';

export interface TimelineEntry {
  time: string;
  container: string | null;
  type: TimelineType;
  source: TimelineSource;
  detail: string;
  // additions
  /** Set when the time is inferred, not read: `basis` says from what (e.g. "migrate's log"). */
  estimate?: { basis: string };
  /** Terminated entries: the exit code (null when the status has none), for renderers that draw it. */
  exitCode?: number | null;
  /** The facts `detail` is worded from (render/words/timeline.ts). */
  facts?: TimelineFacts;
  /** The facts `estimate.basis` is worded from. */
  estimateFacts?: EstimateFacts;
}

export type RestartCause = 'OOMKilled' | 'LivenessProbeFailed' | 'StartupProbeFailed' | 'Error' | 'Completed' | 'DefinitionChanged' | 'Unknown';

export interface RestartHistory {
  container: string;
  count: number;
  last: { exitCode: number | null; reason: string | null; startedAt: string | null; finishedAt: string | null } | null;
  causes: RestartCause[];
  backOff: { events: number; lastAt: string | null } | null;
  // additions
  kind: ContainerKind;
  /** Evidence for the causes, one sentence each (event messages with their counts). */
  evidence: string[];
  /** KEP-5307: the restartPolicyRules entry the last exit code matched (a restart the spec asks for), else null. */
  restartRule?: string | null;
  /** The facts `evidence` is worded from, one each. */
  evidenceFacts?: RestartEvidence[];
  /** The rule `restartRule` is worded from. */
  restartRuleFacts?: RestartRuleFacts | null;
}

/** The DisruptionTarget condition: who deletes or ended the pod (reason), in its own words (message). */
export interface Disruption {
  reason: string;
  message: string | null;
  since: string | null;
}

/** A log line of a container still reported running, written after termination began: it got its signal. */
export interface LogSignal {
  container: string;
  time: string;
  line: string;
}

export interface TerminationViolation {
  /** Terminated first … */
  first: string;
  /** … although it should have outlived this one. */
  then: string;
  message: string;
  // additions
  /** order: the kubelet stopped them out of order; sidecarExited: the sidecar ended on its own (a failure, not the order). */
  cause?: 'order' | 'sidecarExited';
}

export interface Termination {
  startedAt: string | null;
  order: string[];
  ordered: boolean;
  violations: TerminationViolation[];
  killed: string[];
  // additions
  /** Why the pod is terminating: deletion, or the app containers finished. */
  trigger: 'deletion' | 'completion';
  gracePeriodSeconds: number;
  /** Per container, when it terminated (refined by logs when they allow) and how. */
  containers: { name: string; kind: ContainerKind; finishedAt: string | null; exitCode: number | null; reason: string | null; source: TimelineSource }[];
  /** What the server version promises: "ordered" (1.29+), "unordered" (1.28) or "unknown". */
  serverPromise: 'ordered' | 'unordered' | 'unknown';
  /** Containers that take part but were still running at the snapshot (not in `order` yet). */
  running?: string[];
  /** What the reconstruction could not decide (1-second ties no log line splits, …), one phrase each. */
  notes?: string[];
  /** `order` in groups: containers in one group ended in the same second with nothing to order them. */
  groups?: string[][];
  /** Terminated, but the status has no finish time (e.g. ContainerStatusUnknown after an eviction). */
  unknownFinish?: string[];
  /** The facts `notes` is worded from, one each. */
  noteFacts?: TerminationNote[];
  /** The DisruptionTarget condition, when one says who deletes the pod (eviction, preemption, taint manager, kubelet). */
  disruption?: Disruption | null;
  /**
   * Containers the status still reports running whose log, after termination began, shows the
   * stop signal arrived (a line naming the signal or the shutdown): the last such line each.
   */
  signalled?: LogSignal[];
}

export type BlockerCode =
  | 'Unschedulable' | 'ImagePullFailing' | 'ContainerConfigError' | 'InitContainerFailing' | 'InitContainerRunning'
  | 'InitContainerNotExiting' | 'SidecarNotStarted' | 'SidecarCrashLooping' | 'SidecarNotReady' | 'ContainerCrashLooping'
  | 'ContainerNotReady' | 'ReadinessGateNotReady' | 'LegacySidecarBlocksCompletion' | 'TerminationOverdue'
  | 'PodFailed' | 'SandboxNotReady' | 'HookFailed' | 'ContainerUnhealthy' | 'NeverCompletes' | 'SchedulingGated'
  | 'ResizeNotApplied' | 'ShutdownOOMKilled';

/** The contract's blocker: the model's finding (code, container, since, facts) with its sentence. */
export interface Blocker extends BlockerFinding {
  message: string;
}

/** The contract's waitingOn item: container, on (what), since, until (null: no budget), message, facts. */
export interface WaitingOn {
  container: string;
  on: WaitFacts['on'];
  since: string | null;
  until: string | null;
  message: string;
  facts: WaitFacts;
}

export type AdviceCode =
  | 'SidecarWithoutRequests' | 'SlowSidecarStartup' | 'SidecarReadinessGatesPod' | 'GracePeriodTooShort' | 'LegacySidecar'
  | 'NativeSidecarsUnsupported' | 'ShutdownNeedsMemory';

/** The contract's advice: the model's finding (code, container, facts) with its sentence. */
export interface Advice extends AdviceFinding {
  message: string;
}

export interface Resources {
  requests: Record<string, string>;
  limits: Record<string, string>;
  naiveSumRequests: Record<string, string>;
  // additions
  naiveSumLimits: Record<string, string>;
  /** Where the pod-level numbers come from. */
  basis: 'containers' | 'pod-level';
  overhead: Record<string, string>;
  /** Malformed quantities that were ignored, one phrase each (absent when none). */
  notes?: string[];
  /** The facts `notes` is worded from, one each. */
  noteFacts?: InputNote[];
}

/** The contract's verdict states: a green check only for Healthy and Completed. */
export type VerdictState = 'Healthy' | 'Completed' | 'Progressing' | 'Degraded' | 'Blocked' | 'Failed' | 'Terminating' | 'Unknown';

export interface Verdict {
  state: VerdictState;
  summary: string;
  // additions
  /** The facts the state rests on, each with where it was read (status, condition, event, blocker), worded in `fact`. */
  evidence: (VerdictEvidence & { fact: string })[];
  /** Why the state: what the summary words (model/findings.ts VerdictFacts). */
  facts: VerdictFacts;
}

/** A named workload's own outcome (the contract's top-level `workloads`). */
export interface WorkloadOutcome {
  kind: string;
  namespace: string;
  name: string;
  /** Job: Complete | Failed | Suspended | Running; Deployment/StatefulSet/…: Available | Progressing | RolloutStuck | Degraded | Unknown. */
  state: string;
  reason: string | null;
  message: string | null;
  /** Names of the pods it owns that were described. */
  pods: string[];
  // additions
  /** When the outcome was reached (the condition's lastTransitionTime). */
  since: string | null;
  /** For a failed Job: the pod that failed last and why. */
  lastFailedPod?: { name: string; container: string | null; exitCode: number | null; reason: string | null; finishedAt: string | null; lastLogLine: string | null } | null;
  /** Counts the controller reports (Job: active/succeeded/failed; rollouts: replicas…). */
  counts?: Record<string, number>;
  /** The rule that decided `state`, with what `message` is worded from (render/words/workloads.ts). */
  facts?: WorkloadFacts;
}

/**
 * Which outcome rule held (kubectl rollout status, model/workloads.ts); the counts are the outcome's.
 * jobCondition: a Job's state and message are its condition's own.
 */
export type WorkloadFacts =
  | { rule: 'jobCondition' }
  | { rule: 'generationNotObserved'; generation: number; observedGeneration: number }
  | { rule: 'progressDeadlineExceeded'; message: string | null }
  | { rule: 'replicasUpdating' | 'oldReplicasPending' | 'updatedNotAvailable' | 'podsNotReady' | 'podsNotScheduled' | 'podsNotAvailable' | 'replicasAvailable' }
  | { rule: 'availableFalse'; status: string; reason: string | null; message: string | null }
  | { rule: 'revisionPending'; revision: string }
  | { rule: 'rolledOut'; revision?: string | null }
  | { rule: 'cronJob'; lastScheduleTime: string | null; lastSuccessfulTime: string | null }
  | { rule: 'noRule' };

/** A workload's outcome as the model returns it: `message` only when it is the cluster's own (a Job condition's). */
export interface WorkloadModel extends Omit<WorkloadOutcome, 'facts'> {
  facts: WorkloadFacts;
}

export interface PodLifecycle {
  pod: PodSummary;
  containers: ContainerLifecycle[];
  timeline: TimelineEntry[];
  restarts: RestartHistory[];
  termination: Termination | null;
  blockers: Blocker[];
  resources: Resources;
  advice: Advice[];
  /** logTimestamps: false when the logs read had no timestamps (a bundle): no sub-second order. */
  sources: { events: SourceState; logs: SourceState; logTimestamps?: false };
  // additions
  verdict: Verdict;
  /**
   * What the pod waits on within its containers' budgets (probes, hooks, init steps): not failures,
   * no exit 2 (docs/output-contract.md). Empty when a blocker is open or nothing is awaited.
   */
  waitingOn: WaitingOn[];
  /** Sections the model could not work out from malformed input, one phrase each (absent when none). */
  notes?: string[];
  /** The facts `notes` is worded from, one each. */
  noteFacts?: InputNote[];
}

// ---------------------------------------------------------------- facts (the model's own shapes)
// What src/model returns in place of the sentences above; render/words/ words them. JSON carries
// both: the contract's sentence field keeps its name and text, the facts are added beside it.

/** A kubelet/scheduler event as evidence: its own message (a URL's query dropped), how often, when. */
export interface EventFact {
  reason: string;
  message: string;
  count: number;
  firstTime: string | null;
  lastTime: string | null;
}

/** A pod condition as read (the timeline's condition entries). */
export interface ConditionFact {
  condition: string;
  status: string;
  reason: string | null;
  message: string | null;
}

/** Why a timeline entry is there: `detail` is worded from it (render/words/timeline.ts). */
export type TimelineFacts =
  /** Scheduled, Pulling, Pulled, Created, Killing, BackOff, ProbeFailed, and Started events the status does not know. */
  | ({ kind: 'event'; restartBackOff?: boolean } & EventFact)
  | ({ kind: 'condition' } & ConditionFact)
  /** PodCompleted: the phase, reported with no time of its own (the last container's exit stands for it). */
  | { kind: 'phase'; phase: string }
  | { kind: 'deletion'; gracePeriodSeconds: number }
  /** A container instance from the status; `startedEvents`: repeated Started events of the same second. */
  | { kind: 'start'; instance: 'previous' | 'current'; restart: number; startedEvents?: EventFact[] }
  | { kind: 'exit'; instance: 'previous' | 'current'; exitCode: number | null; reason: string | null; signal: number | null }
  /**
   * A sidecar's startup: `ungated` (no startup probe or postStart), `nextStarted` (passed by the time
   * `next` started), `lastFailure` (after its last startup probe failure), `atStart` (time not recorded).
   */
  | { kind: 'startup'; basis: 'ungated' | 'nextStarted' | 'lastFailure' | 'atStart'; gate: 'startupProbe' | 'postStart' | null; next?: string; lastFailure?: string | null }
  /**
   * Ready: `noProbe` (ready once started), `afterFailure` (passing after its last readiness failure),
   * `notRecorded` (passing, first success not recorded); `after` says from when (`start`, or the last
   * startup probe failure when the startup time itself is unknown).
   */
  | { kind: 'ready'; basis: 'noProbe' | 'afterFailure' | 'notRecorded'; after: 'start' | 'startupFailure' }
  /** A container not ready: its latest readiness failure message (null: no event) and the failures counted. */
  | { kind: 'notReady'; message: string | null; failures: number };

/** What an estimated time was taken from (`estimate.basis` is worded from it). */
export type EstimateFacts =
  | { from: 'nextStart'; container: string; source: TimelineSource }
  | { from: 'startupFailure' }
  | { from: 'readinessFailure' }
  | { from: 'firstSuccessUnrecorded' };

export interface TimelineFact extends Omit<TimelineEntry, 'detail' | 'estimate' | 'facts' | 'estimateFacts'> {
  facts: TimelineFacts;
  estimate?: EstimateFacts;
}

/** KEP-5307 restartPolicyRules entry: action when the exit code is In / NotIn the values. */
export interface RestartRuleFacts {
  action: string;
  operator: 'In' | 'NotIn';
  values: number[];
}

/** One piece of evidence behind a restart history (`evidence` is worded from each). */
export type RestartEvidence =
  | ({ kind: 'kill'; cause: RestartCause } & EventFact)
  | ({ kind: 'postStartKill' } & EventFact)
  | { kind: 'oomKilled'; exitCode: number | null; finishedAt: string | null }
  /** The last termination; `rule`: the restart rule that restarted it; `afterKill`: a probe kill ended it. */
  | { kind: 'lastExit'; exitCode: number | null; reason: string | null; finishedAt: string | null; rule: RestartRuleFacts | null; afterKill: boolean }
  /** No termination record; `rule`: the only restart rule that can restart it (restartPolicy Never). */
  | { kind: 'noRecord'; rule: RestartRuleFacts | null }
  | { kind: 'backOff'; events: EventFact[] }
  | { kind: 'crashLoopWaiting'; message: string | null }
  | { kind: 'killsUncounted'; kills: number; restarts: number };

export interface RestartModel extends Omit<RestartHistory, 'evidence' | 'restartRule' | 'evidenceFacts' | 'restartRuleFacts'> {
  evidence: RestartEvidence[];
  restartRule?: RestartRuleFacts | null;
}

/** What the termination reconstruction could not decide or must say (`notes` is worded from each). */
export type TerminationNote =
  | { kind: 'appFinishUnknown' }
  | { kind: 'stillRunning'; containers: string[] }
  | { kind: 'tie'; containers: [string, string]; second: string | null }
  | { kind: 'unordered' };

export interface TerminationModel extends Omit<Termination, 'violations' | 'notes' | 'noteFacts'> {
  /** Which pair ended out of order: `message` is worded from `termination.containers`. */
  violations: Omit<TerminationViolation, 'message'>[];
  notes?: TerminationNote[];
}

/** Malformed input: which field, what is wrong with it, and its value (JSON, cut) when that helps. */
export interface InputNote {
  field: string;
  /**
   * emptyState: a state with none of waiting/running/terminated; noState: a status without state;
   * noStatus: no status for this container while others have one; absentFromSpec: a status (in the
   * list `field`) naming no container of the spec; statusNoName: a container status (`field`) without a
   * name, matched to no container; failed: a rule module threw (`value`: its error).
   */
  problem: 'notObject' | 'notNumber' | 'notTime' | 'notCount' | 'notBoolean' | 'notList' | 'emptyState' | 'noState' | 'noStatus' | 'noName' | 'absentFromSpec' | 'statusNoName' | 'malformedQuantity' | 'failed';
  value?: string;
  /** noName: the name shown instead; malformedQuantity: the resource name. */
  name?: string;
}

/** Why a plain container looks like a sidecar (legacy.ts): by injection annotation, image or name. */
export interface LegacySidecarFacts {
  product: string;
  by: 'annotation' | 'image' | 'name';
  /** The annotation key, the image, or the container name that matched. */
  match: string;
}

export interface ContainerModel extends Omit<ContainerLifecycle, 'notes' | 'noteFacts' | 'legacySidecar'> {
  notes: InputNote[];
  legacySidecar: LegacySidecarFacts | null;
}

export interface ResourcesModel extends Omit<Resources, 'notes' | 'noteFacts'> {
  notes?: InputNote[];
}

/**
 * What the model returns for one pod: facts with their sources, no sentences. render/words/ turns it
 * into the contract's PodLifecycle (the facts plus the sentences the contract names: blocker and
 * advice messages, timeline details, the verdict's summary). Until every section carries its facts,
 * the sections not yet converted are the contract's own shapes.
 */
export type PodModel = Omit<PodLifecycle, 'containers' | 'timeline' | 'restarts' | 'termination' | 'resources' | 'notes' | 'noteFacts' | 'blockers' | 'advice' | 'verdict' | 'waitingOn'> & {
  blockers: BlockerFinding[];
  waitingOn: WaitFinding[];
  advice: AdviceFinding[];
  verdict: VerdictFinding;
  containers: ContainerModel[];
  timeline: TimelineFact[];
  restarts: RestartModel[];
  termination: TerminationModel | null;
  resources: ResourcesModel;
  notes?: InputNote[];
};

/** describe's list as the model returns it (render/words/ words each item). */
export interface PodModelList extends Omit<PodLifecycleList, 'items' | 'workloads'> {
  items: PodModel[];
  workloads?: WorkloadModel[];
}

export interface PodLifecycleList {
  apiVersion: typeof API_VERSION;
  kind: 'PodLifecycleList';
  items: PodLifecycle[];
  /** For TYPE/NAME targets: each named workload's own outcome (absent otherwise). */
  workloads?: WorkloadOutcome[];
}
