// Positional arguments → the pods to read, with few requests: one GET per named pod; for a
// workload one GET of it, one list of its intermediate owners when it has some, and ONE pod list
// by its selector, filtered by owner uid (selectors can overlap; ownerReferences cannot).
import type { Pod } from '../model/k8s.js';
import { ApiError } from './errors.js';
import { type KubeApi, type Workload, type WorkloadKind, selectorString } from './api.js';

/** A bad target argument, or a named object that does not exist. */
export class TargetError extends Error {
  override name = 'TargetError';
  oneLine(): string {
    return `error: ${this.message}`;
  }
}

export type TargetKind = 'pod' | 'job' | 'cronjob' | 'deployment' | 'replicaset' | 'statefulset' | 'daemonset';

const ALIASES: Record<string, TargetKind> = {};
for (const [kind, names] of Object.entries({
  pod: ['pod', 'pods', 'po'],
  job: ['job', 'jobs', 'job.batch', 'jobs.batch'],
  cronjob: ['cronjob', 'cronjobs', 'cj', 'cronjob.batch', 'cronjobs.batch'],
  deployment: ['deployment', 'deployments', 'deploy', 'deployment.apps', 'deployments.apps'],
  replicaset: ['replicaset', 'replicasets', 'rs', 'replicaset.apps', 'replicasets.apps'],
  statefulset: ['statefulset', 'statefulsets', 'sts', 'statefulset.apps', 'statefulsets.apps'],
  daemonset: ['daemonset', 'daemonsets', 'ds', 'daemonset.apps', 'daemonsets.apps'],
})) for (const n of names) ALIASES[n] = kind as TargetKind;

export const SUPPORTED_KINDS: TargetKind[] = ['pod', 'job', 'cronjob', 'deployment', 'replicaset', 'statefulset', 'daemonset'];

export interface Target {
  kind: TargetKind;
  name: string;
}

/** "name", "pod/name", "deploy/web"… (the type is case-insensitive, as in kubectl). */
export function parseTarget(arg: string): Target {
  const slash = arg.indexOf('/');
  if (slash < 0) {
    if (!arg) throw new TargetError('empty pod name');
    return { kind: 'pod', name: arg };
  }
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  const kind = ALIASES[type];
  if (!kind) throw new TargetError(`unknown resource type "${arg.slice(0, slash)}" in "${arg}" (supported: ${SUPPORTED_KINDS.join(', ')})`);
  if (!name || name.includes('/')) throw new TargetError(`invalid argument "${arg}": expected TYPE/NAME`);
  return { kind, name };
}

/** The `kind` of each workload's object (list items carry none of their own). */
export const OBJECT_KIND: Record<Exclude<TargetKind, 'pod'>, string> = {
  job: 'Job', cronjob: 'CronJob', deployment: 'Deployment', replicaset: 'ReplicaSet', statefulset: 'StatefulSet', daemonset: 'DaemonSet',
};

const RESOURCE: Record<Exclude<TargetKind, 'pod'>, WorkloadKind> = {
  job: 'jobs', cronjob: 'cronjobs', deployment: 'deployments', replicaset: 'replicasets', statefulset: 'statefulsets', daemonset: 'daemonsets',
};

export interface ResolveOptions {
  names: string[];
  namespace: string;
  allNamespaces: boolean;
  selector?: string;
  fieldSelector?: string;
  chunkSize: number;
}

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
  /** Namespaces the pods were looked for in (null = all). */
  scope: string | null;
}

