// Test helper: a recorded snapshot folder → PodEvidence per pod, read by the production -f loader
// (src/sources/files.ts loadFiles), so the model tests and `describe -f <snapshot>` read the same
// evidence: events of both event APIs matched to their pod, logs sampled head and tail, a JSON Status
// log being the server's refusal. Every snapshot is read once, when this module loads (~0.2 s), so
// the helpers stay synchronous.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ServerVersion } from '../../src/model/k8s.js';
import type { ModelContext, PodEvidence } from '../../src/model/types.js';
import type { Gathered } from '../../src/sources/evidence.js';
import { loadFiles } from '../../src/sources/files.js';

export const RECORDINGS = join(process.cwd(), 'test', 'fixtures', 'recordings');

export function scenarios(): { scenario: string; snapshot: string }[] {
  const out: { scenario: string; snapshot: string }[] = [];
  for (const s of readdirSync(RECORDINGS).sort()) {
    const snaps = join(RECORDINGS, s, 'snapshots');
    if (!existsSync(snaps)) continue;
    for (const n of readdirSync(snaps).sort()) out.push({ scenario: s, snapshot: n });
  }
  return out;
}

export const snapshotDir = (scenario: string, snapshot: string): string => join(RECORDINGS, scenario, 'snapshots', snapshot);

const loaded = new Map<string, Gathered>();
// The scenario's GET /version sits two levels up, outside the snapshot folder: named beside it, as a
// user names it (-f reads nothing outside the paths it is given).
const versionOf = (scenario: string) => [join(RECORDINGS, scenario, 'version.json')].filter((f) => existsSync(f));
for (const { scenario, snapshot } of scenarios()) loaded.set(`${scenario}/${snapshot}`, await loadFiles([snapshotDir(scenario, snapshot), ...versionOf(scenario)]));

/** What loadFiles read from `recordings/<scenario>/snapshots/<snapshot>` (shared: copy before editing). */
export function loadedSnapshot(scenario: string, snapshot: string): Gathered {
  const g = loaded.get(`${scenario}/${snapshot}`);
  if (!g) throw new Error(`no snapshot ${scenario}/${snapshot}`);
  return g;
}

export interface LoadOptions {
  /** Read logs from another snapshot of the same scenario (last-seen has none). */
  logsFrom?: string;
}

/** Every pod of `recordings/<scenario>/snapshots/<snapshot>` as evidence (a fresh copy). */
export function loadSnapshot(scenario: string, snapshot: string, opts: LoadOptions = {}): PodEvidence[] {
  const pods = structuredClone(loadedSnapshot(scenario, snapshot).pods);
  if (!opts.logsFrom) return pods;
  // as `describe -f` of the snapshot with the other one's logs: each pod's logs by its name
  const other = loadedSnapshot(scenario, opts.logsFrom).pods;
  return pods.map((ev) => {
    const from = other.find((o) => o.pod.metadata?.name === ev.pod.metadata?.name);
    return from ? { ...ev, logs: structuredClone(from.logs), sources: { ...ev.sources, logs: from.sources.logs } } : ev;
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
  const version: ServerVersion | null = loadedSnapshot(scenario, snapshot).version;
  const takenAt = join(snapshotDir(scenario, snapshot), 'taken-at');
  const now = existsSync(takenAt) ? readFileSync(takenAt, 'utf8').trim() : '2026-11-22T00:00:00Z';
  return { now, version };
}
