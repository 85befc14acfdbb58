// A text Gantt chart of container runs on a shared time axis: one row per container in lifecycle order.
// Every drawn time is also printed at the row's end with its source (status, condition, event, log),
// so each mark can be traced back to the evidence.
import type { TimelineSource } from '../model/types.js';
import { painter, type Painter, type Style } from './ansi.js';
import { columns, padColumns, splitColumns } from './width.js';
import { formatOffset, isPrecise, toMs } from './format.js';
import { wrapCell } from './layout.js';

/** One run of a container (one instance), or the stopping phase in a termination chart. */
export interface GanttSpan {
  start: string | null;
  startSource: TimelineSource | null;
  end: string | null;
  endSource: TimelineSource | null;
  /** Still running: the bar reaches "now" (or the window's edge) and ends with ▶. */
  running: boolean;
  exitCode: number | null;
  /** Draw ▲ at the start (false in termination charts, where the bar starts at shutdown). */
  startMark?: boolean;
}

export interface GanttMark {
  time: string;
  kind: 'ready';
  source: TimelineSource;
  /** The time is inferred (the timeline entry's `estimate`): printed as an estimate, never as a read. */
  estimate?: boolean;
}

export interface GanttRow {
  name: string;
  /** Short kind tag: I0, S1, A0, E0 (legacy sidecars A1*). */
  tag: string;
  kind: string;
  spans: GanttSpan[];
  marks: GanttMark[];
  /** Why nothing ran yet, or what the container waits for now: `PodInitializing`, `CrashLoopBackOff`. */
  waiting: string | null;
}

export interface GanttOptions {
  width: number;
  color: boolean;
  /** Time zero of the axis (RFC 3339). */
  origin: string;
  /** Where running bars end; without it they end at the last known time. */
  now?: string;
  /** Print the legend under the chart (false when the output prints it once for many charts). */
  legend?: boolean;
}

export const MIN_WIDTH = 60;
const NAME_MAX = 24;
const TRAIL_SEP = '  ';

export const LEGEND = '▲ started  ● ready  ■ exited 0  ✕ exited non-zero or killed  ? end unknown  ▶ still running';
/** The same legend for narrow terminals. */
export const LEGEND_SHORT = '▲start ●ready ■exit 0 ✕exit≠0/killed ?unknown ▶running';

const STEPS = [
  1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800,
];

/** Axis label for a tick at `s` seconds, in the unit the step calls for: 30s, 1m30s, 2h, 1d12h. */
export function axisLabel(s: number): string {
  if (s < 60) return `${s}s`;
  if (s < 3600) return s % 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s / 60}m`;
  if (s < 86400) return s % 3600 ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m` : `${s / 3600}h`;
  return s % 86400 ? `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h` : `${s / 86400}d`;
}

/** A tick step (seconds) that keeps labels about `minGap` columns apart. */
export function chooseStep(windowSeconds: number, barWidth: number, minGap = 8): number {
  const maxTicks = Math.max(1, Math.floor(barWidth / minGap));
  for (const step of STEPS) if (windowSeconds / step <= maxTicks) return step;
  return Math.ceil(windowSeconds / maxTicks / 86400) * 86400;
}

function offsetText(t: string, origin: number): string {
  const v = toMs(t)!;
  return formatOffset((v - origin) / 1000, isPrecise(t) ? 2 : 1);
}

function endGlyph(s: GanttSpan): string {
  if (s.exitCode === null) return '?';
  return s.exitCode === 0 ? '■' : '✕';
}

