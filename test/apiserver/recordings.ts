// Loads recorded scenarios once and answers "what does the cluster hold now": snapshot lists
// (served byte for byte when possible) or, in replay mode, the state rebuilt from the watch streams
// on a virtual clock.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadAll } from 'js-yaml';

export const RECORDINGS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'recordings');

/**
 * The JSON text (after the receive time and its tab) of every line of the given watch streams in
 * every recorded scenario, with where it is (scenario/file:line): the API server's own bytes.
 */
export function recordedWatchLines(files: readonly string[] = ['pods.watch.jsonl', 'events.watch.jsonl']): { where: string; line: string }[] {
  const out: { where: string; line: string }[] = [];
  for (const s of readdirSync(RECORDINGS_DIR)) {
    for (const f of files) {
      const p = join(RECORDINGS_DIR, s, f);
      if (!existsSync(p)) continue;
      readFileSync(p, 'utf8').split('\n').forEach((l, i) => {
        if (l.includes('\t')) out.push({ where: `${s}/${f}:${i + 1}`, line: l.slice(l.indexOf('\t') + 1) });
      });
    }
  }
  return out;
}

export interface ResourceDef {
  group: string; // '' for core
  version: string;
  resource: string;
  kind: string;
  /** snapshot file name (without .json) */
  file?: string;
  /** recorded watch stream that drives this resource in replay mode */
  stream?: 'pods' | 'events';
  /** selector field table key (selectors.ts FIELDS) */
  fields: string;
  shortNames?: string[];
  singular: string;
}

export const RESOURCES: ResourceDef[] = [
  { group: '', version: 'v1', resource: 'pods', kind: 'Pod', file: 'pods', stream: 'pods', fields: 'pods', shortNames: ['po'], singular: 'pod' },
  { group: '', version: 'v1', resource: 'events', kind: 'Event', file: 'events', stream: 'events', fields: 'events', shortNames: ['ev'], singular: 'event' },
  { group: 'events.k8s.io', version: 'v1', resource: 'events', kind: 'Event', file: 'events.k8s.io', stream: 'events', fields: 'events.k8s.io/events', shortNames: ['ev'], singular: 'event' },
  { group: 'batch', version: 'v1', resource: 'jobs', kind: 'Job', file: 'jobs', fields: 'jobs', singular: 'job' },
  { group: 'batch', version: 'v1', resource: 'cronjobs', kind: 'CronJob', fields: 'cronjobs', shortNames: ['cj'], singular: 'cronjob' },
  { group: 'apps', version: 'v1', resource: 'deployments', kind: 'Deployment', file: 'deployments', fields: 'deployments', shortNames: ['deploy'], singular: 'deployment' },
  { group: 'apps', version: 'v1', resource: 'replicasets', kind: 'ReplicaSet', file: 'replicasets', fields: 'replicasets', shortNames: ['rs'], singular: 'replicaset' },
  { group: 'apps', version: 'v1', resource: 'statefulsets', kind: 'StatefulSet', file: 'statefulsets', fields: 'statefulsets', shortNames: ['sts'], singular: 'statefulset' },
  { group: 'apps', version: 'v1', resource: 'daemonsets', kind: 'DaemonSet', file: 'daemonsets', fields: 'daemonsets', shortNames: ['ds'], singular: 'daemonset' },
];

export const groupVersion = (d: ResourceDef): string => (d.group ? `${d.group}/${d.version}` : d.version);

export function findResource(group: string, version: string, resource: string): ResourceDef | undefined {
  return RESOURCES.find((d) => d.group === group && d.version === version && d.resource === resource);
}

/** One object as a list item: `json` is its list form (no kind/apiVersion, as the API server writes items). */
export interface Item {
  key: string; // namespace/name: etcd's key order, which lists and continue tokens follow
  namespace: string;
  name: string;
  obj: any;
  json: string;
}

