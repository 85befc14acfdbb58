// Effective pod requests and limits, by the rule of docs/lifecycle.md (Resources) (component-helpers
// resource/helpers.go, KEP-753 "Exposing Pod Resource requirements"): sidecars count in the steady
// state AND alongside every later init container; plus overhead; pod-level resources replace the
// aggregate. Naive sums are kept beside it because they are what many tools show.
import type { Container, ContainerStatus, Pod, Quantities } from './k8s.js';
import type { InputNote, ResourcesModel } from './types.js';
import { addQuantity, formatQuantity, maxQuantity, parseQuantity, type Quantity } from './quantity.js';
import { isSidecarSpec } from './classify.js';

export type QuantityMap = Map<string, Quantity>;

/** Resource names pod-level `spec.resources` may set (PodLevelResources): cpu, memory, hugepages-*. */
function podLevelSupported(name: string): boolean {
  return name === 'cpu' || name === 'memory' || name.startsWith('hugepages-');
}

function list<T>(v: T[] | null | undefined): T[] {
  return Array.isArray(v) ? v.filter((x) => x !== null && typeof x === 'object') : [];
}

/** Parse a ResourceList; malformed entries are skipped with a note naming where they were. */
export function parseResourceList(raw: Quantities | null | undefined, where: string, notes: InputNote[]): QuantityMap {
  const out: QuantityMap = new Map();
  if (!raw || typeof raw !== 'object') return out;
  for (const [name, v] of Object.entries(raw)) {
    const q = parseQuantity(v);
    if (q) out.set(name, q);
    else notes.push({ field: where, problem: 'malformedQuantity', name, value: JSON.stringify(v) });
  }
  return out;
}

/** Each of `from` into `into`: set when absent, else combined with what is there. */
function combineInto(into: QuantityMap, from: QuantityMap, combine: (a: Quantity, b: Quantity) => Quantity): void {
  for (const [k, q] of from) {
    const cur = into.get(k);
    into.set(k, cur ? combine(cur, q) : q);
  }
}
const mergeMax = (into: QuantityMap, from: QuantityMap) => combineInto(into, from, maxQuantity);
const addInto = (into: QuantityMap, from: QuantityMap) => combineInto(into, from, addQuantity);

function sum(a: QuantityMap, b: QuantityMap): QuantityMap {
  const out: QuantityMap = new Map(a);
  addInto(out, b);
  return out;
}

export function formatMap(m: QuantityMap): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of [...m.keys()].sort()) out[k] = formatQuantity(m.get(k)!);
  return out;
}

export interface ContainerResources {
  name: string;
  kind: 'init' | 'sidecar' | 'app';
  requests: QuantityMap;
  limits: QuantityMap;
}

/**
 * Per container, what the scheduler counts (component-helpers `determineContainerReqs`): the max of
 * the spec and the resize status (allocatedResources, status.resources); when the pod's resize is
 * Infeasible, only the status, since that spec will never be applied (docs/lifecycle.md, resize).
 */
export function containerResources(pod: Pod, notes: InputNote[] = []): ContainerResources[] {
  const spec = pod.spec ?? {};
  const st = pod.status ?? {};
  const infeasible = list(st.conditions).some((c) => c.type === 'PodResizePending' && c.status === 'True' && c.reason === 'Infeasible') || st.resize === 'Infeasible';
  const byName = (xs: ContainerStatus[] | null | undefined) => new Map(list(xs).map((s) => [s.name, s] as const));
  const initStatus = byName(st.initContainerStatuses);
  const appStatus = byName(st.containerStatuses);
  const one = (c: Container, i: number, list: string, kind: ContainerResources['kind'], s: ContainerStatus | undefined): ContainerResources => {
    const name = typeof c.name === 'string' && c.name ? c.name : `${list}[${i}]`;
    const where = `${list}[${i}] ${name}`;
    const fromStatus = infeasible && !!s && (s.allocatedResources || s.resources);
    const requests = fromStatus ? new Map() as QuantityMap : parseResourceList(c.resources?.requests, `${where} requests`, notes);
    const limits = fromStatus ? new Map() as QuantityMap : parseResourceList(c.resources?.limits, `${where} limits`, notes);
    if (s) {
      mergeMax(requests, parseResourceList(s.allocatedResources, `${where} status.allocatedResources`, notes));
      mergeMax(requests, parseResourceList(s.resources?.requests, `${where} status.resources.requests`, notes));
      mergeMax(limits, parseResourceList(s.resources?.limits, `${where} status.resources.limits`, notes));
    }
    return { name, kind, requests, limits };
  };
  return [
    ...list(spec.initContainers).map((c, i) => one(c, i, 'initContainers', isSidecarSpec(c) ? 'sidecar' : 'init', initStatus.get(c.name))),
    ...list(spec.containers).map((c, i) => one(c, i, 'containers', 'app', appStatus.get(c.name))),
  ];
}

