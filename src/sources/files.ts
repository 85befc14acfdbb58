// -f: offline input, no cluster. A file or stdin ("-") holding JSON or (multi-document) YAML with
// Pods, PodLists, v1/Lists and EventLists of either event API; or a directory of such files,
// walked recursively; or a .tar, .tar.gz/.tgz or .gz of any of these, read in place (streamed,
// never extracted). Support bundles are recognised by the shape of their paths, not one version's
// exact layout:
//  - a recording snapshot (test/fixtures/recordings): pods.json, events.json, events.k8s.io.json,
//    logs/POD.CONTAINER[.previous].log, version.json two levels up;
//  - OpenShift must-gather / `oc adm inspect` (openshift/oc pkg/cli/admin/inspect/pod.go):
//    namespaces/NS/core/{pods,events}.yaml, namespaces/NS/pods/POD/POD.yaml, logs read with
//    timestamps at namespaces/NS/pods/POD/C/C/logs/{current,previous}.log;
//  - troubleshoot.sh support bundles (replicatedhq/troubleshoot pkg/collect/cluster_resources.go,
//    logs.go): cluster-resources/pods/NS.json, cluster-resources/events/NS.json, logs without
//    timestamps at cluster-resources/pods/logs/NS/POD/C.log and C-previous.log (symlinked from
//    COLLECTOR/POD/C.log), cluster-info/cluster_version.json;
//  - `kubectl cluster-info dump` (kubectl pkg/cmd/clusterinfo/clusterinfo_dump.go): with
//    --output-directory NS/pods.json, NS/events.json and NS/POD/logs.txt; on stdout the same JSON
//    documents one after another with the log sections between them (see logsample.ts).
// Logs are sampled, head and tail (logsample.ts), never read whole.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import { loadAll } from 'js-yaml';
import type { Pod, ServerVersion } from '../model/k8s.js';
import type { ContainerLogs, LogSample } from '../model/types.js';
import type { WorkloadObject } from '../model/workloads.js';
import { type AnyEvent, type Gathered, matchEvents } from './evidence.js';
import { DumpSplitter, LogWindow, sampleLogFile, type DumpSection } from './logsample.js';
import { looksLikeTar, readTar, TarError, type TarEntry, type TarSink } from './tar.js';
import { UserError } from './errors.js';

/** Unreadable or invalid -f input; the message names the file. */
export class InputError extends UserError {
  override name = 'InputError';
}

/** One log file or section, placed by the shape of its path (or its dump markers). */
interface LogRecord {
  /** The -f argument it came from. */
  root: string;
  /** The snapshot folder for our own layout (logs/ beside pods.json), else null. */
  dir: string | null;
  namespace: string | null;
  pod: string;
  /** "current:C" / "previous:C", or "file:STEM" when the stem decides (troubleshoot's C-previous). */
  key: string;
  sample: LogSample;
  /** The tool reads no previous instance (cluster-info dump). */
  currentOnly?: boolean;
}

interface Collected {
  pods: { pod: Pod; dir: string; root: string }[];
  events: AnyEvent[];
  sawEvents: boolean;
  /** pod name → its log records, from any layout. */
  logs: Map<string, LogRecord[]>;
  version: ServerVersion | null;
  /** Jobs, Deployments, … found beside the pods: their outcome for TYPE/NAME arguments. */
  workloads: WorkloadObject[];
}

/** List kinds whose items are workloads (list items carry no kind of their own). */
const WORKLOAD_LISTS: Record<string, string> = {
  JobList: 'Job', CronJobList: 'CronJob', DeploymentList: 'Deployment', ReplicaSetList: 'ReplicaSet', StatefulSetList: 'StatefulSet', DaemonSetList: 'DaemonSet',
};
const WORKLOAD_KINDS = new Set(Object.values(WORKLOAD_LISTS));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory' };
  return (err.code && why[err.code]) || err.message;
}

/** JSON documents written one after another (`kubectl cluster-info dump` on stdout), or null. */
function splitJsonDocuments(text: string): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let inString = false;
  let escaped = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (escaped) escaped = false;
      else if (ch === 92) escaped = true;
      else if (ch === 34) inString = false;
    } else if (ch === 34) {
      if (depth === 0) return null;
      inString = true;
    } else if (ch === 123 || ch === 91) {
      if (depth++ === 0) start = i;
    } else if (ch === 125 || ch === 93) {
      if (--depth === 0) out.push(text.slice(start, i + 1));
      else if (depth < 0) return null;
    } else if (depth === 0 && ch !== 32 && ch !== 10 && ch !== 13 && ch !== 9) {
      return null;
    }
  }
  return depth === 0 && out.length > 1 ? out : null;
}

