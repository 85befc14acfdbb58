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
// Logs are sampled, head and last line (logsample.ts), never read whole, and only for pods the
// input holds. Bounded in every input: a data document (a file, an archive entry, stdin) larger than
// the body limit (--max-response-size, as for API answers) is skipped when walked and refused when
// named; only regular files are read, and nothing outside the paths the user named (a link is
// followed only to a file inside the folder named). A walked file that cannot be read or parsed is
// skipped with a notice: one bad file does not sink a bundle.
import fs from 'node:fs';
import path from 'node:path';
import { Readable, pipeline } from 'node:stream';
import zlib from 'node:zlib';
import type { Pod, ServerVersion } from '../model/k8s.js';
import type { ContainerLogs, LogSample } from '../model/types.js';
import type { WorkloadObject } from '../model/workloads.js';
import { type AnyEvent, type Gathered, matchEvents } from './evidence.js';
import { DumpSplitter, LogWindow, sampleLogFile, type DumpSection } from './logsample.js';
import { looksLikeTar, readTar, TarError, type TarEntry, type TarSink } from './tar.js';
import { UserError } from './errors.js';
import { DEFAULT_MAX_BODY_BYTES } from './http.js';
import { loadYamlDocuments, YamlInputError } from './yaml-input.js';

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
  /** The folder the layout starts in (a must-gather's folder above namespaces/, a snapshot's folder): two bundles under one -f folder stay apart. */
  base: string;
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
  /** One-line notices: files skipped, values read with a remark. */
  notices: string[];
  /** Largest data document read, in bytes. */
  maxBytes: number;
  /** Log reads left until the pods are known (a log is read only for a pod the input holds). */
  pendingLogs: ((pods: Set<string>) => Promise<void>)[];
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
    return loadYamlDocuments(text);
  } catch (e) {
    if (!(e instanceof YamlInputError)) throw e;
    throw new InputError(`cannot parse ${name}: ${e.reason}${e.line !== null ? ` (line ${e.line})` : ''}`);
  }
}

/**
 * A data file's bytes as text: UTF-8 (a byte-order mark dropped), or UTF-16 with its byte-order
 * mark (PowerShell 5.1's `>` writes UTF-16LE), as kubectl reads them (cli-runtime
 * pkg/resource/visitor.go: unicode.BOMOverride before its YAML-or-JSON decoder).
 */
export function decodeText(b: Buffer): string {
  if (b[0] === 0xff && b[1] === 0xfe) return b.toString('utf16le', 2);
  if (b[0] === 0xfe && b[1] === 0xff) {
    const le = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)));
    return le.swap16().toString('utf16le');
  }
  if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return b.toString('utf8', 3);
  return b.toString('utf8');
}

