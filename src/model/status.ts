// The kubectl STATUS / READY / RESTARTS columns, ported from the server-side table printer
// (kubernetes pkg/printers/internalversion/printers.go `printPod`, 1.29+ sidecar-aware; the same
// port Headlamp made in TypeScript). Kept statement for statement so that it agrees with
// `kubectl get pods` on every input, including its quirks (e.g. `Init:CrashLoopBackOff` for a
// crash-looping sidecar after initialization, because no app container overrides the reason).
import type { ContainerStatus, Pod } from './k8s.js';
import type { PodSummary } from './types.js';
import { isSidecarSpec } from './classify.js';
import { ms } from './time.js';
import { isObj, strOrNull } from './facts.js';

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
/** A time field, or null when it is missing or not a time (describePod notes the latter). */
// ms() is Date.parse for every string (time.ts), without parsing the same few times on every update.
const timeOrNull = (v: unknown): string | null => (typeof v === 'string' && ms(v) !== null ? v : null);
const objects = <T>(v: unknown): T[] => (Array.isArray(v) ? (v.filter(isObj) as T[]) : []);
const count = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

export interface PodColumns {
  status: string;
  ready: string;
  restarts: number;
  lastRestartAt: string | null;
}

function lastTerminatedFinish(c: ContainerStatus): string | null {
  const t = isObj(c.lastState) && isObj(c.lastState.terminated) ? c.lastState.terminated : null;
  return t && ms(t.finishedAt as string) !== null ? (t.finishedAt as string) : null;
}

function later(a: string | null, b: string | null): string | null {
  if (!b) return a;
  if (!a) return b;
  return (ms(b) ?? 0) > (ms(a) ?? 0) ? b : a;
}

function conditionTrue(pod: Pod, type: string): boolean {
  // the first condition object of that type, as objects(...).find, without the filtered copy
  const cs: unknown = pod.status?.conditions;
  if (!Array.isArray(cs)) return false;
  for (const x of cs) if (isObj(x) && x.type === type) return x.status === 'True';
  return false;
}

/** A status' state and its terminated and waiting members, each only when it is an object. */
function stateParts(c: ContainerStatus) {
  const state = isObj(c.state) ? c.state : {};
  return { state, terminated: isObj(state.terminated) ? state.terminated : null, waiting: isObj(state.waiting) ? state.waiting : null };
}

/** printPod's STATUS, READY and RESTARTS for one pod. */
export function podColumns(pod: Pod): PodColumns {
  const spec = isObj(pod.spec) ? pod.spec : {};
  const status = isObj(pod.status) ? pod.status : {};
  const meta = isObj(pod.metadata) ? pod.metadata : {};
  const specInits = objects<{ name?: string; restartPolicy?: string | null }>(spec.initContainers);
  const specApps = objects(spec.containers);

  let restarts = 0;
  let sidecarRestarts = 0;
  let totalContainers = specApps.length;
  let readyContainers = 0;
  let lastRestartDate: string | null = null;
  let lastSidecarRestartDate: string | null = null;

  const podPhase = str(status.phase);
  let reason = podPhase;
  if (str(status.reason) !== '') reason = str(status.reason);

  for (const c of objects<{ type?: string; reason?: string }>(status.conditions)) {
    if (c.type === 'PodScheduled' && c.reason === 'SchedulingGated') reason = 'SchedulingGated';
  }

  const initSpecs = new Map<string, { restartPolicy?: string | null }>();
  for (const c of specInits) {
    if (typeof c.name === 'string') initSpecs.set(c.name, c);
    if (isSidecarSpec(c)) totalContainers++;
  }

  let initializing = false;
  const initStatuses = objects<ContainerStatus>(status.initContainerStatuses);
  for (let i = 0; i < initStatuses.length; i++) {
    const container = initStatuses[i];
    const { terminated, waiting } = stateParts(container);
    const sidecar = isSidecarSpec(initSpecs.get(str(container.name)));
    restarts += count(container.restartCount);
    lastRestartDate = later(lastRestartDate, lastTerminatedFinish(container));
    if (sidecar) {
      sidecarRestarts += count(container.restartCount);
      lastSidecarRestartDate = later(lastSidecarRestartDate, lastTerminatedFinish(container));
    }
    if (terminated && count(terminated.exitCode) === 0) continue;
    if (sidecar && container.started === true) {
      if (container.ready === true) readyContainers++;
      continue;
    }
    if (terminated) {
      // initialization failed
      if (str(terminated.reason) === '') {
        reason = count(terminated.signal) !== 0 ? `Init:Signal:${count(terminated.signal)}` : `Init:ExitCode:${count(terminated.exitCode)}`;
      } else {
        reason = `Init:${str(terminated.reason)}`;
      }
    } else if (waiting && str(waiting.reason) !== '' && waiting.reason !== 'PodInitializing') {
      reason = `Init:${str(waiting.reason)}`;
    } else {
      reason = `Init:${i}/${specInits.length}`;
    }
    initializing = true;
    break;
  }

  if (!initializing || conditionTrue(pod, 'Initialized')) {
    restarts = sidecarRestarts;
    lastRestartDate = lastSidecarRestartDate;
    let hasRunning = false;
    const appStatuses = objects<ContainerStatus>(status.containerStatuses);
    for (let i = appStatuses.length - 1; i >= 0; i--) {
      const container = appStatuses[i];
      const { state, terminated, waiting } = stateParts(container);
      restarts += count(container.restartCount);
      lastRestartDate = later(lastRestartDate, lastTerminatedFinish(container));
      if (waiting && str(waiting.reason) !== '') {
        reason = str(waiting.reason);
      } else if (terminated && str(terminated.reason) !== '') {
        reason = str(terminated.reason);
      } else if (terminated) {
        reason = count(terminated.signal) !== 0 ? `Signal:${count(terminated.signal)}` : `ExitCode:${count(terminated.exitCode)}`;
      } else if (container.ready === true && isObj(state.running)) {
        hasRunning = true;
        readyContainers++;
      }
    }
    // back to "Running" when at least one container still reports running
    if (reason === 'Completed' && hasRunning) reason = conditionTrue(pod, 'Ready') ? 'Running' : 'NotReady';
  }

  const deleting = meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
  if (deleting && status.reason === 'NodeLost') reason = 'Unknown';
  else if (deleting && podPhase !== 'Succeeded' && podPhase !== 'Failed') reason = 'Terminating';

  return { status: reason, ready: `${readyContainers}/${totalContainers}`, restarts, lastRestartAt: restarts !== 0 ? lastRestartDate : null };
}

