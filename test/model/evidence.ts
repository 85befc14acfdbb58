// Test helper: a recorded snapshot folder → PodEvidence per pod, as the sources layer would build
// it (pods.json; events from both event APIs, this pod's only; logs read with timestamps=true,
// a JSON Status file being the server's refusal). Pure file reading, test-only.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreEvent, EventsV1Event, Pod, ServerVersion } from '../../src/model/k8s.js';
import type { ContainerLogs, LogSample, ModelContext, PodEvidence } from '../../src/model/types.js';

export const RECORDINGS = join(process.cwd(), 'test', 'fixtures', 'recordings');

function readJson<T>(path: string): T | null {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : null;
}

/** One log file → a LogSample: every line as head, the last one as tail (tailLines=1). */
export function parseLogFile(text: string): LogSample {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const s = JSON.parse(trimmed) as { code?: number; reason?: string; message?: string };
      return { head: [], tail: [], error: { code: s.code, reason: s.reason, message: s.message } };
    } catch {
      // not a Status: fall through and read it as lines
    }
  }
  const lines = text.split('\n').filter((l) => l.length > 0).map((l) => {
    const sp = l.indexOf(' ');
    return sp > 0 ? { time: l.slice(0, sp), text: l.slice(sp + 1) } : { time: l, text: '' };
  });
  return { head: lines, tail: lines.slice(-1) };
}

function logsFor(dir: string, podName: string): Record<string, ContainerLogs> {
  const out: Record<string, ContainerLogs> = {};
  const logDir = join(dir, 'logs');
  if (!existsSync(logDir)) return out;
  for (const f of readdirSync(logDir)) {
    if (!f.startsWith(podName + '.') || !f.endsWith('.log')) continue;
    const rest = f.slice(podName.length + 1, -'.log'.length);
    const previous = rest.endsWith('.previous');
    const container = previous ? rest.slice(0, -'.previous'.length) : rest;
    const sample = parseLogFile(readFileSync(join(logDir, f), 'utf8'));
    out[container] = { ...out[container], [previous ? 'previous' : 'current']: sample };
  }
  return out;
}

export interface LoadOptions {
  /** Read logs from another snapshot of the same scenario (last-seen has none). */
  logsFrom?: string;
}

/** Every pod of `recordings/<scenario>/snapshots/<snapshot>` as evidence. */
export function loadSnapshot(scenario: string, snapshot: string, opts: LoadOptions = {}): PodEvidence[] {
  const dir = join(RECORDINGS, scenario, 'snapshots', snapshot);
  const pods = readJson<{ items: Pod[] }>(join(dir, 'pods.json'))?.items ?? [];
  const core = readJson<{ items: CoreEvent[] }>(join(dir, 'events.json'))?.items ?? [];
  const v1 = readJson<{ items: EventsV1Event[] }>(join(dir, 'events.k8s.io.json'))?.items ?? [];
  const logDir = opts.logsFrom ? join(RECORDINGS, scenario, 'snapshots', opts.logsFrom) : dir;
  return pods.map((pod) => {
    const uid = pod.metadata?.uid;
    const events = [...core.filter((e) => e.involvedObject?.uid === uid), ...v1.filter((e) => e.regarding?.uid === uid)];
    const logs = logsFor(logDir, pod.metadata?.name ?? '');
    const hasLogs = existsSync(join(logDir, 'logs'));
    return { pod, events, logs, sources: { events: 'ok', logs: hasLogs ? 'ok' : 'skipped' } };
  });
}

export function loadPod(scenario: string, snapshot: string, name?: string, opts: LoadOptions = {}): PodEvidence {
  const all = loadSnapshot(scenario, snapshot, opts);
  const ev = name ? all.find((e) => e.pod.metadata?.name === name) : all[0];
  if (!ev) throw new Error(`no pod ${name ?? ''} in ${scenario}/${snapshot}`);
  return ev;
}

/** The context the recording was made in: its server version, and "now" = when the snapshot was taken. */
export function contextOf(scenario: string, snapshot: string): ModelContext {
  const version = readJson<ServerVersion>(join(RECORDINGS, scenario, 'version.json'));
  const takenAt = join(RECORDINGS, scenario, 'snapshots', snapshot, 'taken-at');
  const now = existsSync(takenAt) ? readFileSync(takenAt, 'utf8').trim() : '2026-11-22T00:00:00Z';
  return { now, version };
}

export function scenarios(): { scenario: string; snapshot: string }[] {
  const out: { scenario: string; snapshot: string }[] = [];
  for (const s of readdirSync(RECORDINGS).sort()) {
    const snaps = join(RECORDINGS, s, 'snapshots');
    if (!existsSync(snaps)) continue;
    for (const n of readdirSync(snaps).sort()) out.push({ scenario: s, snapshot: n });
  }
  return out;
}