export function parseDocuments(text: string, name: string): unknown[] {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return [JSON.parse(t)]; // one JSON.parse: fast for large lists
    } catch {
      const docs = splitJsonDocuments(t);
      if (docs) {
        try {
          return docs.map((d) => JSON.parse(d) as unknown);
        } catch {
          // not JSON after all
        }
      }
      // may still be flow-style YAML; YAML gives the better message
    }
  }
  try {
    return loadAll(text).filter((d) => d != null);
  } catch (e) {
    const reason = (e as { reason?: string }).reason ?? (e as Error).message.split('\n')[0];
    const mark = (e as { mark?: { line?: number } }).mark;
    throw new InputError(`cannot parse ${name}: ${reason}${mark && typeof mark.line === 'number' ? ` (line ${mark.line + 1})` : ''}`);
  }
}

function isEvent(o: Obj, listApiVersion?: string): boolean {
  if (o.kind === 'Event') return true;
  if (o.kind !== undefined) return false;
  return 'involvedObject' in o || 'regarding' in o || (listApiVersion === 'events.k8s.io/v1' && 'note' in o);
}

function isPod(o: Obj, listKind?: string): boolean {
  if (o.kind === 'Pod') return true;
  return o.kind === undefined && (listKind === 'PodList' || (isObj(o.spec) && Array.isArray((o.spec as Obj).containers)));
}

interface Where {
  dir: string;
  root: string;
}

/** Sort one decoded document into pods, events and version. Returns whether it held anything usable. */
function addDocument(doc: unknown, at: Where, c: Collected): boolean {
  if (Array.isArray(doc)) return doc.map((d) => addDocument(d, at, c)).some(Boolean);
  if (!isObj(doc)) return false;
  if (Array.isArray(doc.items)) {
    const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
    const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : undefined;
    if (kind === 'EventList') c.sawEvents = true;
    let used = kind === 'EventList' || kind === 'PodList';
    for (const item of doc.items) {
      if (!isObj(item)) continue;
      const wk = kind && Object.hasOwn(WORKLOAD_LISTS, kind) ? WORKLOAD_LISTS[kind] : typeof item.kind === 'string' && WORKLOAD_KINDS.has(item.kind) ? item.kind : null;
      if (wk) {
        c.workloads.push({ ...(item as WorkloadObject), kind: wk });
        continue;
      }
      if (isPod(item, kind)) {
        c.pods.push({ pod: item as Pod, ...at });
        used = true;
      } else if (isEvent(item, apiVersion)) {
        c.events.push(item as AnyEvent);
        c.sawEvents = true;
        used = true;
      } else if (Array.isArray(item.items)) {
        used = addDocument(item, at, c) || used;
      }
    }
    return used;
  }
  if (isPod(doc)) {
    c.pods.push({ pod: doc as Pod, ...at });
    return true;
  }
  if (typeof doc.kind === 'string' && WORKLOAD_KINDS.has(doc.kind)) {
    c.workloads.push(doc as WorkloadObject);
    return false; // beside pods only: a file of workloads alone is no input
  }
  if (isEvent(doc)) {
    c.events.push(doc as AnyEvent);
    c.sawEvents = true;
    return true;
  }
  if (typeof doc.gitVersion === 'string' && doc.kind === undefined) {
    c.version ??= doc as ServerVersion;
    return true;
  }
  // troubleshoot's cluster-info/cluster_version.json: {"info": <GET /version>, "string": "v1.x.y"}
  if (isObj(doc.info) && typeof doc.info.gitVersion === 'string' && typeof doc.string === 'string') {
    c.version ??= doc.info as ServerVersion;
    return true;
  }
  return false;
}

/** An events file by its name (events.json, events.yaml, troubleshoot's events/NS.json): read even when empty. */
function isEventsFile(file: string): boolean {
  return /^events(\.k8s\.io)?\.(json|ya?ml)$/.test(path.posix.basename(file)) || path.posix.basename(path.posix.dirname(file)) === 'events';
}

