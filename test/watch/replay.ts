// Helpers for the watch tests: drive the replay API server's virtual clock, run the real executable
// against it, and derive the expected lines from the recorded streams themselves (fed, in receive
// order, to the same pure model), so that the engine is judged on what it delivers.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type Fault, type RunningApiServer } from '../apiserver/server.js';
import { loadScenario, RECORDINGS_DIR, type TimelineLine } from '../apiserver/recordings.js';
import { WatchTracker, type WatchLine } from '../../src/model/transitions.js';
import { isContractLine } from '../../src/render/watch-lines.js';
import { start } from '../cli/run.js';

/** Slow enough that the clock stands still between the test's advanceTo() calls. */
export const FROZEN = 1e-4;

export const SCENARIOS = [
  'app-crashloop', 'cronjob', 'deployment-mesh', 'image-pull-fail', 'init-crashloop', 'init-interleaved', 'istio-native',
  'job-legacy-sidecar', 'job-native-sidecar', 'job-retries', 'ordering', 'sidecar-crashloop', 'sidecar-liveness-fail',
  'sidecar-readiness-fail', 'sidecar-startup-slow', 'statefulset', 'unschedulable-requests',
];

export const iso = (t: number): string => new Date(Math.floor(t)).toISOString();

/** The recorded lines in the order the replay server applies them (receive time, then file order). */
export function timeline(scenario: string): TimelineLine[] {
  return loadScenario(scenario).timeline.map((l, i) => ({ l, i })).sort((a, b) => a.l.t - b.l.t || a.i - b.i).map((x) => x.l);
}

export function version(scenario: string): unknown {
  return JSON.parse(readFileSync(join(RECORDINGS_DIR, scenario, 'version.json'), 'utf8'));
}

/**
 * What `watch -o json` prints for the uninterrupted stream: the history of the initial lists, then
 * every line, contract line types only.
 */
export function reference(scenario: string): WatchLine[] {
  const tl = timeline(scenario);
  const start = tl[0].t;
  const now = iso(start);
  const tracker = new WatchTracker({ followEvidence: true, version: version(scenario) as never, history: true });
  const pods = new Map<string, any>();
  const events = new Map<string, any>();
  let i = 0;
  for (; i < tl.length && tl[i].t <= start; i++) {
    const l = tl[i];
    const m = l.stream === 'pods' ? pods : events;
    if (l.type === 'DELETED') m.delete(l.item.key);
    else m.set(l.item.key, l.item.obj);
  }
  const out = tracker.seed([...pods.values()], [...events.values()], now);
  for (; i < tl.length; i++) {
    const l = tl[i];
    if (l.stream === 'events') out.push(...tracker.event(l.item.obj, now));
    else out.push(...(l.type === 'DELETED' ? tracker.deleted(l.item.obj, now) : tracker.pod(l.item.obj, now)));
  }
  return out.filter(isContractLine);
}

/**
 * What must be equal between two runs whatever the interleaving of the pods and events streams:
 * estimated times and the wording of the first sighting may differ, identities may not.
 */
export function identity(l: WatchLine): string {
  const occurrence = ['Pulling', 'Pulled', 'Created', 'Killing', 'BackOff', 'ProbeFailed'].includes(l.type) ? `${l.time} ${l.detail}` : '';
  const term = l.type === 'Termination' ? (l.order ?? []).join('>') : '';
  const sec = l.type === 'Terminated' ? l.time.slice(0, 19) : '';
  return [l.pod, l.container ?? '-', l.type, l.code ?? '', l.cleared ? 'cleared' : '', occurrence, term, sec].join('|');
}

/** Blockers whose appearance depends on `now` (warm-up, overdue, long-running): re-judged at any update. */
export const TIME_DRIVEN = new Set(['ContainerNotReady', 'TerminationOverdue', 'InitContainerNotExiting', 'InitContainerRunning']);

/**
 * Compares a run with the reference. Every non-blocker line must match exactly (as a multiset).
 * Blockers are compared as a set: whether one flaps depends on whether an event or the pod status
 * arrives first, on two streams, in a live cluster too; and a time-driven blocker may show at any
 * update after its time has come, so extra ones of those codes are allowed.
 */
export function compare(got: WatchLine[], want: WatchLine[]): { lines: [string[], string[]]; missingBlockers: string[]; extraBlockers: string[] } {
  // Readiness of a restarting container: whether an instance shows Ready before its next crash
  // depends on which stream brings its news first; compared as a set like blockers.
  const flappy = (l: WatchLine) => l.type === 'Ready' || l.type === 'NotReady';
  const plain = (ls: WatchLine[]) => [...ls.filter((l) => l.type !== 'Blocker' && !flappy(l)).map(identity), ...new Set(ls.filter(flappy).map(identity))].sort();
  const blockers = (ls: WatchLine[]) => new Set(ls.filter((l) => l.type === 'Blocker').map(identity));
  const g = blockers(got);
  const w = blockers(want);
  return {
    lines: [plain(got), plain(want)],
    missingBlockers: [...w].filter((b) => !g.has(b)),
    extraBlockers: [...g].filter((b) => !w.has(b) && !TIME_DRIVEN.has(b.split('|')[3])),
  };
}

export const sorted = (lines: WatchLine[]): string[] => lines.map(identity).sort();

export interface Cli {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  lastOutputAt: () => number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], env: Record<string, string> = {}): Cli {
  const s = start(args, { env, timeoutMs: 25000 });
  return { child: s.child, stdout: s.stdout, stderr: s.stderr, lastOutputAt: s.lastOutputAt, exited: s.done.then(({ code, signal }) => ({ code, signal })) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until(cond: () => boolean, what: string, ms = 15000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Watch requests of a resource the server has answered so far. */
export function watches(srv: RunningApiServer, resource: 'pods' | 'events'): number {
  return srv.requests.filter((r) => r.query.watch === 'true' && r.path.endsWith(`/${resource}`)).length;
}

export async function quiet(cli: Cli, ms = 250): Promise<void> {
  await until(() => Date.now() - cli.lastOutputAt() >= ms, 'the output to settle');
}

export function parseLines(stdout: string): WatchLine[] {
  return stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as WatchLine);
}

export async function withServer<T>(scenario: string, faults: Fault[], f: (srv: RunningApiServer) => Promise<T>, speed = FROZEN): Promise<T> {
  const srv = await startApiServer({ scenarios: [scenario], mode: 'replay', speed, faults });
  try {
    return await f(srv);
  } finally {
    await srv.close();
  }
}

/** Bytes the server writes for these recorded lines on a core watch (the recorded JSON, one per line). */
export function bytesOf(lines: TimelineLine[]): number {
  return lines.reduce((n, l) => n + Buffer.byteLength(l.line) + 1, 0);
}
