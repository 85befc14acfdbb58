// Shapes and helpers shared by the two evidence sources (API server and -f files): the result
// the CLI receives, log-line parsing, and matching events to pods in one pass.
import type { CoreEvent, EventsV1Event, Pod, ServerVersion } from '../model/k8s.js';
import type { LogLine, LogSample, PodEvidence } from '../model/types.js';
import type { WorkloadObject } from '../model/workloads.js';

export type AnyEvent = CoreEvent | EventsV1Event;

/** What `gather()` hands the CLI: one PodEvidence per pod, the server version, and notices. */
export interface Gathered {
  pods: PodEvidence[];
  version: ServerVersion | null;
  /** One-line remarks for stderr (a source that could not be read, a target with no pods…). */
  notices: string[];
  /** The workloads TYPE/NAME arguments named, with the uids of their pods (absent otherwise). */
  workloads?: { workload: WorkloadObject; podUids: string[] }[];
  /** -f only: every workload object found in the files (matched to TYPE/NAME arguments in gather). */
  workloadObjects?: WorkloadObject[];
}

export type { LogLine, LogSample, PodEvidence };

/** Bytes read from the start of each container log, as `limitBytes` of the head request. */
export const LOG_HEAD_BYTES = 4096;
/** Bytes read of the last line (`limitBytes` beside tailLines=1; -f keeps the same start of its last line, logsample.ts): its time and its start are what is used. */
export const LOG_TAIL_BYTES = 16384;
/** Appended to a log line that a byte limit cut. */
export const CUT_MARK = ' … [line cut]';

/** Log text that a byte limit ended: the part after its last newline is a cut line, kept and marked. */
export function parseCutLog(text: string): LogLine[] {
  const nl = text.lastIndexOf('\n');
  const lines = parseLogLines(text.slice(0, nl + 1));
  for (const l of parseLogLines(text.slice(nl + 1))) lines.push({ ...l, text: l.text + CUT_MARK });
  return lines;
}

// RFC3339Nano as the kubelet writes it with timestamps=true (fraction optional, Z or offset).
const TS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))(?: (.*))?$/s;

/** `<RFC3339Nano> <text>` per line; lines without a timestamp (cut by limitBytes) are dropped. */
export function parseLogLines(body: string): LogLine[] {
  const out: LogLine[] = [];
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') continue;
    const m = TS.exec(line);
    if (m) out.push({ time: m[1], text: m[2] ?? '' });
  }
  return out;
}

/** A JSON `Status` body (what the log endpoint answers on errors), or null. */
export function statusFromBody(body: string): LogSample['error'] | null {
  const t = body.trimStart();
  if (!t.startsWith('{')) return null;
  try {
    const s = JSON.parse(t) as { kind?: string; code?: number; reason?: string; message?: string };
    if (s && s.kind === 'Status') return { code: s.code, reason: s.reason, message: s.message };
  } catch {
    // a log line that merely starts with "{"
  }
  return null;
}

/** The object an event is about, for either API. */
export function eventSubject(e: AnyEvent): { uid?: string; kind?: string; name?: string; namespace?: string } {
  const ref = (e as CoreEvent).involvedObject ?? (e as EventsV1Event).regarding ?? {};
  return { uid: ref.uid, kind: ref.kind, name: ref.name, namespace: ref.namespace ?? e.metadata?.namespace };
}

/** Events per pod index, in one pass: by uid, or by namespace/name for uid-less (hand-written) pods. */
export function matchEvents(pods: Pod[], events: AnyEvent[]): AnyEvent[][] {
  const byUid = new Map<string, number>();
  const byName = new Map<string, number>();
  pods.forEach((p, i) => {
    const m = p.metadata ?? {};
    if (m.uid) byUid.set(m.uid, i);
    else byName.set(`${m.namespace ?? ''}/${m.name ?? ''}`, i);
  });
  const out: AnyEvent[][] = pods.map(() => []);
  for (const e of events) {
    const s = eventSubject(e);
    let i = s.uid ? byUid.get(s.uid) : undefined;
    if (i === undefined && byName.size && (s.kind ?? 'Pod') === 'Pod') {
      i = byName.get(`${s.namespace ?? ''}/${s.name ?? ''}`) ?? byName.get(`/${s.name ?? ''}`);
    }
    if (i !== undefined) out[i].push(e);
  }
  return out;
}

/** Container names that have a current instance (containerID) and a previous one (lastState.terminated). */
export function logTargets(pod: Pod): { container: string; previous: boolean }[] {
  const st = pod.status ?? {};
  const out: { container: string; previous: boolean }[] = [];
  for (const cs of [...(st.initContainerStatuses ?? []), ...(st.containerStatuses ?? []), ...(st.ephemeralContainerStatuses ?? [])]) {
    if (!cs?.name) continue;
    const current = cs.containerID || cs.state?.running || cs.state?.terminated?.containerID;
    if (current) out.push({ container: cs.name, previous: false });
    if (cs.lastState?.terminated) out.push({ container: cs.name, previous: true });
  }
  return out;
}