/** The row's closing text: `+1.0s → +2.0s status; ready +4.0s condition`. */
export function rowText(row: GanttRow, originMs: number): string {
  const spanTexts = row.spans.map((s) => {
    const tokens: [string, string | null][] = [];
    if (s.start && toMs(s.start) !== null) tokens.push([offsetText(s.start, originMs), s.startSource]);
    else tokens.push(['?', null]);
    if (s.running) tokens.push(['running', null]);
    else if (s.end && toMs(s.end) !== null) {
      // ■ already says exit 0; a non-zero code is evidence worth its characters
      const code = s.exitCode === null || s.exitCode === 0 ? '' : ` (exit ${s.exitCode})`;
      tokens.push([offsetText(s.end, originMs) + code, s.endSource]);
    } else tokens.push(['?', null]);
    // a source is named after the last time it covers: "+1.0s → +2.0s status", "+3.36s log → running"
    return tokens
      .map(([t, src], i) => (src && (i === tokens.length - 1 || tokens[i + 1][1] !== src) ? `${t} ${src}` : t))
      .join(' → ');
  });
  let parts = spanTexts;
  if (parts.length > 3) parts = [`${parts.length} runs, first ${parts[0]}`, `last ${parts[parts.length - 1]}`];
  const out = [...parts];
  // a ready mark at the very start of a run (no readiness probe) is already said by the start time
  const starts = row.spans.map((s) => toMs(s.start));
  const ready = row.marks.filter((m) => m.kind === 'ready' && !starts.includes(toMs(m.time)));
  if (ready.length) out.push(`ready ${ready.map((m) => `${m.estimate ? '~' : ''}${offsetText(m.time, originMs)} ${m.estimate ? `estimate from ${m.source}` : m.source}`).join(', ')}`);
  if (row.waiting && row.spans.length) out.push(`now waiting: ${row.waiting}`);
  if (!row.spans.length && row.waiting) return `waiting: ${row.waiting}`;
  if (!row.spans.length) return 'never started';
  return out.join('; ');
}

function clip(s: string, n: number): string {
  return columns(s) <= n ? s : `${splitColumns(s, n - 1)[0]}…`;
}

function labelOf(row: GanttRow, tagW = row.tag.length): string {
  return `${row.tag.padEnd(tagW)} ${clip(row.name, NAME_MAX)}`; // tags are ASCII (S0, A1)
}

interface Window {
  origin: number;
  end: number;
  /** Running bars stop at the edge: "now" lies beyond the drawn window. */
  capped: boolean;
  nowMs: number | null;
}

/** What the axis covers: from the origin to the last fact, or to now when now is not far beyond it. */
export function chartWindow(rows: GanttRow[], origin: string, now?: string): Window {
  const o = toMs(origin) ?? 0;
  const times: number[] = [];
  let running = false;
  for (const r of rows) {
    for (const s of r.spans) {
      for (const t of [s.start, s.end]) {
        const v = toMs(t);
        if (v !== null) times.push(v);
      }
      running ||= s.running;
    }
    for (const m of r.marks) {
      const v = toMs(m.time);
      if (v !== null) times.push(v);
    }
  }
  const last = Math.max(o, ...times);
  const nowMs = toMs(now);
  let end = last;
  let capped = false;
  if (running && nowMs !== null && nowMs > last) {
    // a pod that has run for days would squeeze its 20-second startup into one column: when now is
    // far beyond the last fact, the window ends a little after it and running bars end in ▶ at the edge
    if (nowMs - o <= 1.5 * (last - o) + 5000) end = nowMs;
    else {
      end = last + Math.max(1000, 0.15 * (last - o));
      capped = true;
    }
  }
  if (end - o < 1000) end = o + 1000;
  return { origin: o, end, capped, nowMs };
}