/** The contract's `pod` object. */
export function summarizePod(pod: Pod): PodSummary {
  const p: Pod = isObj(pod) ? pod : {};
  const meta = isObj(p.metadata) ? p.metadata : {};
  const spec = isObj(p.spec) ? p.spec : {};
  const status = isObj(p.status) ? p.status : {};
  const cols = podColumns(p);
  const owners = objects<{ kind?: string; name?: string; controller?: boolean }>(meta.ownerReferences);
  const owner = owners.find((o) => o.controller === true) ?? null;
  const grace = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  return {
    namespace: str(meta.namespace),
    name: str(meta.name),
    uid: str(meta.uid),
    node: strOrNull(spec.nodeName),
    phase: strOrNull(status.phase) ?? 'Unknown',
    status: cols.status || 'Unknown',
    ready: cols.ready,
    restartPolicy: strOrNull(spec.restartPolicy) ?? 'Always',
    createdAt: timeOrNull(meta.creationTimestamp),
    deletionTimestamp: timeOrNull(meta.deletionTimestamp),
    terminationGracePeriodSeconds: grace,
    restarts: cols.restarts,
    lastRestartAt: cols.lastRestartAt,
    startedAt: timeOrNull(status.startTime),
    qosClass: strOrNull(status.qosClass),
    owner: owner ? { kind: str(owner.kind), name: str(owner.name) } : null,
    conditions: objects<Record<string, unknown>>(status.conditions).map((c) => ({
      type: str(c.type),
      status: str(c.status),
      reason: strOrNull(c.reason),
      message: strOrNull(c.message),
      lastTransitionTime: timeOrNull(c.lastTransitionTime),
    })),
    reason: strOrNull(status.reason),
    message: strOrNull(status.message),
    finalizers: Array.isArray(meta.finalizers) ? meta.finalizers.filter((f): f is string => typeof f === 'string') : [],
    deletionGracePeriodSeconds: typeof meta.deletionGracePeriodSeconds === 'number' ? meta.deletionGracePeriodSeconds : null,
    ip: strOrNull(status.podIP),
    nominatedNode: strOrNull(status.nominatedNodeName),
    readinessGates: objects<{ conditionType?: string }>(spec.readinessGates).map((g) => ({
      conditionType: str(g.conditionType),
      status: strOrNull(objects<{ type?: string; status?: string }>(status.conditions).find((c) => c.type === g.conditionType)?.status),
    })),
  };
}
