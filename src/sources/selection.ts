// What the user selected: positional names (NAME, TYPE/NAME), -l/--field-selector, -n/-A → a list
// scope (where to list pods, with which selectors) and, for TYPE/NAME arguments, a pod predicate
// (which pods belong). One module for every reader of a selection: describe (targets.ts reads the
// pods now), watch (watchTargets below: keeps matching as new pods appear) and -f files
// (selectsOffline: no API to follow owners through). It knows the API, not what a sidecar is.
import type { Pod } from '../model/k8s.js';
import { ApiError, UserError } from './errors.js';
import type { Gathered } from './evidence.js';
import { type KubeApi, type Workload, type WorkloadKind, selectorString } from './api.js';
import type { PodFilter, WatchScope } from './watch.js';
import { pathSegmentProblem } from './names.js';
import { fieldMatcher, labelMatcher } from './selectors.js';

/** A bad target argument, or a named object that does not exist. */
export class TargetError extends UserError {
  override name = 'TargetError';
}

export type TargetKind = 'pod' | 'job' | 'cronjob' | 'deployment' | 'replicaset' | 'statefulset' | 'daemonset';
export type WorkloadTargetKind = Exclude<TargetKind, 'pod'>;

// a Map, not an object: "constructor/x" or "__proto__/x" must be an unknown type, not Object's own
const ALIASES = new Map<string, TargetKind>();
for (const [kind, names] of Object.entries({
  pod: ['pod', 'pods', 'po'],
  job: ['job', 'jobs', 'job.batch', 'jobs.batch'],
  cronjob: ['cronjob', 'cronjobs', 'cj', 'cronjob.batch', 'cronjobs.batch'],
  deployment: ['deployment', 'deployments', 'deploy', 'deployment.apps', 'deployments.apps'],
  replicaset: ['replicaset', 'replicasets', 'rs', 'replicaset.apps', 'replicasets.apps'],
  statefulset: ['statefulset', 'statefulsets', 'sts', 'statefulset.apps', 'statefulsets.apps'],
  daemonset: ['daemonset', 'daemonsets', 'ds', 'daemonset.apps', 'daemonsets.apps'],
})) for (const n of names) ALIASES.set(n, kind as TargetKind);

/** The kind a TYPE word names (kubectl's names, plural and short forms, any case), if any. */
export const kindOfType = (type: string): TargetKind | undefined => ALIASES.get(type.toLowerCase());

export const SUPPORTED_KINDS: TargetKind[] = ['pod', 'job', 'cronjob', 'deployment', 'replicaset', 'statefulset', 'daemonset'];

export interface Target {
  kind: TargetKind;
  name: string;
}

/**
 * The arguments in kubectl's forms, each made NAME or TYPE/NAME: `TYPE NAME1 NAME2` (kubectl get's
 * spaced form: a first word that names a type is one) becomes TYPE/NAME1 TYPE/NAME2. A type alone
 * is kubectl's list of that type: `pods` is every pod of the scope (no target); a workload type
 * alone is refused (its pods are chosen by naming it). TYPE/NAME after a TYPE word is refused, as
 * kubectl refuses it. A pod named like a type is `pod/NAME`, as in kubectl.
 */
export function targetArgs(args: string[]): string[] {
  if (args.length === 0 || args[0].includes('/') || !ALIASES.has(args[0].toLowerCase())) return args;
  const [type, ...names] = args;
  if (names.length === 0) {
    if (ALIASES.get(type.toLowerCase()) === 'pod') return [];
    throw new TargetError(`"${type}" is a resource type: name one (${type} NAME or ${type}/NAME)`);
  }
  if (names.some((n) => n.includes('/'))) {
    throw new TargetError(`there is no need to name a type as a separate argument when passing TYPE/NAME ("${type} ${names.join(' ')}"): use ${type}/NAME, or TYPE/NAME alone`);
  }
  return names.map((n) => `${type}/${n}`);
}

/** "name", "pod/name", "deploy/web"… (the type is case-insensitive, as in kubectl). */
export function parseTarget(arg: string): Target {
  const slash = arg.indexOf('/');
  if (slash < 0) {
    if (!arg) throw new TargetError('empty pod name');
    return { kind: 'pod', name: checkedName(arg) };
  }
  const type = arg.slice(0, slash).toLowerCase();
  const name = arg.slice(slash + 1);
  const kind = ALIASES.get(type);
  if (!kind) throw new TargetError(`unknown resource type "${arg.slice(0, slash)}" in "${arg}" (supported: ${SUPPORTED_KINDS.join(', ')})`);
  if (!name || name.includes('/')) throw new TargetError(`invalid argument "${arg}": expected TYPE/NAME`);
  return { kind, name: checkedName(name) };
}