/** A size for a notice: MiB with one decimal, or bytes. */
function bytesText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB` : `${n} bytes`;
}

/** The notice for a data document over the limit. */
function overLimit(name: string, size: number | null, max: number): string {
  return `skipped ${name}: ${size === null ? 'more than' : bytesText(size) + ', over'} the ${bytesText(max)} a data file may hold (--max-response-size)`;
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
  /** The file (or archive!entry) it came from, for notices. */
  file: string;
}

/**
 * A pod whose name or namespace YAML read as a number or boolean (`name: 1000`; kubectl refuses
 * such a file): the value is read as its string, with a notice (the spelling may differ: `1_000`).
 */
function nameAsString(pod: Obj, file: string, c: Collected): void {
  const meta = pod.metadata;
  if (!isObj(meta)) return;
  for (const key of ['name', 'namespace'] as const) {
    const v = meta[key];
    if (typeof v === 'number' || typeof v === 'boolean') {
      meta[key] = String(v);
      c.notices.push(`${file}: the pod ${key} ${String(v)} is not a string in the input (YAML reads it as a ${typeof v}); read as "${String(v)}": quote it to keep its spelling`);
    }
  }
}

/**
 * Sort one decoded document into pods, events and version. Returns whether it held anything
 * usable. Each node is visited once (`seen`): YAML aliases share nodes, and a list aliased many
 * times over is not walked again each time.
 */
function addDocument(doc: unknown, at: Where, c: Collected, seen = new Set<object>()): boolean {
  if (typeof doc === 'object' && doc !== null) {
    if (seen.has(doc)) return false;
    seen.add(doc);
  }
  if (Array.isArray(doc)) return doc.map((d) => addDocument(d, at, c, seen)).some(Boolean);
  if (!isObj(doc)) return false;
  if (Array.isArray(doc.items)) {
    const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
    const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : undefined;
    if (kind === 'EventList') c.sawEvents = true;
    let used = kind === 'EventList' || kind === 'PodList';
    for (const item of doc.items) {
      if (!isObj(item) || seen.has(item)) continue;
      seen.add(item);
      const wk = kind && Object.hasOwn(WORKLOAD_LISTS, kind) ? WORKLOAD_LISTS[kind] : typeof item.kind === 'string' && WORKLOAD_KINDS.has(item.kind) ? item.kind : null;
      if (wk) {
        c.workloads.push({ ...(item as WorkloadObject), kind: wk });
        continue;
      }
      if (isPod(item, kind)) {
        nameAsString(item, at.file, c);
        c.pods.push({ pod: item as Pod, dir: at.dir, root: at.root });
        used = true;
      } else if (isEvent(item, apiVersion)) {
        c.events.push(item as AnyEvent);
        c.sawEvents = true;
        used = true;
      } else if (Array.isArray(item.items)) {
        used = addDocument(item, at, c, seen) || used;
      }
    }
    return used;
  }
  if (isPod(doc)) {
    nameAsString(doc, at.file, c);
    c.pods.push({ pod: doc as Pod, dir: at.dir, root: at.root });
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
const MAY_HOLD_WORDS = ['containers', 'involvedObject', 'regarding', 'gitVersion', 'EventList', 'PodList', 'JobList', 'DeploymentList', 'StatefulSetList', 'DaemonSetList', 'ReplicaSetList'];
const MAY_HOLD = new RegExp(MAY_HOLD_WORDS.join('|'));

/** The same test on bytes (UTF-8 text; UTF-16 is decoded first): an unrelated file never becomes a string. */
function bytesMayHold(b: Buffer): boolean {
  if ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff)) return MAY_HOLD.test(decodeText(b));
  return MAY_HOLD_WORDS.some((w) => b.includes(w));
}

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
    const full = n >= 8 && seg[n - 6] === 'pods' && seg[n - 8] === 'namespaces';
    const base = seg.slice(0, full ? n - 8 : n - 5).join('/');
    return { dir: null, base, namespace: full ? seg[n - 7] : null, pod: seg[n - 5], key: `${mg[1]}:${seg[n - 3]}` };
  }
  // troubleshoot.sh: [cluster-resources/]pods/logs/NS/POD/C[-previous].log
  if (n >= 5 && seg[n - 4] === 'logs' && seg[n - 5] === 'pods') {
    return { dir: null, base: seg.slice(0, n - 5).join('/'), namespace: seg[n - 3], pod: seg[n - 2], key: `file:${stem}` };
  }
  // ours: [SNAPSHOT/logs/]POD.CONTAINER[.previous].log
  let s = stem;
  const previous = s.endsWith('.previous') && LOG_NAME.test(s.slice(0, -'.previous'.length));
  if (previous) s = s.slice(0, -'.previous'.length);
  const m = LOG_NAME.exec(s);
  if (!m) return null;
  const dir = seg.slice(0, n - 1);
  if (dir[dir.length - 1] === 'logs') dir.pop(); // a snapshot keeps its logs in <snapshot>/logs/
  return { dir: dir.join('/'), base: dir.join('/'), namespace: null, pod: m[1], key: `${previous ? 'previous' : 'current'}:${m[2]}` };
}

function addRecord(c: Collected, r: LogRecord): void {
  const list = c.logs.get(r.pod) ?? [];
  c.logs.set(r.pod, list);
  // The same instance twice (must-gather's current.log and current.insecure.log): keep the one with lines.
  const same = list.findIndex((x) => x.root === r.root && x.base === r.base && x.dir === r.dir && x.namespace === r.namespace && x.key === r.key);
  if (same === -1) list.push(r);
  else if (!list[same].sample.head.length && !list[same].sample.tail.length) list[same] = r;
}

function addSections(c: Collected, root: string, base: string, sections: DumpSection[]): void {
  for (const s of sections) {
    addRecord(c, { root, dir: null, base, namespace: s.namespace, pod: s.pod, key: `current:${s.container}`, sample: s.sample, currentOnly: true });
  }
}

// ---------------------------------------------------------------- directories

/**
 * A regular file's bytes, or its size when over `max`; null when it is not a regular file. Opened
 * without blocking and checked on the open descriptor: a FIFO or a device never hangs the read.
 */
function readRegular(file: string, max: number): { bytes: Buffer } | { size: number } | null {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return null;
    if (st.size > max) return { size: st.size };
    const b = Buffer.alloc(st.size);
    let off = 0;
    for (let n = 1; off < b.length && n > 0; off += n) n = fs.readSync(fd, b, off, b.length - off, off);
    return { bytes: b.subarray(0, off) };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads one walked file's part; a failure becomes a notice (one bad file does not sink a bundle). */
function quietly(file: string, c: Collected, read: () => void): void {
  try {
    read();
  } catch (e) {
    if (e instanceof InputError) c.notices.push(`${e.message}; skipped`);
    else if ((e as NodeJS.ErrnoException).code) c.notices.push(`cannot read ${file}: ${describeFsError(e)}; skipped`);
    else throw e;
  }
}

function addDataFile(file: string, at: Where, c: Collected): void {
  const r = readRegular(file, c.maxBytes);
  if (!r) return;
  if ('size' in r) {
    c.notices.push(overLimit(file, r.size, c.maxBytes));
    return;
  }
  if (!bytesMayHold(r.bytes) && !isEventsFile(file)) return;
  addData(decodeText(r.bytes), file, at, c, false);
}

/** Largest GET /version answer read (a real one is ~300 bytes). */
const MAX_VERSION_BYTES = 64 * 1024;

function addVersionDocument(text: string, c: Collected): void {
  try {
    const v = JSON.parse(text) as unknown;
    if (isObj(v) && typeof v.gitVersion === 'string') c.version ??= v as ServerVersion;
  } catch {
    // a stray version.json that is not GET /version: ignore
  }
}

/** A path's real location is `root` or inside it. */
function inside(real: string, root: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

/** A link at a log path whose target is a regular file inside the folder named (`rootReal`): else skipped. */
function linkInside(p: string, rootReal: string): boolean {
  try {
    return inside(fs.realpathSync(p), rootReal) && fs.statSync(p).isFile();
  } catch {
    return false; // a dangling link in a bundle is skipped, not an error
  }
}

async function walk(dir: string, root: string, rootReal: string, c: Collected): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    if (dir === root) throw new InputError(`cannot read ${dir}: ${describeFsError(e)}`);
    c.notices.push(`cannot read ${dir}: ${describeFsError(e)}; skipped`);
    return;
  }
  for (const ent of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) await walk(full, root, rootReal, c);
    // A symlink is followed only at a log path, and only to a file inside the folder named:
    // troubleshoot links COLLECTOR/POD/C.log to the file it keeps at
    // cluster-resources/pods/logs/NS/POD/C.log (read there, once).
    else if (!ent.isFile() && !(ent.isSymbolicLink() && ent.name.endsWith('.log') && logPlace(full) && linkInside(full, rootReal))) continue;
    else if (ent.name === 'version.json') {
      quietly(full, c, () => {
        const r = readRegular(full, MAX_VERSION_BYTES);
        if (r && 'bytes' in r) addVersionDocument(decodeText(r.bytes), c);
      });
    } else if (ent.name.endsWith('.log')) {
      const place = logPlace(full);
      if (!place) continue;
      if (place.dir != null) {
        // Keyed like the pods of the snapshot: by the folder as the platform spells it.
        const d = path.dirname(full);
        place.dir = place.base = path.basename(d) === 'logs' ? path.dirname(d) : d;
      }
      c.pendingLogs.push(async (wanted) => {
        if (wanted.has(place.pod)) quietly(full, c, () => addRecord(c, { root, ...place, sample: sampleLogFile(full) }));
      });
    } else if (ent.name === 'logs.txt') {
      const split = new DumpSplitter(false);
      try {
        for await (const chunk of fs.createReadStream(full)) split.write(chunk as Buffer);
      } catch (e) {
        c.notices.push(`cannot read ${full}: ${describeFsError(e)}; skipped`);
        continue;
      }
      split.end();
      addSections(c, root, dir, split.sections);
    } else if (/\.(json|ya?ml)$/.test(ent.name)) {
      quietly(full, c, () => addDataFile(full, { dir: path.dirname(full), root, file: full }, c));
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

/**
 * Reads a tar stream: data files whole (up to the limit), logs through a window, links resolved
 * at the end. `logs`: 'now' samples every log as it passes (a stream read once: stdin); a Set of
 * pod names samples only theirs (the second read of a file, once the pods are known).
 */
async function readArchive(src: AsyncIterable<Buffer>, name: string, c: Collected, logs: 'now' | 'later' | Set<string>): Promise<void> {
  const samples = new Map<string, LogSample>();
  const links: TarEntry[] = [];
  const wanted = new Set<string>(); // targets of links at log paths, when the link comes first
  const linkTarget = (l: TarEntry) =>
    l.type === 'symlink' ? path.posix.normalize(path.posix.join(path.posix.dirname(l.name), l.linkname)) : l.linkname.replace(/^(\.\/)+/, '');
  const where = (entry: string): Where => ({ dir: `${name}!${path.posix.dirname(entry)}`, root: name, file: `${name}!${entry}` });
  const podWanted = (p: Place | null) => logs === 'now' || (logs instanceof Set && p !== null && logs.has(p.pod));
  const readData = !(logs instanceof Set); // the second read takes logs only
  await readTar(src, (e): TarSink | null => {
    if (e.type === 'symlink' || e.type === 'hardlink') {
      const place = e.name.endsWith('.log') ? logPlace(e.name) : null;
      if (place && podWanted(place)) {
        links.push(e);
        wanted.add(linkTarget(e));
      }
      return null;
    }
    if (e.type !== 'file') return null;
    const base = path.posix.basename(e.name);
    // Only logs at a recognised path (or a link's target) are read: a bundle holds many others.
    if (base.endsWith('.log')) {
      if (logs === 'later' || !(podWanted(logPlace(e.name)) || wanted.has(e.name))) return null;
      const w = new LogWindow();
      return { write: (b) => w.write(b), end: () => samples.set(e.name, w.sample()) };
    }
    if (!readData) return null;
    if (base === 'logs.txt') {
      const split = new DumpSplitter(false);
      return { write: (b) => split.write(b), end: () => (split.end(), addSections(c, name, `${name}!${path.posix.dirname(e.name)}`, split.sections)) };
    }
    if (/\.(json|ya?ml)$/.test(base)) {
      const max = base === 'version.json' ? MAX_VERSION_BYTES : c.maxBytes;
      if (e.size > max) {
        if (base !== 'version.json') c.notices.push(overLimit(`${name}!${e.name}`, e.size, max));
        return null;
      }
      // one buffer of the entry's size (from its header): its bytes copied once
      const bytes = Buffer.alloc(e.size);
      let off = 0;
      return {
        write: (b) => (off += b.copy(bytes, off)),
        end: () => {
          const body = bytes.subarray(0, off);
          if (base === 'version.json') addVersionDocument(decodeText(body), c);
          else if (bytesMayHold(body) || isEventsFile(e.name)) quietly(`${name}!${e.name}`, c, () => addData(decodeText(body), `${name}!${e.name}`, where(e.name), c, false));
        },
      };
    }
    return null;
  });
  const add = (place: Place, sample: LogSample) =>
    addRecord(c, { root: name, ...place, dir: place.dir === null ? null : `${name}!${place.dir}`, base: `${name}!${place.base}`, sample });
  for (const [entry, sample] of samples) {
    const place = logPlace(entry);
    if (place && podWanted(place)) add(place, sample);
  }
  // A link at a recognised path to a file kept elsewhere in the archive.
  for (const l of links) {
    const place = logPlace(l.name);
    const target = linkTarget(l);
    const sample = samples.get(target);
    if (place && sample && !logPlace(target)) add(place, sample);
  }
}

/** A stream given by the user that is not an archive: data documents, with any dump log sections. */
async function readNamedStream(src: AsyncIterable<Buffer>, name: string, at: Where, c: Collected): Promise<void> {
  const split = new DumpSplitter(true);
  for await (const chunk of src) {
    split.write(chunk);
    if (split.outsideBytes > c.maxBytes) throw new InputError(`cannot read ${name}: ${overLimit(name, null, c.maxBytes).replace(/^skipped [^:]*: /, '')}`);
  }
  const outside = decodeText(split.end());
  addSections(c, at.root, at.dir, split.sections);
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

/** A source's bytes from the start, gzip undone (by its magic bytes, whatever its name). */
async function openSource(src: AsyncIterable<Buffer>): Promise<{ head: Buffer; all: AsyncIterable<Buffer> }> {
  let { head, all } = await peek(src, 512);
  if (head[0] === 0x1f && head[1] === 0x8b) {
    // a troubleshoot bundle is a .tar.gz; a .json.gz works too
    const gunzip = zlib.createGunzip();
    pipeline(Readable.from(all), gunzip, () => {}); // an error reaches the reader through gunzip
    ({ head, all } = await peek(gunzip as AsyncIterable<Buffer>, 512));
  }
  return { head, all };
}

/**
 * A file or stream named with -f: an archive (by its bytes, whatever its name), a log, or data.
 * `reopen` opens a file again for the second read of an archive (its logs, once the pods are
 * known); a stream read once (stdin) has none, and its archive's logs are all sampled.
 */
async function readNamed(name: string, open: () => fs.ReadStream | NodeJS.ReadableStream, reopen: boolean, c: Collected): Promise<void> {
  const root = name === 'stdin' ? '-' : name;
  const at: Where = { dir: name === 'stdin' ? '-' : path.dirname(name), root, file: name };
  const stream = open();
  try {
    const { head, all } = await openSource(stream as AsyncIterable<Buffer>);
    if (looksLikeTar(head)) {
      await readArchive(all, name, c, reopen ? 'later' : 'now');
      if (reopen) {
        c.pendingLogs.push(async (wanted) => {
          const again = open();
          try {
            await readArchive((await openSource(again as AsyncIterable<Buffer>)).all, name, c, wanted);
          } catch (e) {
            streamError(name, e);
          } finally {
            (again as fs.ReadStream).destroy?.();
          }
        });
      }
    } else if (name.endsWith('.log')) {
      const place = logPlace(name);
      if (!place) return;
      const w = new LogWindow();
      for await (const chunk of all) w.write(chunk);
      addRecord(c, { root, ...place, sample: w.sample() });
    } else {
      await readNamedStream(all, name, at, c);
    }
  } catch (e) {
    streamError(name, e);
  } finally {
    (stream as fs.ReadStream).destroy?.();
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

/** Path segments two paths share from their start ("/" or the platform's separator alike). */
function sharedSegments(a: string, b: string): number {
  const x = a.split(/[\\/]/);
  const y = b.split(/[\\/]/);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}

/**
 * The pod's logs: from one origin (bundle, base folder and namespace, or snapshot folder), the one
 * nearest the pod's own file: its own snapshot, then the bundle whose folder holds the pod's file
 * (two clusters' must-gathers under one folder keep their own logs); a record in another
 * namespace never counts.
 */
function logsFor(entry: { pod: Pod; dir: string; root: string }, c: Collected): Record<string, ContainerLogs> | null {
  const meta = entry.pod.metadata ?? {};
  const all = (c.logs.get(meta.name ?? '') ?? []).filter((r) => r.namespace === null || r.namespace === (meta.namespace ?? ''));
  if (!all.length) return null;
  const origin = (r: LogRecord) => `${r.root}\0${r.base}\0${r.dir ?? ''}\0${r.namespace ?? ''}`;
  const score = (r: LogRecord) =>
    r.dir === entry.dir ? Number.MAX_SAFE_INTEGER : r.root !== entry.root ? -1 : sharedSegments(r.base, entry.dir) * 2 + (r.namespace !== null ? 1 : 0);
  let pick = all[0];
  for (const r of all) if (score(r) > score(pick)) pick = r;
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
  /** Reads stdin for "-" (the CLI reads process.stdin; tests pass text or bytes). */
  readStdin?: () => Promise<string | Buffer>;
  /** Largest data document read (--max-response-size); DEFAULT_MAX_BODY_BYTES if unset. */
  maxBytes?: number;
}

/** Read -f inputs into the same evidence the API path gives. */
export async function loadFiles(paths: string[], opts: FileReadOptions = {}): Promise<Gathered> {
  const c: Collected = { pods: [], events: [], sawEvents: false, logs: new Map(), version: null, workloads: [], notices: [], maxBytes: opts.maxBytes ?? DEFAULT_MAX_BODY_BYTES, pendingLogs: [] };
  for (const p of paths) {
    if (p === '-') {
      const read = opts.readStdin;
      const open = read
        ? () =>
            Readable.from(
              (async function* () {
                const v = await read();
                yield typeof v === 'string' ? Buffer.from(v, 'utf8') : v;
              })(),
            )
        : () => process.stdin;
      await readNamed('stdin', open, false, c);
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      throw new InputError(`cannot read ${p}: ${describeFsError(e)}`);
    }
    if (st.isDirectory()) {
      let real: string;
      try {
        real = fs.realpathSync(p);
      } catch (e) {
        throw new InputError(`cannot read ${p}: ${describeFsError(e)}`);
      }
      await walk(p, p, real, c);
    } else {
      await readNamed(p, () => fs.createReadStream(p), st.isFile(), c);
    }
  }
  const pods = dedupPods(c.pods);
  if (pods.length === 0) throw new InputError(`no pods found in ${paths.join(', ')}`);
  // Logs only for the pods read: a bundle of 20,000 logs costs their samples only where they count.
  const wanted = new Set(pods.map((e) => e.pod.metadata?.name).filter((n): n is string => typeof n === 'string'));
  for (const read of c.pendingLogs) await read(wanted);
  const events = matchEvents(pods.map((e) => e.pod), c.events);
  return {
    version: c.version,
    notices: c.notices,
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
