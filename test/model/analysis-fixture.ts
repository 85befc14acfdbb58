// Builds a PodAnalysis straight from a recorded snapshot (pods.json, events.json, logs/, version.json,
// taken-at), so the rule modules can be tested on real data. Derived parts (summary, timeline…) are
// filled minimally: the rules under test read the raw pod, statuses, events and logs themselves.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { PodAnalysis } from '../../src/model/analysis.js';
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import type { CoreEvent, EventsV1Event, Pod, ServerVersion } from '../../src/model/k8s.js';
import type { ContainerLogs, LogLine, LogSample, ModelContext, PodEvidence, PodSummary } from '../../src/model/types.js';

const ROOT = new URL('../fixtures/recordings/', import.meta.url);

export function readJson<T = any>(rel: string): T {
  return JSON.parse(readFileSync(new URL(rel, ROOT), 'utf8')) as T;
}

export interface Snapshot {
  pods: Pod[];
  events: (CoreEvent | EventsV1Event)[];
  takenAt: string;
  version: ServerVersion;
  dir: string;
}

export function snapshot(scenario: string, name: string): Snapshot {
  const dir = `${scenario}/snapshots/${name}/`;
  const takenAtFile = new URL(`${dir}taken-at`, ROOT);
  return {
    pods: readJson(`${dir}pods.json`).items,
    events: readJson(`${dir}events.json`).items,
    takenAt: existsSync(takenAtFile) ? readFileSync(takenAtFile, 'utf8').trim() : '',
    version: readJson(`${scenario}/version.json`),
    dir,
  };
}

/** A recorded log file: timestamped lines, or the JSON Status / text error the server answered. */
function sample(body: string): LogSample {
  const trimmed = body.trim();
  if (trimmed.startsWith('{')) {
    try {
      const s = JSON.parse(trimmed);
      return { head: [], tail: [], error: { code: s.code, reason: s.reason, message: s.message } };
    } catch { /* fall through: not a Status */ }
  }
  const lines: LogLine[] = [];
  for (const l of body.split('\n')) {
    const m = /^(\d{4}-\d\d-\d\dT\S+Z) ?(.*)$/.exec(l);
    if (m) lines.push({ time: m[1], text: m[2] });
  }
  if (!lines.length && trimmed) return { head: [], tail: [], error: { message: trimmed } };
  return { head: lines, tail: lines.slice(-1) };
}

function logsFor(dir: string, podName: string): Record<string, ContainerLogs> {
  const url = new URL(`${dir}logs/`, ROOT);
  const out: Record<string, ContainerLogs> = {};
  if (!existsSync(url)) return out;
  for (const f of readdirSync(url)) {
    if (!f.startsWith(`${podName}.`)) continue;
    const rest = f.slice(podName.length + 1);
    const m = /^(.+?)(\.previous)?\.log$/.exec(rest);
    if (!m) continue;
    const entry = (out[m[1]] ??= {});
    const s = sample(readFileSync(new URL(f, url), 'utf8'));
    if (m[2]) entry.previous = s;
    else entry.current = s;
  }
  return out;
}

function minimalSummary(pod: Pod): PodSummary {
  const md = pod.metadata ?? {};
  const st = pod.status ?? {};
  return {
    namespace: md.namespace ?? '', name: md.name ?? '', uid: md.uid ?? '', node: pod.spec?.nodeName ?? null,
    phase: st.phase ?? 'Unknown', status: st.phase ?? 'Unknown', ready: '', restartPolicy: pod.spec?.restartPolicy ?? 'Always',
    createdAt: md.creationTimestamp ?? null, deletionTimestamp: md.deletionTimestamp ?? null,
    terminationGracePeriodSeconds: pod.spec?.terminationGracePeriodSeconds ?? 30, restarts: 0, lastRestartAt: null,
    startedAt: st.startTime ?? null, qosClass: st.qosClass ?? null, owner: null,
    conditions: (st.conditions ?? []).map((c) => ({
      type: c.type ?? '', status: c.status ?? '', reason: c.reason ?? null, message: c.message ?? null, lastTransitionTime: c.lastTransitionTime ?? null,
    })),
    reason: st.reason ?? null, message: st.message ?? null, finalizers: md.finalizers ?? [],
  };
}

export interface AnalysisOptions {
  pod?: string;
  /** Evaluate at this time instead of the snapshot's taken-at. */
  now?: string;
  version?: ServerVersion | null;
  /** Edit the (deep-copied) recorded pod / events before analysis; tests say what they change. */
  editPod?: (pod: Pod) => void;
  editEvents?: (events: (CoreEvent | EventsV1Event)[], pod: Pod) => (CoreEvent | EventsV1Event)[];
}

/** The evidence of one recorded pod (the first, or the one named) as the sources layer would gather it. */
export function evidenceFrom(scenario: string, snap: string, opts: AnalysisOptions = {}): { evidence: PodEvidence; ctx: ModelContext } {
  const s = snapshot(scenario, snap);
  const found = opts.pod ? s.pods.find((p) => p.metadata?.name === opts.pod) : s.pods[0];
  if (!found) throw new Error(`no pod ${opts.pod ?? ''} in ${scenario}/${snap}`);
  const pod: Pod = structuredClone(found);
  opts.editPod?.(pod);
  const uid = pod.metadata?.uid;
  let raw = structuredClone(s.events).filter((e) => ('involvedObject' in e ? e.involvedObject?.uid : (e as EventsV1Event).regarding?.uid) === uid);
  if (opts.editEvents) raw = opts.editEvents(raw, pod);
  return {
    evidence: { pod, events: raw, logs: logsFor(s.dir, pod.metadata?.name ?? ''), sources: { events: 'ok', logs: 'ok' } },
    ctx: { now: opts.now ?? s.takenAt, version: opts.version === undefined ? s.version : opts.version },
  };
}

/** A PodAnalysis of one recorded pod, from its own events only; derived parts minimal. */
export function analysisFrom(scenario: string, snap: string, opts: AnalysisOptions = {}): PodAnalysis {
  const { evidence, ctx } = evidenceFrom(scenario, snap, opts);
  const pod = evidence.pod;
  return {
    pod,
    classified: classifyContainers(pod),
    events: normalizeEvents(evidence.events),
    logs: evidence.logs,
    sources: evidence.sources,
    ctx,
    summary: minimalSummary(pod),
    containers: [],
    timeline: [],
    restarts: [],
    termination: null,
  };
}