// Walked files are parsed only when they may hold what we read: a bundle has many other objects.
const MAY_HOLD = /containers|involvedObject|regarding|gitVersion|EventList|PodList|JobList|DeploymentList|StatefulSetList|DaemonSetList|ReplicaSetList/;

/** A data file's text (walked or in an archive: `named` false; given by the user: true). */
function addData(text: string, file: string, at: Where, c: Collected, named: boolean): boolean {
  if (!named && !MAY_HOLD.test(text) && !isEventsFile(file)) return false;
  const used = parseDocuments(text, file).map((d) => addDocument(d, at, c)).some(Boolean);
  if (isEventsFile(file)) c.sawEvents = true;
  return used;
}

// ---------------------------------------------------------------- logs by path shape

// logs/POD.CONTAINER[.previous].log: container names are DNS labels (no dots), pod names may have dots.
const LOG_NAME = /^(.+)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

type Place = Omit<LogRecord, 'root' | 'sample'>;

/** Where a .log file belongs, from its path ("/"-separated; archive paths and disk paths alike). */
function logPlace(p: string): Place | null {
  const seg = p.split(/[\\/]/);
  const n = seg.length;
  const file = seg[n - 1];
  if (!file.endsWith('.log')) return null;
  const stem = file.slice(0, -'.log'.length);
  // must-gather / oc adm inspect: [namespaces/NS/pods/]POD/C/C/logs/{current,previous}[.insecure].log
  const mg = /^(current|previous)(\.insecure)?$/.exec(stem);
  if (mg && n >= 5 && seg[n - 2] === 'logs' && seg[n - 3] === seg[n - 4]) {
    const namespace = n >= 8 && seg[n - 6] === 'pods' && seg[n - 8] === 'namespaces' ? seg[n - 7] : null;
    return { dir: null, namespace, pod: seg[n - 5], key: `${mg[1]}:${seg[n - 3]}` };
  }
  // troubleshoot.sh: [cluster-resources/]pods/logs/NS/POD/C[-previous].log
  if (n >= 5 && seg[n - 4] === 'logs' && seg[n - 5] === 'pods') {
    return { dir: null, namespace: seg[n - 3], pod: seg[n - 2], key: `file:${stem}` };
  }
  // ours: [SNAPSHOT/logs/]POD.CONTAINER[.previous].log
  let s = stem;
  const previous = s.endsWith('.previous') && LOG_NAME.test(s.slice(0, -'.previous'.length));
  if (previous) s = s.slice(0, -'.previous'.length);
  const m = LOG_NAME.exec(s);
  if (!m) return null;
  const dir = seg.slice(0, n - 1);
  if (dir[dir.length - 1] === 'logs') dir.pop(); // a snapshot keeps its logs in <snapshot>/logs/
  return { dir: dir.join('/'), namespace: null, pod: m[1], key: `${previous ? 'previous' : 'current'}:${m[2]}` };
}

function addRecord(c: Collected, r: LogRecord): void {
  const list = c.logs.get(r.pod) ?? [];
  c.logs.set(r.pod, list);
  // The same instance twice (must-gather's current.log and current.insecure.log): keep the one with lines.
  const same = list.findIndex((x) => x.root === r.root && x.dir === r.dir && x.namespace === r.namespace && x.key === r.key);
  if (same === -1) list.push(r);
  else if (!list[same].sample.head.length && !list[same].sample.tail.length) list[same] = r;
}

function addSections(c: Collected, root: string, sections: DumpSection[]): void {
  for (const s of sections) {
    addRecord(c, { root, dir: null, namespace: s.namespace, pod: s.pod, key: `current:${s.container}`, sample: s.sample, currentOnly: true });
  }
}

// ---------------------------------------------------------------- directories

function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${describeFsError(e)}`);
  }
}

function addLogFile(file: string, root: string, c: Collected, place: Place): void {
  let sample: LogSample;
  try {
    sample = sampleLogFile(file);
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  addRecord(c, { root, ...place, sample });
}

async function streamFile(file: string, sink: { write(b: Buffer): void }): Promise<void> {
  try {
    for await (const chunk of fs.createReadStream(file)) sink.write(chunk as Buffer);
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${describeFsError(e)}`);
  }
}