/**
 * The KEP aggregate over containers (no overhead, no pod-level override):
 * max(Σapps + Σsidecars, max over init_i of (init_i + sidecars declared before it)).
 */
export function aggregate(cs: ContainerResources[], pick: (c: ContainerResources) => QuantityMap): QuantityMap {
  const steady: QuantityMap = new Map();
  for (const c of cs) if (c.kind === 'app') addInto(steady, pick(c));
  const sidecars: QuantityMap = new Map();
  const initMax: QuantityMap = new Map();
  for (const c of cs) {
    if (c.kind === 'sidecar') {
      addInto(steady, pick(c));
      addInto(sidecars, pick(c));
      mergeMax(initMax, sidecars);
    } else if (c.kind === 'init') {
      mergeMax(initMax, sum(pick(c), sidecars));
    }
  }
  mergeMax(steady, initMax);
  return steady;
}

export function naiveSum(cs: ContainerResources[], pick: (c: ContainerResources) => QuantityMap): QuantityMap {
  const out: QuantityMap = new Map();
  for (const c of cs) addInto(out, pick(c));
  return out;
}

/** Effective pod requests and limits as raw quantities (for comparisons in blockers/advice). */
export function effectivePodResources(pod: Pod, notes: InputNote[] = [], opts: { withoutSidecars?: boolean } = {}) {
  let cs = containerResources(pod, notes);
  if (opts.withoutSidecars) cs = cs.filter((c) => c.kind !== 'sidecar');
  const requests = aggregate(cs, (c) => c.requests);
  const limits = aggregate(cs, (c) => c.limits);
  const spec = pod.spec ?? {};
  const podReq = parseResourceList(spec.resources?.requests, 'spec.resources.requests', notes);
  const podLim = parseResourceList(spec.resources?.limits, 'spec.resources.limits', notes);
  let basis: ResourcesModel['basis'] = 'containers';
  for (const [k, q] of podReq) if (podLevelSupported(k)) { requests.set(k, q); basis = 'pod-level'; }
  for (const [k, q] of podLim) if (podLevelSupported(k)) { limits.set(k, q); basis = 'pod-level'; }
  const overhead = parseResourceList(spec.overhead, 'spec.overhead', notes);
  addInto(requests, overhead);
  // Overhead raises only limits that exist: a missing limit means unbounded.
  for (const [k, q] of overhead) {
    const cur = limits.get(k);
    if (cur && cur.nano !== 0n) limits.set(k, addQuantity(cur, q));
  }
  return { containers: cs, requests, limits, overhead, basis };
}

export function computeResources(pod: Pod): ResourcesModel {
  const notes: InputNote[] = [];
  const eff = effectivePodResources(pod, notes);
  const res: ResourcesModel = {
    requests: formatMap(eff.requests),
    limits: formatMap(eff.limits),
    naiveSumRequests: formatMap(naiveSum(eff.containers, (c) => c.requests)),
    naiveSumLimits: formatMap(naiveSum(eff.containers, (c) => c.limits)),
    basis: eff.basis,
    overhead: formatMap(eff.overhead),
  };
  // The same malformed list is read for requests and again for limits: noted once.
  if (notes.length) res.notes = [...new Map(notes.map((n) => [JSON.stringify(n), n])).values()];
  return res;
}
