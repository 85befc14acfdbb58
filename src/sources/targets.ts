// describe's reading of a selection (selection.ts): the pods it selects now, with few requests: one
// GET per named pod; for a workload one GET of it, one list of its intermediate owners when it has
// some, and ONE pod list by its selector, kept by the pod predicate (owner uids).
import type { Pod } from '../model/k8s.js';
import { type KubeApi, type Workload } from './api.js';
import { belonging, listedOwners, notFound, OBJECT_KIND, ownedBy, podSelector, readWorkload, type Selection, type Target, type WorkloadTargetKind } from './selection.js';

/** A named workload and the uids of the pods it owns (for its outcome: model/workloads.ts). */
export interface ResolvedWorkload {
  workload: Workload;
  podUids: string[];
}

export interface Resolved {
  pods: Pod[];
  /** The workloads the TYPE/NAME arguments named (a CronJob: its Jobs), as read. */
  workloads: ResolvedWorkload[];
  notices: string[];
  /** The namespace the pods were looked for in. */
  scope: string;
}

/**
 * One selector for the pods of several Jobs: their selectors are each one label (controller-uid,
 * under its 1.27+ or legacy key), so "KEY in (uid1,uid2)". Anything else: the whole namespace.
 */
function jobsSelector(jobs: Workload[]): string | undefined {
  const keys = new Set<string>();
  const values: string[] = [];
  for (const j of jobs) {
    const sel = j.spec?.selector;
    const labels = Object.entries(sel?.matchLabels ?? {});
    if (labels.length !== 1 || (sel?.matchExpressions ?? []).length) return undefined;
    keys.add(labels[0][0]);
    values.push(labels[0][1]);
  }
  return keys.size === 1 ? `${[...keys][0]} in (${values.join(',')})` : undefined;
}

/** The pods TYPE/NAME arguments (parsed and checked by selection.ts selectionScope) select now. */
export async function resolveTargets(api: KubeApi, targets: Target[], o: Selection): Promise<Resolved> {
  const ns = o.namespace;
  const notices: string[] = [];
  const seen = new Set<string>();
  const pods: Pod[] = [];
  const add = (list: Pod[]) => {
    for (const p of list) {
      const key = p.metadata?.uid ?? `${p.metadata?.namespace}/${p.metadata?.name}`;
      if (!seen.has(key)) {
        seen.add(key);
        pods.push(p);
      }
    }
  };
  // Named pods are independent GETs: in parallel, reported in argument order.
  const results = await Promise.all(targets.map((t) => resolveOne(api, t, ns, o)));
  const workloads: ResolvedWorkload[] = [];
  targets.forEach((t, i) => {
    if (results[i].pods.length === 0 && t.kind !== 'pod') notices.push(`${t.kind}/${t.name} has no pods`);
    add(results[i].pods);
    workloads.push(...results[i].workloads);
  });
  return { pods, workloads, notices, scope: ns };
}

const uidsOf = (pods: Pod[]) => pods.map((p) => p.metadata?.uid ?? '').filter(Boolean);
/** Single GETs carry their kind; list items do not: set it from what was asked for. */
const withKind = (w: Workload, kind: string): Workload => (w.kind ? w : { ...w, kind });
const noOwners = () => undefined;

async function resolveOne(api: KubeApi, t: Target, ns: string, o: Selection): Promise<{ pods: Pod[]; workloads: ResolvedWorkload[] }> {
  const chunkSize = o.chunkSize;
  const listPods = async (labelSelector: string | undefined) => (await api.listPods({ namespace: ns, labelSelector, fieldSelector: o.fieldSelector, chunkSize })).items;
  if (t.kind === 'pod') return { pods: [await api.getPod(ns, t.name).catch(notFound(api, t, ns))], workloads: [] };
  if (t.kind === 'cronjob') {
    // One list of the namespace's Jobs, kept when a CronJob named x owns them (no per-job request).
    const jobs = (await api.listWorkloads('jobs', { namespace: ns, chunkSize })).items.filter((j) =>
      (j.metadata?.ownerReferences ?? []).some((r) => r.kind === 'CronJob' && r.name === t.name),
    );
    if (jobs.length === 0) {
      await readWorkload(api, t as Target & { kind: WorkloadTargetKind }, ns); // exists, just no jobs yet?
      return { pods: [], workloads: [] };
    }
    const pods = await belonging(t, undefined, await listPods(jobsSelector(jobs)), listedOwners(jobs));
    // Each run's own outcome: the CronJob's Jobs, with their pods.
    return { pods, workloads: jobs.map((j) => ({ workload: withKind(j, OBJECT_KIND.job), podUids: uidsOf(pods.filter((p) => ownedBy(p, new Set([j.metadata?.uid ?? ''])))) })) };
  }
  const w = await readWorkload(api, t as Target & { kind: WorkloadTargetKind }, ns);
  const workload = withKind(w, OBJECT_KIND[t.kind]);
  const sel = podSelector(t, w);
  if (sel === null) return { pods: [], workloads: [{ workload, podUids: [] }] };
  let pods: Pod[];
  if (t.kind === 'deployment') {
    // ReplicaSets and pods by the deployment's selector: two lists, then owner uids.
    const [rsList, podList] = await Promise.all([
      api.listWorkloads('replicasets', { namespace: ns, labelSelector: sel || undefined, chunkSize }),
      listPods(sel || undefined),
    ]);
    pods = await belonging(t, w, podList, listedOwners(rsList.items));
  } else {
    pods = await belonging(t, w, await listPods(sel || undefined), noOwners);
  }
  return { pods, workloads: [{ workload, podUids: uidsOf(pods) }] };
}
