// Fitting text to the terminal's width (Infinity when output is not a terminal and COLUMNS is unset:
// then nothing wraps). Nothing is ever cut: cells and prose wrap, words longer than a line are split.
// Per-pod tables go through cli-table3 (multi-line cells, kubectl's borderless look); the many-pod
// summary keeps a linear printer, because cli-table3's layout time grows with the square of the rows
// (docs/performance.md, "Why our own code").
import Table from 'cli-table3';
import { stripAnsi } from './ansi.js';
import { cells as charsOf, columns } from './width.js';

export const GAP = 3;

/**
 * Column widths that fit `width` (gaps included): the natural widths when they fit; otherwise the
 * widest columns give way first, never below their minimum (a header word, a short value).
 */
export function fitColumns(natural: number[], mins: number[], width: number, gap = GAP): number[] {
  const w = [...natural];
  const total = () => w.reduce((a, b) => a + b, 0) + gap * Math.max(0, w.length - 1);
  if (!Number.isFinite(width) || total() <= width) return w;
  let over = total() - width;
  while (over > 0) {
    let best = -1;
    for (let i = 0; i < w.length; i++) if (w[i] > mins[i] && (best < 0 || w[i] > w[best])) best = i;
    if (best < 0) break; // every column at its minimum: the line stays wider than the terminal
    // shrink the widest down to the next widest (or as much as needed) in one step
    let next = mins[best];
    for (let i = 0; i < w.length; i++) if (i !== best && w[i] < w[best] && w[i] > next) next = w[i];
    const cut = Math.min(over, w[best] - next || 1, w[best] - mins[best]);
    w[best] -= cut;
    over -= cut;
  }
  return w;
}

/**
 * Word-wraps one cell to `width` columns: words kept whole where they fit, longer ones split.
 * A cell with colour codes that needs wrapping loses its colour (codes cannot be split safely).
 */
export function wrapCell(cell: string, width: number, breaks?: string): string[] {
  if (!Number.isFinite(width) || columns(cell) <= width) return [cell];
  const text = stripAnsi(cell);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/ +/)) {
    const cs = charsOf(word);
    const chars = cs.map((c) => c.text);
    const wordW = columns(word);
    if (line && columns(line) + 1 + wordW <= width) {
      line += ` ${word}`;
      continue;
    }
    if (line) lines.push(line);
    line = '';
    // a word longer than the line breaks where its segments meet (after - / , . : _, or before a
    // capital in CamelCase), else at the width (in columns: a wide character takes two); one pass
    // over its characters
    let from = 0;
    let left = wordW;
    while (left > width) {
      let fit = from; // characters from `from` that fit the width
      for (let used = 0; fit < cs.length && (used + cs[fit].width <= width || fit === from); fit++) used += cs[fit].width;
      let at = fit;
      for (let k = fit; k > from; k--) if (breaks ? breaks.includes(chars[k - 1]) : boundary(chars, k)) { at = k; break; }
      lines.push(chars.slice(from, at).join(''));
      for (let k = from; k < at; k++) left -= cs[k].width;
      from = at;
    }
    line = chars.slice(from).join('');
  }
  if (line || !lines.length) lines.push(line);
  return lines;
}

/** Whether a word may break before chars[k]: after a separator, or inside CamelCase. */
function boundary(chars: string[], k: number): boolean {
  if (k <= 0 || k >= chars.length) return false;
  const a = chars[k - 1], b = chars[k];
  return '-/,.:_'.includes(a) || (/[a-z0-9]/.test(a) && /[A-Z]/.test(b));
}

/** Segments of a cell: the pieces a word breaks into at boundaries. */
const SEGMENTS = /[^\s\-/,.:_]+[\-/,.:_]?/g;

/**
 * Where an image reference (registry/repository:tag@sha256:digest) may break: after '/', ':' and
 * '@' only, so a host name (cr.fluentbit.io), a repository (fluent-bit) or a digest stays whole.
 */