function readVersionFile(file: string, c: Collected): void {
  if (c.version || !fs.existsSync(file)) return;
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
    if (isObj(v) && typeof v.gitVersion === 'string') c.version = v as ServerVersion;
  } catch {
    // a stray version.json that is not GET /version: ignore
  }
}

/** A link's target is a readable file (a dangling link in a bundle is skipped, not an error). */
function isFileQuiet(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

async function walk(dir: string, root: string, c: Collected): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`cannot read ${dir}: ${describeFsError(e)}`);
  }
  for (const ent of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) await walk(full, root, c);
    // A symlink is followed only at a log path: troubleshoot links COLLECTOR/POD/C.log to the
    // file it keeps at cluster-resources/pods/logs/NS/POD/C.log (read there, once).
    else if (!ent.isFile() && !(ent.isSymbolicLink() && ent.name.endsWith('.log') && logPlace(full) && isFileQuiet(full))) continue;
    else if (ent.name === 'version.json') readVersionFile(full, c);
    else if (ent.name.endsWith('.log')) {
      const place = logPlace(full);
      if (place?.dir != null) {
        // Keyed like the pods of the snapshot: by the folder as the platform spells it.
        const d = path.dirname(full);
        place.dir = path.basename(d) === 'logs' ? path.dirname(d) : d;
      }
      if (place) addLogFile(full, root, c, place);
    } else if (ent.name === 'logs.txt') {
      const split = new DumpSplitter(false);
      await streamFile(full, split);
      split.end();
      addSections(c, root, split.sections);
    } else if (/\.(json|ya?ml)$/.test(ent.name)) {
      addData(readText(full), full, { dir: path.dirname(full), root }, c, false);
    }
  }
}

// ---------------------------------------------------------------- archives and named files

/** The first `n` bytes of a stream, and the whole stream again (those bytes first). */
async function peek(src: AsyncIterable<Buffer>, n: number): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  const it = src[Symbol.asyncIterator]();
  const got: Buffer[] = [];
  let len = 0;
  let done = false;
  while (len < n) {
    const r = await it.next();
    if (r.done) {
      done = true;
      break;
    }
    got.push(r.value);
    len += r.value.length;
  }
  const head = Buffer.concat(got);
  async function* all() {
    if (head.length) yield head;
    if (done) return;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  return { head, all: all() };
}

/** Reads a tar stream: data files whole, logs through a window, links resolved at the end. */
async function readArchive(src: AsyncIterable<Buffer>, name: string, c: Collected): Promise<void> {
  const samples = new Map<string, LogSample>();
  const links: TarEntry[] = [];
  const wanted = new Set<string>(); // targets of links at log paths, when the link comes first
  const linkTarget = (l: TarEntry) =>
    l.type === 'symlink' ? path.posix.normalize(path.posix.join(path.posix.dirname(l.name), l.linkname)) : l.linkname.replace(/^(\.\/)+/, '');
  const where = (entry: string) => ({ dir: `${name}!${path.posix.dirname(entry)}`, root: name });
  await readTar(src, (e): TarSink | null => {
    if (e.type === 'symlink' || e.type === 'hardlink') {
      if (e.name.endsWith('.log') && logPlace(e.name)) {
        links.push(e);
        wanted.add(linkTarget(e));
      }
      return null;
    }
    if (e.type !== 'file') return null;
    const base = path.posix.basename(e.name);
    // Only logs at a recognised path (or a link's target) are read: a bundle holds many others.
    if (base.endsWith('.log') && (logPlace(e.name) || wanted.has(e.name))) {
      const w = new LogWindow();
      return { write: (b) => w.write(b), end: () => samples.set(e.name, w.sample()) };
    }
    if (base === 'logs.txt') {
      const split = new DumpSplitter(false);
      return { write: (b) => split.write(b), end: () => (split.end(), addSections(c, name, split.sections)) };
    }
    if (/\.(json|ya?ml)$/.test(base)) {
      const parts: Buffer[] = [];
      return {
        write: (b) => parts.push(Buffer.from(b)),
        end: () => {
          const text = Buffer.concat(parts).toString('utf8');
          if (base === 'version.json') {
            try {
              addDocument(JSON.parse(text), where(e.name), c);
            } catch {
              // not GET /version
            }
          } else {
            addData(text, `${name}!${e.name}`, where(e.name), c, false);
          }
        },
      };
    }
    return null;
  });
  for (const [entry, sample] of samples) {
    const place = logPlace(entry);
    if (place) addRecord(c, { root: name, ...place, dir: place.dir === null ? null : `${name}!${place.dir}`, sample });
  }
  // A link at a recognised path to a file kept elsewhere in the archive.
  for (const l of links) {
    const place = logPlace(l.name);
    const target = linkTarget(l);
    const sample = samples.get(target);
    if (place && sample && !logPlace(target)) addRecord(c, { root: name, ...place, dir: place.dir === null ? null : `${name}!${place.dir}`, sample });
  }
}

