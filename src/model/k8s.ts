// The subset of Kubernetes API objects the model reads, as plain JSON.
// Every field is optional on purpose: input comes from API servers of many versions, from files
// and from support bundles, and the model must degrade (state "unknown") rather than throw.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string | null;
  deletionGracePeriodSeconds?: number | null;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion?: string; kind?: string; name?: string; uid?: string; controller?: boolean }[];
  finalizers?: string[];
}

export type Quantities = Record<string, string | number>;

export interface ResourceRequirements {
  requests?: Quantities;
  limits?: Quantities;
}

export interface Probe {
  httpGet?: { path?: string; port?: number | string; scheme?: string; host?: string };
  tcpSocket?: { port?: number | string; host?: string };
  exec?: { command?: string[] };
  grpc?: { port?: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  failureThreshold?: number;
  successThreshold?: number;
  terminationGracePeriodSeconds?: number | null;
}

export interface LifecycleHandler {
  exec?: { command?: string[] };
  httpGet?: { path?: string; port?: number | string };
  sleep?: { seconds?: number };
  tcpSocket?: { port?: number | string };
}

export interface Container {
  name?: string;
  image?: string;
  command?: string[];
  args?: string[];
  restartPolicy?: string | null;
  /** KEP-5307 (beta 1.35): per-container restart rules of a regular container. */
  restartPolicyRules?: { action?: string; exitCodes?: { operator?: string; values?: number[] } }[] | null;
  resources?: ResourceRequirements;
  startupProbe?: Probe | null;
  readinessProbe?: Probe | null;
  livenessProbe?: Probe | null;
  lifecycle?: { postStart?: LifecycleHandler | null; preStop?: LifecycleHandler | null; stopSignal?: string } | null;
  ports?: { containerPort?: number; name?: string; protocol?: string }[];
  // ephemeral containers only
  targetContainerName?: string;
}

export interface PodSpec {
  nodeName?: string;
  restartPolicy?: string;
  terminationGracePeriodSeconds?: number | null;
  initContainers?: Container[] | null;
  containers?: Container[] | null;
  ephemeralContainers?: Container[] | null;
  overhead?: Quantities | null;
  resources?: ResourceRequirements | null;
  readinessGates?: { conditionType?: string }[] | null;
  priority?: number;
  schedulerName?: string;
  schedulingGates?: { name?: string }[] | null;
  activeDeadlineSeconds?: number | null;
  os?: { name?: string } | null;
}

export interface ContainerStateWaiting { reason?: string; message?: string }
export interface ContainerStateRunning { startedAt?: string | null }
export interface ContainerStateTerminated {
  exitCode?: number;
  signal?: number;
  reason?: string;
  message?: string;
  startedAt?: string | null;
  finishedAt?: string | null;
  containerID?: string;
}
export interface ContainerState {
  waiting?: ContainerStateWaiting | null;
  running?: ContainerStateRunning | null;
  terminated?: ContainerStateTerminated | null;
}

export interface ContainerStatus {
  name?: string;
  state?: ContainerState | null;
  lastState?: ContainerState | null;
  ready?: boolean;
  started?: boolean | null;
  restartCount?: number;
  image?: string;
  imageID?: string;
  containerID?: string;
  allocatedResources?: Quantities;
  resources?: ResourceRequirements;
  /** KEP-4960: the effective stop signal, when the runtime reports one. */
  stopSignal?: string;
}

export interface PodCondition {
  type?: string;
  status?: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string | null;
  lastProbeTime?: string | null;
}

export interface PodStatus {
  phase?: string;
  reason?: string;
  message?: string;
  conditions?: PodCondition[] | null;
  startTime?: string;
  hostIP?: string;
  podIP?: string;
  nominatedNodeName?: string;
  qosClass?: string;
  observedGeneration?: number;
  /** Before 1.33 the resize state was this field ('Proposed', 'InProgress', 'Deferred', 'Infeasible'). */
  resize?: string;
  initContainerStatuses?: ContainerStatus[] | null;
  containerStatuses?: ContainerStatus[] | null;
  ephemeralContainerStatuses?: ContainerStatus[] | null;
}

export interface Pod {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: PodSpec;
  status?: PodStatus;
}

export interface ObjectReference {
  kind?: string;
  namespace?: string;
  name?: string;
  uid?: string;
  apiVersion?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

/** core/v1 Event as the API sends it. */
export interface CoreEvent {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  involvedObject?: ObjectReference;
  reason?: string;
  message?: string;
  type?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  action?: string;
}

/** events.k8s.io/v1 Event as the API sends it. */
export interface EventsV1Event {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  regarding?: ObjectReference;
  note?: string;
  reason?: string;
  type?: string;
  eventTime?: string | null;
  series?: { count?: number; lastObservedTime?: string } | null;
  action?: string;
  reportingController?: string;
  reportingInstance?: string;
  deprecatedSource?: { component?: string; host?: string };
  deprecatedFirstTimestamp?: string | null;
  deprecatedLastTimestamp?: string | null;
  deprecatedCount?: number;
}

export interface ServerVersion {
  major?: string;
  minor?: string;
  gitVersion?: string;
}