/** Draws the chart; returns the lines joined with newlines (no trailing newline). */
export function renderGantt(rows: GanttRow[], opts: GanttOptions): string {
  const p: Painter = painter(opts.color);
  const width = Math.max(MIN_WIDTH, Math.floor(opts.width) || MIN_WIDTH);
  const win = chartWindow(rows, opts.origin, opts.now);
  const tagW = Math.max(0, ...rows.map((r) => r.tag.length));
  const labelW = Math.max(4, ...rows.map((r) => columns(labelOf(r, tagW))));
  const texts = rows.map((r) => rowText(r, win.origin));
  const indent = 2;
  const free = width - indent - labelW - 2;
  // the trailing text gets at most 45% of what is left; longer texts wrap onto their own line
  let trailW = Math.min(Math.max(0, ...texts.map((t) => t.length)), Math.floor(free * 0.45));
  // when most texts would wrap anyway (narrow terminal), they all go below their bar and the bar gets the room
  if (texts.filter((t) => t.length > trailW).length * 2 > texts.length) trailW = 0;
  const barW = Math.max(20, free - (trailW ? trailW + TRAIL_SEP.length : 0));

  const windowS = (win.end - win.origin) / 1000;
  // labels need room: "1m10s" needs more than "10s"
  const step = chooseStep(windowS, barW, Math.max(8, axisLabel(Math.ceil(windowS)).length + 3));
  const axisEnd = Math.max(step, Math.ceil(windowS / step - 1e-9) * step);
  const col = (ms: number): number => {
    const c = Math.round(((ms - win.origin) / 1000 / axisEnd) * (barW - 1));
    return Math.min(barW - 1, Math.max(0, c));
  };

  const lines: string[] = [];
  rows.forEach((row, i) => {
    const glyph: string[] = new Array(barW).fill(' ');
    const style: (Style | null)[] = new Array(barW).fill(null);
    const put = (c: number, g: string, st: Style | null) => {
      glyph[c] = g;
      style[c] = st;
    };
    const barStyle: Style | null = row.kind === 'sidecar' ? 'cyan' : null;
    for (const s of row.spans) {
      const st = toMs(s.start);
      let en = toMs(s.end);
      if (s.running) en = win.capped || win.nowMs === null ? win.end : Math.min(win.nowMs, win.end);
      if (st === null && en === null) continue;
      const a = col(st ?? en!);
      const b = col(en ?? st!);
      for (let c = a; c <= b; c++) put(c, '━', barStyle);
      if (st !== null && s.startMark !== false) put(a, '▲', 'green');
      if (s.running) put(b, '▶', barStyle);
      else if (en === null) put(Math.min(barW - 1, a + (s.startMark === false ? 0 : 1)), '?', 'yellow');
      else if (en !== null) {
        const g = endGlyph(s);
        put(b, g, g === '✕' ? 'red' : g === '■' ? 'green' : 'yellow');
      }
    }
    for (const m of row.marks) {
      const v = toMs(m.time);
      if (v === null) continue;
      let c = col(v);
      // never hide a start or end mark: the ready dot moves to the next free bar cell
      while (c < barW - 1 && glyph[c] !== '━' && glyph[c] !== ' ') c++;
      if (glyph[c] === '━' || glyph[c] === ' ') put(c, '●', 'green');
    }
    let barText = glyph.map((g, c) => (style[c] ? p(style[c]!, g) : g)).join('');
    if (!row.spans.length && row.waiting) barText = p('yellow', padColumns(clip(`waiting: ${row.waiting}`, barW), barW));
    const label = padColumns(labelOf(row, tagW), labelW);
    const text = texts[i];
    const head = `${' '.repeat(indent)}${label}  ${barText}`;
    if (trailW && text.length <= trailW) lines.push(`${head}${TRAIL_SEP}${p('dim', text)}`.trimEnd());
    else {
      lines.push(head.trimEnd());
      // continuation lines under the bar, broken between runs ("; "), each clipped to the width
      const room = width - indent - labelW - 2;
      const chunks: string[] = [];
      for (const part of text.split('; ')) {
        const last = chunks.length - 1;
        if (last >= 0 && chunks[last].length + 2 + part.length <= room) chunks[last] += `; ${part}`;
        else chunks.push(part);
      }
      // a part longer than the room wraps (nothing is cut)
      for (const c of chunks) for (const l of wrapCell(c, Math.max(10, room))) lines.push(`${' '.repeat(indent + labelW + 2)}${p('dim', l)}`);
    }
  });

  // axis: ticks every `step` seconds, labels left-aligned under their tick, never overlapping
  const axis: string[] = new Array(barW).fill('─');
  let labels = '';
  for (let t = 0; t <= axisEnd + 1e-9; t += step) {
    const c = col(win.origin + t * 1000);
    axis[c] = '┬';
    const l = axisLabel(Math.round(t));
    const at = c === barW - 1 && t > 0 ? Math.max(c - l.length + 1, labels.length + 1) : c;
    if (at >= labels.length + (labels.length ? 1 : 0)) labels = labels.padEnd(at) + l;
  }
  const pad = ' '.repeat(indent + labelW + 2);
  lines.push(p('dim', `${pad}${axis.join('')}`));
  lines.push(p('dim', `${pad}${labels}`));
  const nowNote = win.capped && win.nowMs !== null ? ` (now ${formatOffset((win.nowMs - win.origin) / 1000, 0)})` : '';
  if (opts.legend === false) {
    if (nowNote) lines.push(p('dim', `${' '.repeat(indent)}▶ still running${nowNote}, beyond the chart's edge`));
    return lines.join('\n');
  }
  let legend = LEGEND + nowNote;
  if (legend.length > width - indent) legend = LEGEND_SHORT + nowNote;
  if (legend.length > width - indent) legend = `${LEGEND_SHORT}\n${' '.repeat(indent)}${nowNote.trim()}`;
  lines.push(p('dim', `${' '.repeat(indent)}${legend}`));
  return lines.join('\n');
}
