// From a PodLifecycle to Gantt rows: each container's runs, paired from the timeline's Started and
// Terminated entries and reconciled with the status (the source of truth for the current and previous
// instance). Several sources report the same moment (status at 1 s, event at 1 s, log at ns): entries
// close together from different sources are one moment, drawn at its most precise time.
import type { ContainerLifecycle, PodLifecycle, TimelineEntry, TimelineSource } from '../model/types.js';
import type { GanttRow, GanttSpan } from './gantt.js';
import { isPrecise, toMs } from './format.js';

/** IDX column: I0 (init), S1 (sidecar), A0 (app), E0 (ephemeral); legacy sidecars get a `*`. */
export function containerTag(c: Pick<ContainerLifecycle, 'kind' | 'index' | 'legacySidecar'>): string {
  const letter = { init: 'I', sidecar: 'S', app: 'A', ephemeral: 'E' }[c.kind] ?? '?';
  return `${letter}${c.index}${c.legacySidecar ? '*' : ''}`;
}

/** Two reports closer than this (status truncates to the second) describe the same moment. */
const SAME_MOMENT_MS = 1500;

interface Point {
  time: string;
  ms: number;
  source: TimelineSource;
}

function better(a: Point, b: Point): Point {
  // a log (or any sub-second) time beats a truncated one
  if (isPrecise(b.time) && !isPrecise(a.time)) return b;
  return a;
}

function point(time: string | null | undefined, source: TimelineSource): Point | null {
  const v = toMs(time);
  return v === null ? null : { time: time!, ms: v, source };
}

interface Run {
  start: Point | null;
  end: Point | null;
  exitCode: number | null;
}

/** Runs of one container from its timeline entries (Started / Terminated), oldest first. */
function runsFromTimeline(entries: TimelineEntry[]): Run[] {
  const runs: Run[] = [];
  const sorted = entries
    .filter((e) => e.type === 'Started' || e.type === 'Terminated')
    .map((e) => ({ e, ms: toMs(e.time) }))
    .filter((x): x is { e: TimelineEntry; ms: number } => x.ms !== null)
    .sort((a, b) => a.ms - b.ms || (a.e.type === 'Started' ? -1 : 1));
  for (const { e, ms } of sorted) {
    const pt: Point = { time: e.time, ms, source: e.source };
    const cur = runs[runs.length - 1];
    if (e.type === 'Started') {
      if (cur && !cur.end && cur.start && ms - cur.start.ms <= SAME_MOMENT_MS && cur.start.source !== e.source) {
        cur.start = better(cur.start, pt);
        continue;
      }
      runs.push({ start: pt, end: null, exitCode: null });
    } else {
      if (cur && cur.end && ms - cur.end.ms <= SAME_MOMENT_MS && cur.end.source !== e.source) {
        cur.end = better(cur.end, pt);
        cur.exitCode ??= e.exitCode ?? null;
        continue;
      }
      if (cur && !cur.end) {
        cur.end = pt;
        cur.exitCode = e.exitCode ?? null;
      } else runs.push({ start: null, end: pt, exitCode: e.exitCode ?? null });
    }
  }
  return runs;
}

function near(a: Point | null, b: Point | null): boolean {
  return !!a && !!b && Math.abs(a.ms - b.ms) <= SAME_MOMENT_MS;
}

/** Makes sure the instance the status describes is among the runs, with its exit code. */
function reconcile(runs: Run[], start: Point | null, end: Point | null, exitCode: number | null): Run {
  let r = runs.find((x) => (start && near(x.start, start)) || (end && near(x.end, end)));
  if (!r) {
    r = { start, end, exitCode };
    runs.push(r);
  } else {
    if (start) r.start = r.start ? better(r.start, start) : start;
    if (end) r.end = r.end ? better(r.end, end) : end;
    if (exitCode !== null) r.exitCode = exitCode;
  }
  return r;
}

function toSpan(r: Run, running: boolean): GanttSpan {
  return {
    start: r.start?.time ?? null,
    startSource: r.start?.source ?? null,
    end: running ? null : (r.end?.time ?? null),
    endSource: running ? null : (r.end?.source ?? null),
    running,
    exitCode: running ? null : r.exitCode,
  };
}

/** The rows of the startup chart: every container, every run it had. */
export function startupRows(lc: PodLifecycle): GanttRow[] {
  return lc.containers.map((c) => {
    const entries = lc.timeline.filter((e) => e.container === c.name);
    const runs = runsFromTimeline(entries);
    if (c.lastState) {
      reconcile(runs, point(c.lastState.startedAt, 'status'), point(c.lastState.finishedAt, 'status'), c.lastState.exitCode);
    }
    let current: Run | null = null;
    if (c.state === 'running' || c.state === 'terminated') {
      current = reconcile(
        runs,
        point(c.startedAt, 'status'),
        c.state === 'terminated' ? point(c.finishedAt, 'status') : null,
        c.state === 'terminated' ? c.exitCode : null,
      );
    }
    runs.sort((a, b) => (a.start?.ms ?? a.end?.ms ?? 0) - (b.start?.ms ?? b.end?.ms ?? 0));
    const spans = runs.map((r) => toSpan(r, r === current && c.state === 'running'));
    const marks = entries
      .filter((e) => e.type === 'Ready' && toMs(e.time) !== null)
      .map((e) => ({ time: e.time, kind: 'ready' as const, source: e.source, ...(e.estimate ? { estimate: true } : {}) }));
    return {
      name: c.name,
      tag: containerTag(c),
      kind: c.kind,
      spans,
      marks,
      waiting: c.state === 'waiting' ? (c.reason ?? 'waiting') : null,
    };
  });
}

/** The rows of the termination chart: from shutdown start to each container's exit. */
export function terminationRows(lc: PodLifecycle): GanttRow[] {
  const t = lc.termination;
  if (!t) return [];
  const byName = new Map(lc.containers.map((c) => [c.name, c]));
  return t.containers.map((tc) => {
    const c = byName.get(tc.name);
    const running = !tc.finishedAt && c?.state === 'running';
    const span: GanttSpan = {
      start: t.startedAt,
      startSource: null,
      end: tc.finishedAt,
      endSource: tc.finishedAt ? tc.source : null,
      running,
      exitCode: tc.exitCode,
      startMark: false,
    };
    return {
      name: tc.name,
      tag: c ? containerTag(c) : '?',
      kind: tc.kind,
      spans: [span],
      marks: [],
      waiting: null,
    };
  });
}