/** A stream given by the user that is not an archive: data documents, with any dump log sections. */
async function readNamedStream(src: AsyncIterable<Buffer>, name: string, at: Where, c: Collected): Promise<void> {
  const split = new DumpSplitter(true);
  for await (const chunk of src) split.write(chunk);
  const outside = split.end().toString('utf8');
  addSections(c, at.root, split.sections);
  const used = outside.trim() ? parseDocuments(outside, name).map((d) => addDocument(d, at, c)).some(Boolean) : false;
  if (isEventsFile(name)) c.sawEvents = true;
  if (!used && !split.sections.length) throw new InputError(`${name} holds no Pod, PodList, List or EventList`);
}

function streamError(p: string, e: unknown): never {
  if (e instanceof InputError) throw e;
  if (e instanceof TarError) throw new InputError(`cannot read ${p}: ${e.message}`);
  const code = (e as NodeJS.ErrnoException).code ?? '';
  if (code.startsWith('Z_')) throw new InputError(`cannot read ${p}: not a valid gzip file (${(e as Error).message})`);
  throw new InputError(`cannot read ${p}: ${describeFsError(e)}`);
}

/** A file named with -f: an archive (by its bytes, whatever its name), a log, or data. */
async function readNamedFile(p: string, c: Collected): Promise<void> {
  const at = { dir: path.dirname(p), root: p };
  const file = fs.createReadStream(p);
  try {
    let { head, all } = await peek(file as AsyncIterable<Buffer>, 512);
    if (head[0] === 0x1f && head[1] === 0x8b) {
      // gzip by its magic bytes (a troubleshoot bundle is a .tar.gz; a .json.gz works too)
      const gunzip = zlib.createGunzip();
      pipeline(Readable.from(all), gunzip, () => {}); // an error reaches the reader through gunzip
      ({ head, all } = await peek(gunzip as AsyncIterable<Buffer>, 512));
    }
    if (looksLikeTar(head)) {
      await readArchive(all, p, c);
    } else if (p.endsWith('.log')) {
      const place = logPlace(p);
      if (!place) return;
      const w = new LogWindow();
      for await (const chunk of all) w.write(chunk);
      addRecord(c, { root: p, ...place, sample: w.sample() });
    } else {
      await readNamedStream(all, p, at, c);
      readVersionFile(path.join(path.dirname(p), 'version.json'), c);
    }
  } catch (e) {
    streamError(p, e);
  } finally {
    file.destroy();
  }
}

// ---------------------------------------------------------------- matching

/** Same uid seen in several snapshots: keep the newest (highest resourceVersion). */
function dedupPods<T extends { pod: Pod }>(pods: T[]): T[] {
  const byUid = new Map<string, T>();
  const rv = (p: Pod) => Number(p.metadata?.resourceVersion ?? 0) || 0;
  const out: T[] = [];
  for (const entry of pods) {
    const uid = entry.pod.metadata?.uid;
    if (!uid) continue;
    const prev = byUid.get(uid);
    if (!prev || rv(entry.pod) > rv(prev.pod)) byUid.set(uid, entry);
  }
  const named = new Set([...byUid.values()].map((e) => e.pod.metadata?.name));
  for (const entry of pods) {
    const uid = entry.pod.metadata?.uid;
    if (uid) {
      if (byUid.get(uid) === entry) out.push(entry);
    } else if (!named.has(entry.pod.metadata?.name)) {
      out.push(entry); // a hand-written pod; a uid-less copy of a real one (a manifest) is dropped
    }
  }
  return out;
}