export const REFERENCE_BREAKS = '/:@';

/** A reference column's minimum: its longest piece between REFERENCE_BREAKS, whole (never split). */
function referenceMinWidth(column: string[], header: string | undefined): number {
  const head = header ? Math.max(...header.split(' ').map((w) => w.length)) : 1;
  let longest = 0;
  for (const c of column) for (const seg of stripAnsi(c).match(/[^/:@]+[/:@]?|[/:@]/g) ?? []) longest = Math.max(longest, [...seg].length);
  return Math.max(head, longest, 1);
}

/** The width a column cannot go below: its header's longest word, and name segments kept whole. */
function minWidth(column: string[], header: string | undefined): number {
  const head = header ? Math.max(...header.split(' ').map((w) => w.length)) : 1;
  let longest = 0;
  for (const c of column) {
    for (const seg of stripAnsi(c).match(SEGMENTS) ?? []) {
      // CamelCase codes (LegacySidecarBlocksCompletion) break between their words
      for (const part of seg.split(/(?<=[a-z0-9])(?=[A-Z])/)) longest = Math.max(longest, columns(part));
    }
  }
  // a segment up to 12 columns (a state, a time, a name part) stays whole; longer ones may split
  return Math.max(head, Math.min(longest, 12), 1);
}

const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' '.repeat(GAP),
};

interface Layout { widths: number[]; gap: number }

const sum = (w: number[], gap: number) => w.reduce((a, b) => a + b, 0) + gap * Math.max(0, w.length - 1);

/**
 * How a table fits `width`: natural widths; else narrower columns, words broken only between their
 * segments (rec-job-/legacy-sidecar, Legacy/SidecarBlocks); the same two spaces apart; else null
 * (no table fits: the caller prints one block per row).
 */
function layout(head: string[] | undefined, rows: string[][], natural: number[], width: number, protect: number[] = [], references: number[] = []): Layout | null {
  if (!Number.isFinite(width) || sum(natural, GAP) <= width) return { widths: natural, gap: GAP };
  const col = (i: number) => rows.map((r) => r[i] ?? '');
  const mins = natural.map((n, i) => Math.min(n, (references.includes(i) ? referenceMinWidth : minWidth)(col(i), head?.[i])));
  // the name columns give way last: first the prose columns (STATE, IMAGE, BLOCKERS) wrap
  const kept = mins.map((m, i) => (protect.includes(i) ? natural[i] : m));
  for (const gap of [GAP, 2]) {
    for (const m of [kept, mins]) {
      const widths = fitColumns(natural, m, width, gap);
      if (sum(widths, gap) <= width) return { widths, gap };
    }
  }
  return null;
}

/** No table fits: each row as its first `title` cells (`NAMESPACE NAME`), then `HEADER value` pairs flowed under it. */
function blocks(head: string[], rows: string[][], width: number, title = 2): string {
  return rows.map((r) => {
    const first = flow(r.slice(0, title), width, 2, 0, ' ');
    const pairs = r.slice(title).map((c, i) => `${head[i + title]} ${c}`);
    return `${first}\n  ${flow(pairs, width, 2, 2)}`;
  }).join('\n');
}

/** Natural widths (visible columns) per column over all rows. */
function naturalWidths(rows: string[][]): number[] {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, columns(c))));
  return widths;
}

/**
 * A per-pod table (tens of rows) with cli-table3: kubectl's borderless look, columns three spaces
 * apart, cells wrapped to fit `width`. Cells are wrapped here, so cli-table3 never cuts one (`…`).
 */