/** A name goes into the request's path: refused as client-go's request.go refuses it (names.ts). */
function checkedName(name: string): string {
  const problem = pathSegmentProblem(name);
  if (problem) throw new TargetError(`invalid resource name ${JSON.stringify(name)}: ${problem}`);
  return name;
}

/** The `kind` of each workload's object (list items carry none of their own). */
export const OBJECT_KIND: Record<WorkloadTargetKind, string> = {
  job: 'Job', cronjob: 'CronJob', deployment: 'Deployment', replicaset: 'ReplicaSet', statefulset: 'StatefulSet', daemonset: 'DaemonSet',
};

/** The API resource of each workload kind. */
export const RESOURCE: Record<WorkloadTargetKind, WorkloadKind> = {
  job: 'jobs', cronjob: 'cronjobs', deployment: 'deployments', replicaset: 'replicasets', statefulset: 'statefulsets', daemonset: 'daemonsets',
};

/** The kind of a workload's pods' own owner: a Deployment's pods are its ReplicaSets', a CronJob's its Jobs'. */
const POD_OWNER_KIND: Record<WorkloadTargetKind, string> = {
  job: 'Job', cronjob: 'Job', deployment: 'ReplicaSet', replicaset: 'ReplicaSet', statefulset: 'StatefulSet', daemonset: 'DaemonSet',
};

/** The selection flags and arguments, as describe and watch receive them. */
export interface Selection {
  names: string[];
  namespace: string;
  allNamespaces: boolean;
  selector?: string;
  fieldSelector?: string;
  chunkSize: number;
}

/** Where to list pods: a namespace (undefined = all, -A) and the selectors sent with the list. */
export interface ListScope {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  chunkSize: number;
}

/**
 * The arguments, checked against the flags as kubectl checks them. No arguments: every pod of the
 * scope (the namespace or -A, with -l and --field-selector). TYPE/NAME arguments: the namespace,
 * with --field-selector; each target narrows it further (targets.ts, watchTargets).
 */
export function selectionScope(o: Selection): { targets: Target[]; scope: ListScope } {
  const targets = o.names.map(parseTarget);
  if (targets.length === 0) {
    return { targets, scope: { namespace: o.allNamespaces ? undefined : o.namespace, labelSelector: o.selector, fieldSelector: o.fieldSelector, chunkSize: o.chunkSize } };
  }
  if (o.allNamespaces) throw new TargetError('a resource cannot be retrieved by name across all namespaces: drop -A or use -n');
  if (o.selector) throw new TargetError('name cannot be provided when a selector is specified: drop -l or the names');
  return { targets, scope: { namespace: o.namespace, fieldSelector: o.fieldSelector, chunkSize: o.chunkSize } };
}

/**
 * A 404 of a named object is the user's: "KIND "NAME" not found in namespace "NS"", and where it
 * is when one list across namespaces by `metadata.name` finds it there (kubectl says nothing).
 */
export const notFound = (api: KubeApi, t: Target, ns: string) => async (e: unknown): Promise<never> => {
  if (e instanceof ApiError && e.code === 404) throw new TargetError(`${t.kind} "${t.name}" not found in namespace "${ns}"${await foundElsewhere(api, t, ns)}`);
  throw e;
};

/** Most namespaces named in the hint. */
const ELSEWHERE_SHOWN = 5;

/**
 * "; found in namespaces a, b: use -n": one list of the kind across namespaces, by field selector
 * (a name is unique in its namespace, so the list is as long as the namespaces holding it). Any
 * failure (403 where the user may not list across namespaces, a timeout) says nothing more.
 */
async function foundElsewhere(api: KubeApi, t: Target, ns: string): Promise<string> {
  try {
    const opts = { fieldSelector: `metadata.name=${t.name}`, chunkSize: 100 };
    const list = t.kind === 'pod' ? await api.listPods(opts) : await api.listWorkloads(RESOURCE[t.kind], opts);
    const where = [...new Set(list.items.map((o) => o.metadata?.namespace).filter((n): n is string => !!n && n !== ns))].sort();
    if (where.length === 0) return '';
    if (where.length === 1) return `; found in namespace "${where[0]}": use -n ${where[0]}`;
    const more = where.length > ELSEWHERE_SHOWN ? ` and ${where.length - ELSEWHERE_SHOWN} more` : '';
    return `; found in namespaces ${where.slice(0, ELSEWHERE_SHOWN).join(', ')}${more}: use -n`;
  } catch {
    return '';
  }
}