function containerNames(pod: Pod): Set<string> {
  const s = pod.spec ?? {};
  return new Set([...(s.initContainers ?? []), ...(s.containers ?? []), ...(s.ephemeralContainers ?? [])].map((x) => x?.name).filter((n): n is string => typeof n === 'string'));
}

/**
 * The pod's logs: from one origin (bundle and namespace, or snapshot folder), preferring the pod's
 * own snapshot, then its own bundle; a record in another namespace never counts.
 */
function logsFor(entry: { pod: Pod; dir: string; root: string }, c: Collected): Record<string, ContainerLogs> | null {
  const meta = entry.pod.metadata ?? {};
  const all = (c.logs.get(meta.name ?? '') ?? []).filter((r) => r.namespace === null || r.namespace === (meta.namespace ?? ''));
  if (!all.length) return null;
  const origin = (r: LogRecord) => `${r.root}\0${r.dir ?? ''}\0${r.namespace ?? ''}`;
  const pick = all.find((r) => r.dir === entry.dir) ?? all.find((r) => r.root === entry.root && r.namespace !== null) ?? all.find((r) => r.root === entry.root) ?? all[0];
  const records = all.filter((r) => origin(r) === origin(pick));
  const names = containerNames(entry.pod);
  const out: Record<string, ContainerLogs> = {};
  const put = (container: string, which: 'current' | 'previous', sample: LogSample) => {
    out[container] = { ...out[container], [which]: sample };
  };
  for (const r of records) {
    const [kind, stem] = [r.key.slice(0, r.key.indexOf(':')), r.key.slice(r.key.indexOf(':') + 1)];
    if (kind === 'current' || kind === 'previous') put(stem, kind, r.sample);
    else if (!names.has(stem) && stem.endsWith('-previous') && names.has(stem.slice(0, -'-previous'.length))) put(stem.slice(0, -'-previous'.length), 'previous', r.sample);
    else put(stem, 'current', r.sample);
  }
  // A tool that reads no previous instance: for a container waiting to restart, the kubelet serves
  // the last terminated instance as its current log, the same one previous=true returns
  // (validateContainerLogStatus; the recording sidecar-crashloop/crashlooping has identical
  // .log and .previous.log), so that sample stands for both (src/model/logs.ts instanceSamples).
  if (records.some((r) => r.currentOnly)) {
    const st = entry.pod.status ?? {};
    for (const cs of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? [])]) {
      const l = cs?.name ? out[cs.name] : undefined;
      if (l?.current && !l.previous && cs.state?.waiting && cs.lastState?.terminated) l.previous = l.current;
    }
  }
  return out;
}

export interface FileReadOptions {
  /** Reads stdin for "-" (the CLI passes it; tests pass text). */
  readStdin?: () => Promise<string>;
}

async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Read -f inputs into the same evidence the API path gives. */
export async function loadFiles(paths: string[], opts: FileReadOptions = {}): Promise<Gathered> {
  const c: Collected = { pods: [], events: [], sawEvents: false, logs: new Map(), version: null, workloads: [] };
  for (const p of paths) {
    if (p === '-') {
      const text = await (opts.readStdin ?? readAllStdin)();
      const one = async function* () {
        yield Buffer.from(text, 'utf8');
      };
      await readNamedStream(one(), 'stdin', { dir: '-', root: '-' }, c);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      throw new InputError(`cannot read ${p}: ${describeFsError(e)}`);
    }
    if (st.isDirectory()) {
      await walk(p, p, c);
      // A recording snapshot (<scenario>/snapshots/<name>) has GET /version two levels up.
      readVersionFile(path.join(p, '..', '..', 'version.json'), c);
    } else {
      await readNamedFile(p, c);
    }
  }
  const pods = dedupPods(c.pods);
  if (pods.length === 0) throw new InputError(`no pods found in ${paths.join(', ')}`);
  const events = matchEvents(pods.map((e) => e.pod), c.events);
  return {
    version: c.version,
    notices: [],
    ...(c.workloads.length ? { workloadObjects: c.workloads } : {}),
    pods: pods.map((entry, i) => {
      const logs = logsFor(entry, c);
      return {
        pod: entry.pod,
        events: events[i],
        logs: logs ?? {},
        sources: { events: c.sawEvents ? 'ok' : 'unavailable', logs: logs ? 'ok' : 'unavailable' },
      };
    }),
  };
}