export function podTable(head: string[], rows: string[][], width: number, noHeaders = false, references: number[] = []): string {
  const all = noHeaders ? rows : [head, ...rows];
  const natural = naturalWidths(all);
  const fit = layout(noHeaders ? undefined : head, rows, natural, width, [0, 1], references);
  if (!fit) return blocks(head, rows, width);
  const { widths, gap } = fit;
  const wrapped = all.map((r) => r.map((c, i) => wrapCell(c, widths[i], references.includes(i) ? REFERENCE_BREAKS : undefined)));
  // Cells on one line each (every table piped, most on a terminal): the linear printer draws the
  // same bytes, and cli-table3 is not even loaded (scripts/build.mjs makes it lazy: ~start-up cost)
  if (wrapped.every((r) => r.every((c) => c.length <= 1))) return linearLines(wrapped, widths, gap);
  const t = new Table({
    chars: { ...BORDERLESS, middle: ' '.repeat(gap) },
    style: { head: [], border: [], 'padding-left': 0, 'padding-right': 0, compact: true },
    colWidths: widths,
    wordWrap: false,
  });
  // cli-table3's time grows with the square of a cell's lines too (2,000 lines: 4 s): a runaway cell
  // (a 256 KB message) goes through the linear printer, which draws the same table
  if (wrapped.reduce((n, r) => n + Math.max(...r.map((c) => c.length)), 0) > LINES_FOR_CLI_TABLE) return linearLines(wrapped, widths, gap);
  for (const r of wrapped) t.push(r.map((c) => c.join('\n')));
  return t.toString().split('\n').map((l) => l.trimEnd()).join('\n');
}

const LINES_FOR_CLI_TABLE = 200;

/** Whether a table's rows fit `width` at their natural widths (nothing to wrap). */
export function fitsWhole(head: string[], rows: string[][], width: number): boolean {
  return !Number.isFinite(width) || sum(naturalWidths([head, ...rows]), GAP) <= width;
}

/** Rows of wrapped cells, padded to `widths`, `gap` apart: one pass. */
function linearLines(rows: string[][][], widths: number[], gap: number): string {
  const out: string[] = [];
  for (const cells of rows) {
    const height = Math.max(...cells.map((c) => c.length));
    for (let k = 0; k < height; k++) {
      out.push(cells.map((c, i) => {
        const v = c[k] ?? '';
        return v + ' '.repeat(Math.max(0, widths[i] - columns(v)) + gap);
      }).join('').trimEnd());
    }
  }
  return out.join('\n');
}

/**
 * The same look for any number of rows in one linear pass (the many-pod summary): columns padded to
 * their width plus three spaces; when the width is limited, long cells wrap onto continuation lines.
 */
export function linearTable(head: string[], rows: string[][], width: number, noHeaders = false, nameCol = 1): string {
  const all = noHeaders ? rows : [head, ...rows];
  const natural = naturalWidths(all);
  const fits = !Number.isFinite(width) || sum(natural, GAP) <= width;
  const fit = fits ? { widths: natural, gap: GAP } : layout(noHeaders ? undefined : head, rows, natural, width, [nameCol]);
  if (!fit) return blocks(head, rows, width, nameCol + 1);
  const { widths, gap } = fit;
  return linearLines(all.map((r) => (fits ? r.map((c) => [c]) : r.map((c, i) => wrapCell(c, widths[i])))), widths, gap);
}

/**
 * Items joined with three spaces (a header line), broken onto new lines indented by `indent` when the
 * next item would pass `width`; an item longer than a line is word-wrapped.
 */
export function flow(items: string[], width: number, indent: number, first = 0, sep = '   '): string {
  const lines: string[] = [];
  let line = '';
  let used = first;
  for (const item of items) {
    const w = columns(item);
    if (line && used + sep.length + w > width) {
      lines.push(line);
      line = '';
      used = indent;
    }
    if (line) {
      line += sep + item;
      used += sep.length + w;
    } else if (used + w <= width) {
      line = item;
      used += w;
    } else {
      const parts = wrapCell(item, Math.max(10, width - used));
      lines.push(...parts.slice(0, -1));
      line = parts[parts.length - 1];
      used = indent + columns(line);
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l)).join('\n');
}
