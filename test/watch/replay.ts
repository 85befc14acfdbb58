// Helpers for the watch tests: drive the replay API server's virtual clock and run the real
// executable against it. The expected lines are golden transcripts (golden.ts), not the model's own.
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { startApiServer, type Fault, type RunningApiServer } from '../apiserver/server.js';
import { loadScenario, type TimelineLine } from '../apiserver/recordings.js';
import type { WatchLine } from '../../src/render/words/watch.js';
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