const KIND_PREFIX = /^\{"kind":"[^"]*","apiVersion":"[^"]*",/;

export function itemFromJson(json: string, obj: any): Item {
  const ns = obj?.metadata?.namespace ?? '';
  const name = obj?.metadata?.name ?? '';
  const m = KIND_PREFIX.exec(json);
  return { key: `${ns}/${name}`, namespace: ns, name, obj, json: m ? '{' + json.slice(m[0].length) : json };
}

/** An Item given instead of an object (server.ts `extra`): a key and its list JSON. */
export function isItem(o: unknown): o is Item {
  return !!o && typeof o === 'object' && typeof (o as Item).key === 'string' && typeof (o as Item).json === 'string';
}

export function itemFromObject(obj: any): Item {
  const { kind: _k, apiVersion: _a, ...rest } = obj ?? {};
  return itemFromJson(JSON.stringify(rest), obj);
}

/** The single-object form: kind and apiVersion first, as a GET returns it. */
export function objectJson(def: ResourceDef, item: Item): string {
  const head = `{"kind":"${def.kind}","apiVersion":"${groupVersion(def)}"`;
  return item.json === '{}' ? head + '}' : head + ',' + item.json.slice(1);
}

export interface SnapshotList {
  raw: Buffer;
  rv: string;
  items: Item[];
}

export interface Snapshot {
  name: string;
  takenAt?: number; // ms since epoch (fractional)
  lists: Map<string, SnapshotList>; // by file name
  logs: Map<string, Buffer>; // POD.CONTAINER[.previous].log
}

export interface TimelineLine {
  t: number; // receive time, ms since epoch (fractional)
  stream: 'pods' | 'events';
  type: string;
  rv: number;
  line: string; // the recorded watch event JSON, exactly
  objRaw: string; // the "object" part of it
  item: Item;
  /** events.k8s.io/v1 form of a core event, built on first use */
  v1Event?: { item: Item; objRaw: string };
}

export interface Scenario {
  name: string;
  namespace: string;
  version: Buffer;
  snapshots: Snapshot[]; // by taken-at (last-seen, which has none, last)
  chosen: Snapshot;
  cronjobs: Item[];
}

/** RFC3339 with up to ns precision → fractional ms since epoch. */
export function parseTime(iso: string): number {
  const m = /^(.*?)(?:\.(\d+))?Z$/.exec(iso.trim());
  if (!m) return NaN;
  return Date.parse(m[1] + 'Z') + (m[2] ? Number('0.' + m[2]) * 1000 : 0);
}

function loadSnapshot(dir: string, name: string): Snapshot {
  const sdir = join(dir, name);
  const lists = new Map<string, SnapshotList>();
  for (const f of readdirSync(sdir)) {
    if (!f.endsWith('.json')) continue;
    const raw = readFileSync(join(sdir, f));
    const parsed = JSON.parse(raw.toString('utf8'));
    lists.set(f.slice(0, -'.json'.length), {
      raw,
      rv: parsed.metadata?.resourceVersion ?? '0',
      items: (parsed.items ?? []).map(itemFromObject),
    });
  }
  const logs = new Map<string, Buffer>();
  const ldir = join(sdir, 'logs');
  if (existsSync(ldir)) for (const f of readdirSync(ldir)) logs.set(f, readFileSync(join(ldir, f)));
  const takenAtFile = join(sdir, 'taken-at');
  const takenAt = existsSync(takenAtFile) ? parseTime(readFileSync(takenAtFile, 'utf8')) : undefined;
  return { name, takenAt, lists, logs };
}

function loadTimeline(dir: string, stream: 'pods' | 'events'): TimelineLine[] {
  const file = join(dir, `${stream}.watch.jsonl`);
  if (!existsSync(file)) return [];
  const out: TimelineLine[] = [];
  for (const l of readFileSync(file, 'utf8').split('\n')) {
    const tab = l.indexOf('\t');
    if (tab < 0) continue;
    const line = l.slice(tab + 1);
    const ev = JSON.parse(line);
    const oi = line.indexOf('"object":');
    const objRaw = line.slice(oi + '"object":'.length, line.lastIndexOf('}'));
    out.push({
      t: parseTime(l.slice(0, tab)),
      stream,
      type: ev.type,
      rv: Number(ev.object?.metadata?.resourceVersion ?? 0),
      line,
      objRaw,
      item: itemFromJson(objRaw, ev.object),
    });
  }
  return out;
}

/**
 * CronJobs have no recorded list. We serve the manifest's CronJob (metadata and spec as applied, in the
 * scenario's namespace) with the uid its Jobs' ownerReferences carry, and no status: nothing is invented.
 */
function loadCronJobs(dir: string, namespace: string, snapshots: Snapshot[]): Item[] {
  const file = join(dir, 'manifest.yaml');
  if (!existsSync(file)) return [];
  const docs = loadAll(readFileSync(file, 'utf8')) as any[];
  return docs
    .filter((d) => d?.kind === 'CronJob')
    .map((d) => {
      let uid: string | undefined;
      for (const s of snapshots)
        for (const j of s.lists.get('jobs')?.items ?? [])
          for (const o of j.obj.metadata?.ownerReferences ?? []) if (o.kind === 'CronJob' && o.name === d.metadata.name) uid = o.uid;
      const metadata: Record<string, unknown> = { name: d.metadata.name, namespace };
      if (uid) metadata.uid = uid;
      if (d.metadata.labels) metadata.labels = d.metadata.labels;
      return itemFromObject({ metadata, spec: d.spec });
    });
}

export function loadScenario(name: string, snapshotName?: string): Scenario & { timeline: TimelineLine[] } {
  const dir = join(RECORDINGS_DIR, name);
  if (!existsSync(dir)) throw new Error(`no recording named ${name} in ${RECORDINGS_DIR}`);
  const namespace = `rec-${name}`;
  const snapDir = join(dir, 'snapshots');
  const names = readdirSync(snapDir).sort();
  const pick = snapshotName ?? names.find((n) => n !== 'last-seen');
  if (!pick || !names.includes(pick)) throw new Error(`recording ${name} has no snapshot ${pick} (has ${names.join(', ')})`);
  const snapshots = names
    .filter((n) => n !== 'last-seen' || n === pick)
    .map((n) => loadSnapshot(snapDir, n))
    .sort((a, b) => (a.takenAt ?? Infinity) - (b.takenAt ?? Infinity));
  return {
    name,
    namespace,
    version: readFileSync(join(dir, 'version.json')),
    snapshots,
    chosen: snapshots.find((s) => s.name === pick)!,
    cronjobs: loadCronJobs(dir, namespace, snapshots),
    timeline: [...loadTimeline(dir, 'pods'), ...loadTimeline(dir, 'events')],
  };
}

const omitEmpty = (o: Record<string, unknown>): Record<string, unknown> => {
  for (const k of Object.keys(o)) if (o[k] === undefined || o[k] === '' || o[k] === 0) delete o[k];
  return o;
};

/** core/v1 Event → events.k8s.io/v1 Event, field for field as the API server converts it (field order included). */
export function toEventsV1(e: any): any {
  const out: Record<string, unknown> = { metadata: e.metadata, eventTime: e.eventTime ?? null };
  if (e.series) out.series = { count: e.series.count, lastObservedTime: e.series.lastObservedTime };
  Object.assign(
    out,
    omitEmpty({ reportingController: e.reportingComponent, reportingInstance: e.reportingInstance, action: e.action, reason: e.reason }),
  );
  out.regarding = e.involvedObject;
  if (e.related) out.related = e.related;
  Object.assign(out, omitEmpty({ note: e.message, type: e.type }));
  out.deprecatedSource = e.source ?? {};
  out.deprecatedFirstTimestamp = e.firstTimestamp ?? null;
  out.deprecatedLastTimestamp = e.lastTimestamp ?? null;
  Object.assign(out, omitEmpty({ deprecatedCount: e.count }));
  return out;
}

export function v1EventOf(l: TimelineLine): { item: Item; objRaw: string } {
  if (!l.v1Event) {
    const obj = toEventsV1(l.item.obj);
    const json = JSON.stringify(obj);
    l.v1Event = { item: itemFromJson(json, obj), objRaw: `{"kind":"Event","apiVersion":"events.k8s.io/v1",` + json.slice(1) };
  }
  return l.v1Event;
}