/** GET the named workload (it must exist). */
export function readWorkload(api: KubeApi, t: Target & { kind: WorkloadTargetKind }, ns: string): Promise<Workload> {
  return api.getWorkload(RESOURCE[t.kind], ns, t.name).catch(notFound(api, t, ns));
}

export type OwnerRef = { kind?: string; name?: string; uid?: string };
export const owners = (o: { metadata?: { ownerReferences?: OwnerRef[] | null } }): OwnerRef[] => o.metadata?.ownerReferences ?? [];
export const ownedBy = (o: { metadata?: { ownerReferences?: OwnerRef[] | null } }, uids: Set<string>): boolean => owners(o).some((r) => r.uid !== undefined && uids.has(r.uid));

/**
 * The label selector of a workload's pods; null selects nothing. Jobs made with manualSelector may
 * have none: the job-name label then.
 */
export function podSelector(t: Target, w: Workload): string | null {
  return selectorString(w.spec?.selector) ?? (t.kind === 'job' ? `batch.kubernetes.io/job-name=${t.name}` : null);
}

/** A pod's owner (a ReplicaSet or Job), by reference: describe from what it listed, watch by GET (cached). */
export type OwnerLookup = (kind: 'replicasets' | 'jobs', ref: OwnerRef) => Workload | null | undefined | Promise<Workload | null | undefined>;

/**
 * The pod predicate: does `pod` belong to target `t` (its object `w`, read; a CronJob's is not
 * needed)? Owner uids, not labels: selectors can overlap, ownerReferences cannot. A Deployment's
 * pods are those of ReplicaSets it owns, a CronJob's those of Jobs it owns.
 */
export async function belongs(t: Target, w: Workload | undefined, pod: Pod, lookup: OwnerLookup): Promise<boolean> {
  if (t.kind === 'pod') return pod.metadata?.name === t.name;
  if (t.kind !== 'deployment' && t.kind !== 'cronjob') return ownedBy(pod, new Set([w?.metadata?.uid ?? '']));
  const kind = POD_OWNER_KIND[t.kind];
  for (const ref of owners(pod)) {
    if (ref.kind !== kind) continue;
    const owner = await lookup(t.kind === 'deployment' ? 'replicasets' : 'jobs', ref);
    if (owner && owners(owner).some((r) => (t.kind === 'cronjob' ? r.kind === 'CronJob' && r.name === t.name : r.uid !== undefined && r.uid === w?.metadata?.uid))) return true;
  }
  return false;
}

/** Keeps the pods that belong to `t` (in their order). */
export async function belonging(t: Target, w: Workload | undefined, pods: Pod[], lookup: OwnerLookup): Promise<Pod[]> {
  const keep = await Promise.all(pods.map((p) => belongs(t, w, p, lookup)));
  return pods.filter((_, i) => keep[i]);
}

/** Owners from a list already read, by uid: no request per pod. */
export function listedOwners(items: Workload[]): OwnerLookup {
  const byUid = new Map(items.map((w) => [w.metadata?.uid ?? '', w]));
  return (_kind, ref) => (ref.uid !== undefined ? byUid.get(ref.uid) : undefined);
}

// ---------------------------------------------------------------- watch: scope + a lasting filter

/** Owner look-ups by name, cached by uid (a new ReplicaSet or Job is read once). */
class OwnerCache {
  private readonly cache = new Map<string, Promise<Workload | null>>();
  constructor(
    private readonly api: KubeApi,
    private readonly ns: string,
  ) {}
  readonly get: OwnerLookup = (kind, ref) => {
    const key = ref.uid ?? `${kind}/${this.ns}/${ref.name}`;
    let p = this.cache.get(key);
    if (!p) {
      p = this.api.getWorkload(kind, this.ns, ref.name ?? '').catch((e) => {
        if (e instanceof ApiError && e.code === 404) return null;
        throw e;
      });
      this.cache.set(key, p);
    }
    return p;
  };
}

/**
 * The arguments → what to watch and which pods to keep, as new pods appear (a Job's retry, a
 * rollout's new ReplicaSet, a CronJob's next Job). One target narrows the watch by its selector (or
 * the pod's name); several watch the namespace and filter. Named objects must exist.
 */
