// Which container is what: regular init, native sidecar, app (possibly a legacy sidecar), ephemeral.
import type { Container, ContainerStatus, Pod } from './k8s.js';
import type { ContainerKind, LegacySidecarFacts } from './types.js';
import { looksLikeSidecar } from './legacy.js';
import type { ContainerTimes } from './containers.js';

export interface ClassifiedContainer {
  name: string;
  kind: ContainerKind;
  /** Position in its own spec list. */
  index: number;
  /** Position in lifecycle order (inits and sidecars as declared, then apps, then ephemerals). */
  order: number;
  spec: Container;
  status: ContainerStatus | null;
  legacySidecar: LegacySidecarFacts | null;
  /**
   * containerTimes' answer for this container and the logs it was given (containers.ts): the
   * timeline, the container list and the termination each asked for it again, ~4 times per
   * container and update of `watch`. Set on first use (declared undefined, so that setting it keeps the
   * object's shape); nothing else reads it.
   */
  times?: { logs: unknown; value: ContainerTimes };
}

/** sidecar ⇔ an init container whose restartPolicy is exactly "Always" (podutil.IsRestartableInitContainer). */
export function isSidecarSpec(c: Container | null | undefined): boolean {
  return !!c && c.restartPolicy === 'Always';
}

function list<T>(v: T[] | null | undefined): T[] {
  return Array.isArray(v) ? v.filter((x) => x !== null && typeof x === 'object') : [];
}

function statusByName(statuses: ContainerStatus[] | null | undefined): Map<string, ContainerStatus> {
  const m = new Map<string, ContainerStatus>();
  for (const s of list(statuses)) if (typeof s.name === 'string') m.set(s.name, s);
  return m;
}

/**
 * Every container of the pod in lifecycle order, with its status. Statuses are matched by name,
 * never by position: containerStatuses are sorted by name, not in spec order.
 */
export function classifyContainers(pod: Pod): ClassifiedContainer[] {
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  const initStatus = statusByName(status.initContainerStatuses);
  const appStatus = statusByName(status.containerStatuses);
  const ephStatus = statusByName(status.ephemeralContainerStatuses);
  const out: ClassifiedContainer[] = [];
  const nameOf = (c: Container, i: number, prefix: string) => (typeof c.name === 'string' && c.name ? c.name : `${prefix}[${i}]`);

  list(spec.initContainers).forEach((c, i) => {
    const name = nameOf(c, i, 'initContainers');
    out.push({ name, kind: isSidecarSpec(c) ? 'sidecar' : 'init', index: i, order: out.length, spec: c, status: initStatus.get(name) ?? null, legacySidecar: null, times: undefined });
  });

  const apps = list(spec.containers);
  const looks = apps.map((c) => looksLikeSidecar(c, pod));
  // A well-known sidecar image is a legacy sidecar only beside a real app: a pod that runs only
  // envoy (a gateway) runs it as its app.
  const hasRealApp = looks.some((l) => l === null);
  apps.forEach((c, i) => {
    const name = nameOf(c, i, 'containers');
    const look = hasRealApp ? looks[i] : null;
    out.push({ name, kind: 'app', index: i, order: out.length, spec: c, status: appStatus.get(name) ?? null, legacySidecar: look, times: undefined });
  });

  list(spec.ephemeralContainers).forEach((c, i) => {
    const name = nameOf(c, i, 'ephemeralContainers');
    out.push({ name, kind: 'ephemeral', index: i, order: out.length, spec: c, status: ephStatus.get(name) ?? null, legacySidecar: null, times: undefined });
  });
  return out;
}