function ownedBy(obj: { metadata?: { ownerReferences?: { uid?: string; kind?: string; name?: string }[] } }, uids: Set<string>): boolean {
  return (obj.metadata?.ownerReferences ?? []).some((o) => o.uid !== undefined && uids.has(o.uid));
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

function notFound(e: unknown, t: Target, ns: string): never {
  if (e instanceof ApiError && e.code === 404) throw new TargetError(`${t.kind} "${t.name}" not found in namespace "${ns}"`);
  throw e;
}

/** What the arguments select; no arguments = every pod of the namespace (or -A) matching -l/--field-selector. */
export async function resolveTargets(api: KubeApi, o: ResolveOptions): Promise<Resolved> {
  const targets = o.names.map(parseTarget);
  if (targets.length === 0) {
    const ns = o.allNamespaces ? undefined : o.namespace;
    const list = await api.listPods({ namespace: ns, labelSelector: o.selector, fieldSelector: o.fieldSelector, chunkSize: o.chunkSize });
    return { pods: list.items, workloads: [], notices: [], scope: ns ?? null };
  }
  if (o.allNamespaces) throw new TargetError('a resource cannot be retrieved by name across all namespaces: drop -A or use -n');
  if (o.selector) throw new TargetError('name cannot be provided when a selector is specified: drop -l or the names');

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

async function resolveOne(api: KubeApi, t: Target, ns: string, o: ResolveOptions): Promise<{ pods: Pod[]; workloads: ResolvedWorkload[] }> {
  const chunkSize = o.chunkSize;
  const podsOf = async (w: Workload, owners: Set<string>, fallback?: string) => {
    const sel = selectorString(w.spec?.selector) ?? fallback ?? null;
    if (sel === null) return [];
    const list = await api.listPods({ namespace: ns, labelSelector: sel || undefined, fieldSelector: o.fieldSelector, chunkSize });
    return list.items.filter((p) => ownedBy(p, owners));
  };
  switch (t.kind) {
    case 'pod':
      return { pods: [await api.getPod(ns, t.name).catch((e) => notFound(e, t, ns))], workloads: [] };
    case 'job': {
      const job = await api.getWorkload('jobs', ns, t.name).catch((e) => notFound(e, t, ns));
      // Jobs made with manualSelector may have none: fall back to the job-name label.
      const pods = await podsOf(job, new Set([job.metadata?.uid ?? '']), `batch.kubernetes.io/job-name=${t.name}`);
      return { pods, workloads: [{ workload: withKind(job, OBJECT_KIND.job), podUids: uidsOf(pods) }] };
    }
    case 'cronjob': {
      // One list of the namespace's Jobs, kept when a CronJob named x owns them (no per-job request).
      const jobs = (await api.listWorkloads('jobs', { namespace: ns, chunkSize })).items.filter((j) =>
        (j.metadata?.ownerReferences ?? []).some((r) => r.kind === 'CronJob' && r.name === t.name),
      );
      if (jobs.length === 0) {
        await api.getWorkload('cronjobs', ns, t.name).catch((e) => notFound(e, t, ns)); // exists, just no jobs yet?
        return { pods: [], workloads: [] };
      }
      const uids = new Set(jobs.map((j) => j.metadata?.uid ?? ''));
      const list = await api.listPods({ namespace: ns, labelSelector: jobsSelector(jobs), fieldSelector: o.fieldSelector, chunkSize });
      const pods = list.items.filter((p) => ownedBy(p, uids));
      // Each run's own outcome: the CronJob's Jobs, with their pods.
      return { pods, workloads: jobs.map((j) => ({ workload: withKind(j, OBJECT_KIND.job), podUids: uidsOf(pods.filter((p) => ownedBy(p, new Set([j.metadata?.uid ?? ''])))) })) };
    }
    case 'deployment': {
      const dep = await api.getWorkload('deployments', ns, t.name).catch((e) => notFound(e, t, ns));
      const sel = selectorString(dep.spec?.selector);
      if (sel === null) return { pods: [], workloads: [{ workload: withKind(dep, OBJECT_KIND.deployment), podUids: [] }] };
      // ReplicaSets and pods by the deployment's selector: two lists, then owner uids.
      const [rsList, podList] = await Promise.all([
        api.listWorkloads('replicasets', { namespace: ns, labelSelector: sel || undefined, chunkSize }),
        api.listPods({ namespace: ns, labelSelector: sel || undefined, fieldSelector: o.fieldSelector, chunkSize }),
      ]);
      const rsUids = new Set(rsList.items.filter((rs) => ownedBy(rs, new Set([dep.metadata?.uid ?? '']))).map((rs) => rs.metadata?.uid ?? ''));
      const pods = podList.items.filter((p) => ownedBy(p, rsUids));
      return { pods, workloads: [{ workload: withKind(dep, OBJECT_KIND.deployment), podUids: uidsOf(pods) }] };
    }
    default: {
      const w = await api.getWorkload(RESOURCE[t.kind], ns, t.name).catch((e) => notFound(e, t, ns));
      const pods = await podsOf(w, new Set([w.metadata?.uid ?? '']));
      return { pods, workloads: [{ workload: withKind(w, OBJECT_KIND[t.kind]), podUids: uidsOf(pods) }] };
    }
  }
}