export async function watchTargets(api: KubeApi, o: Selection): Promise<{ scope: WatchScope; filter: PodFilter }> {
  const { targets, scope } = selectionScope(o);
  if (targets.length === 0) return { scope: { ...scope, eventFieldSelector: 'involvedObject.kind=Pod' }, filter: () => true };
  const ns = o.namespace;
  const cache = new OwnerCache(api, ns);
  const parts = await Promise.all(targets.map(async (t) => {
    if (t.kind === 'pod') {
      await api.getPod(ns, t.name).catch(notFound(api, t, ns));
      return { labelSelector: undefined, filter: (p: Pod) => belongs(t, undefined, p, cache.get) };
    }
    const w = await readWorkload(api, t as Target & { kind: WorkloadTargetKind }, ns);
    // a CronJob's Jobs come and go, with selectors of their own: its namespace, filtered
    return { labelSelector: t.kind === 'cronjob' ? undefined : podSelector(t, w) || undefined, filter: (p: Pod) => belongs(t, w, p, cache.get) };
  }));
  const filter: PodFilter = async (p) => {
    for (const part of parts) if (await part.filter(p)) return true;
    return false;
  };
  if (targets.length === 1 && targets[0].kind === 'pod') {
    const name = targets[0].name;
    return {
      scope: { ...scope, fieldSelector: [`metadata.name=${name}`, o.fieldSelector].filter(Boolean).join(','), eventFieldSelector: `involvedObject.kind=Pod,involvedObject.name=${name}` },
      filter,
    };
  }
  const label = parts.length === 1 ? parts[0].labelSelector : undefined;
  // Controllers name their pods after themselves (generateName "NAME-": Job, ReplicaSet, StatefulSet,
  // DaemonSet; a Deployment's through its ReplicaSet, a CronJob's through its Job): events of pods
  // named otherwise are someone else's unless the pod itself matched (an adopted pod).
  const eventPodName = (pod: string) => targets.some((t) => (t.kind === 'pod' ? pod === t.name : pod.startsWith(`${t.name}-`)));
  return { scope: { ...scope, labelSelector: label, eventFieldSelector: 'involvedObject.kind=Pod', eventPodName }, filter };
}

// ---------------------------------------------------------------- -f files: matched offline

/**
 * -f with TYPE/NAME arguments: with no API to follow owners through, match the pod's name or its
 * direct owner; a Deployment's or CronJob's pods by their generated owner names (x-<hash>).
 */
export function selectsOffline(arg: string, pod: Pod): boolean {
  const t = parseTarget(arg);
  if (t.kind === 'pod') return pod.metadata?.name === t.name;
  const kind = POD_OWNER_KIND[t.kind];
  const generated = t.kind === 'cronjob' || t.kind === 'deployment';
  return owners(pod).some((o) => o.kind === kind && (generated ? (o.name ?? '').startsWith(`${t.name}-`) : o.name === t.name));
}

/**
 * -f with -n, -A, -l, --field-selector: the pods of the files that the same flags would list from a
 * cluster (the arguments are checked as selectionScope checks them). No -n keeps every namespace
 * of the files: they have no context namespace to default to.
 */
export function offlineMatcher(o: Omit<Selection, 'namespace' | 'chunkSize'> & { namespace?: string }): (pod: Pod) => boolean {
  selectionScope({ ...o, namespace: o.namespace ?? '', chunkSize: 0 });
  const tests: ((pod: Pod) => boolean)[] = [];
  if (o.namespace !== undefined && !o.allNamespaces) tests.push((p) => (p.metadata?.namespace ?? '') === o.namespace);
  if (o.selector) tests.push(labelMatcher(o.selector));
  if (o.fieldSelector) tests.push(fieldMatcher(o.fieldSelector));
  return (pod) => tests.every((t) => t(pod));
}

/** -f with TYPE/NAME: the named workloads found in the files, with the pods they own. */
export function offlineWorkloads(names: string[], g: Gathered): Gathered['workloads'] {
  const out: NonNullable<Gathered['workloads']> = [];
  for (const n of names) {
    const t = parseTarget(n);
    if (t.kind === 'pod') continue;
    // a CronJob's runs: its Jobs (named <cronjob>-<schedule>), each with its own outcome
    const cron = t.kind === 'cronjob';
    const kind = OBJECT_KIND[cron ? 'job' : t.kind];
    const matches = (g.workloadObjects ?? []).filter((w) => w.kind === kind && (cron ? (w.metadata?.name ?? '').startsWith(`${t.name}-`) : w.metadata?.name === t.name));
    for (const w of matches) {
      const uid = w.metadata?.uid;
      const pods = g.pods.filter((p) => selectsOffline(n, p.pod) && (!uid || t.kind !== 'job' || owners(p.pod).some((o) => o.uid === uid)));
      out.push({ workload: w, podUids: pods.map((p) => p.pod.metadata?.uid ?? '').filter(Boolean) });
    }
  }
  return out.length ? out : undefined;
}
