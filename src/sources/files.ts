// -f: offline input, no cluster. A file or stdin ("-") holding JSON or (multi-document) YAML with
// Pods, PodLists, v1/Lists and EventLists of either event API; or a directory of such files,
// walked recursively (a support bundle, or a recording snapshot: pods.json, events.json,
// events.k8s.io.json, logs/POD.CONTAINER[.previous].log, version.json two levels up).
import fs from 'node:fs';
import path from 'node:path';
import { loadAll } from 'js-yaml';
import type { Pod, ServerVersion } from '../model/k8s.js';
import type { ContainerLogs, LogSample } from '../model/types.js';
import { type AnyEvent, type Gathered, matchEvents } from './evidence.js';
import { sampleFromLogFile } from './logfile.js';

/** Unreadable or invalid -f input; the message names the file. */
export class InputError extends Error {
  override name = 'InputError';
  oneLine(): string {
    return `error: ${this.message}`;
  }
}

interface Collected {
  pods: { pod: Pod; dir: string }[];
  events: AnyEvent[];
  sawEvents: boolean;
  /** dir of the snapshot → pod name → container logs. */
  logs: Map<string, Map<string, Record<string, ContainerLogs>>>;
  version: ServerVersion | null;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const why: Record<string, string> = { ENOENT: 'no such file or directory', EACCES: 'permission denied', EISDIR: 'is a directory' };
  return (err.code && why[err.code]) || err.message;
}

export function parseDocuments(text: string, name: string): unknown[] {
  const t = text.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return [JSON.parse(t)]; // one JSON.parse: fast for large lists
    } catch {
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

/** Sort one decoded document into pods, events and version. Returns whether it held anything usable. */
function addDocument(doc: unknown, dir: string, c: Collected): boolean {
  if (Array.isArray(doc)) return doc.map((d) => addDocument(d, dir, c)).some(Boolean);
  if (!isObj(doc)) return false;
  if (Array.isArray(doc.items)) {
    const kind = typeof doc.kind === 'string' ? doc.kind : undefined;
    const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : undefined;
    if (kind === 'EventList') c.sawEvents = true;
    let used = kind === 'EventList' || kind === 'PodList';
    for (const item of doc.items) {
      if (!isObj(item)) continue;
      if (isPod(item, kind)) {
        c.pods.push({ pod: item as Pod, dir });
        used = true;
      } else if (isEvent(item, apiVersion)) {
        c.events.push(item as AnyEvent);
        c.sawEvents = true;
        used = true;
      } else if (Array.isArray(item.items)) {
        used = addDocument(item, dir, c) || used;
      }
    }
    return used;
  }
  if (isPod(doc)) {
    c.pods.push({ pod: doc as Pod, dir });
    return true;
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
  return false;
}

// logs/POD.CONTAINER[.previous].log: container names are DNS labels (no dots), pod names may have dots.
const LOG_NAME = /^(.+)\.([a-z0-9]([-a-z0-9]*[a-z0-9])?)$/;

function addLog(file: string, c: Collected): void {
  let stem = path.basename(file).slice(0, -'.log'.length);
  const previous = stem.endsWith('.previous') && LOG_NAME.test(stem.slice(0, -'.previous'.length));
  if (previous) stem = stem.slice(0, -'.previous'.length);
  const m = LOG_NAME.exec(stem);
  if (!m) return;
  const [, pod, container] = m;
  let sample: LogSample;
  try {
    sample = sampleFromLogFile(file); // head and last line by ranged reads, never the whole file
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  // A snapshot keeps its logs in <snapshot>/logs/: key them by the snapshot folder.
  let dir = path.dirname(file);
  if (path.basename(dir) === 'logs') dir = path.dirname(dir);
  const byPod = c.logs.get(dir) ?? new Map<string, Record<string, ContainerLogs>>();
  c.logs.set(dir, byPod);
  const rec = byPod.get(pod) ?? {};
  byPod.set(pod, rec);
  rec[container] = { ...rec[container], [previous ? 'previous' : 'current']: sample };
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

function walk(dir: string, c: Collected): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    throw new InputError(`cannot read ${dir}: ${describeFsError(e)}`);
  }
  for (const ent of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, ent.name);
    if (ent.isDirectory()) walk(full, c);
    else if (ent.name === 'version.json') readVersionFile(full, c);
    else if (ent.name.endsWith('.log')) addLog(full, c);
    else if (/\.(json|ya?ml)$/.test(ent.name)) readDataFile(full, c, false);
  }
}

function readDataFile(file: string, c: Collected, named: boolean): void {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read ${file}: ${describeFsError(e)}`);
  }
  const used = parseDocuments(text, file).map((d) => addDocument(d, path.dirname(file), c)).some(Boolean);
  if (named && !used) throw new InputError(`${file} holds no Pod, PodList, List or EventList`);
}

/** Same uid seen in several snapshots: keep the newest (highest resourceVersion). */
function dedupPods(pods: { pod: Pod; dir: string }[]): { pod: Pod; dir: string }[] {
  const byUid = new Map<string, { pod: Pod; dir: string }>();
  const rv = (p: Pod) => Number(p.metadata?.resourceVersion ?? 0) || 0;
  const out: { pod: Pod; dir: string }[] = [];
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
  const c: Collected = { pods: [], events: [], sawEvents: false, logs: new Map(), version: null };
  for (const p of paths) {
    if (p === '-') {
      const text = await (opts.readStdin ?? readAllStdin)();
      const used = parseDocuments(text, 'stdin').map((d) => addDocument(d, '-', c)).some(Boolean);
      if (!used) throw new InputError('stdin holds no Pod, PodList, List or EventList');
      continue;
    }
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch (e) {
      throw new InputError(`cannot read ${p}: ${describeFsError(e)}`);
    }
    if (st.isDirectory()) {
      walk(p, c);
      // A recording snapshot (<scenario>/snapshots/<name>) has GET /version two levels up.
      readVersionFile(path.join(p, '..', '..', 'version.json'), c);
    } else if (p.endsWith('.log')) {
      addLog(p, c);
    } else {
      readDataFile(p, c, true);
      readVersionFile(path.join(path.dirname(p), 'version.json'), c);
    }
  }
  const pods = dedupPods(c.pods);
  if (pods.length === 0) throw new InputError(`no pods found in ${paths.join(', ')}`);
  const events = matchEvents(pods.map((e) => e.pod), c.events);
  const anyLogs = (dir: string, name: string) => c.logs.get(dir)?.get(name);
  return {
    version: c.version,
    notices: [],
    pods: pods.map((entry, i) => {
      const name = entry.pod.metadata?.name ?? '';
      // Logs of the same snapshot first; else any folder that has logs for that pod name.
      let logs = anyLogs(entry.dir, name);
      if (!logs) for (const byPod of c.logs.values()) if ((logs = byPod.get(name))) break;
      return {
        pod: entry.pod,
        events: events[i],
        logs: logs ?? {},
        sources: { events: c.sawEvents ? 'ok' : 'unavailable', logs: logs ? 'ok' : 'unavailable' },
      };
    }),
  };
}
