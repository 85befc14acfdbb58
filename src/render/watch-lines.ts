// watch lines: text (aligned columns, colour only when enabled) or one JSON object per line in the
// contract's key order. Streaming cannot know later widths: columns grow to the widest seen so far.
// Pure: the formatter's only state is those widths.
import type { WatchFact } from '../model/watch/facts.js';
import { wordWatch, type WatchLine } from './words/watch.js';
import { painter, type Painter, type Style } from './ansi.js';
import { escapeTerminal } from './sanitize.js';
import { wrap } from './format.js';
import { localTimes, wallClock } from './time.js';
import { TerminalLayout, type TerminalLayoutOptions } from './watch-terminal.js';

export type WatchOutput = 'text' | 'wide' | 'json';
export type { WatchLine };

const CONTRACT = ['time', 'namespace', 'pod', 'container', 'type', 'detail', 'source'] as const;

// The contract fixes the value sets of `type` (the timeline types plus Blocker) and `source`:
// the text-only lines (compact State, Termination summary, PodDeleted) are not JSON lines.
const JSON_TYPES = new Set<string>([
  'Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'StartupSucceeded', 'Ready', 'NotReady', 'ProbeFailed', 'Killing',
  'Terminated', 'BackOff', 'PodInitialized', 'PodReady', 'PodCompleted', 'DeletionRequested', 'Blocker', 'Log',
]);

/** Whether a line belongs to the `-o json` stream (contract types and sources only). */
export function isContractLine(l: WatchLine): boolean {
  return l.type === 'Blocker' || (JSON_TYPES.has(l.type) && l.source !== 'watch');
}

/** One JSON object, contract keys first, then the extras the line carries (code, cleared, order…). */
export function watchLineJson(l: WatchLine): string {
  const o: Record<string, unknown> = {};
  for (const k of CONTRACT) o[k] = l[k] ?? null;
  for (const [k, v] of Object.entries(l)) if (!(k in o) && v !== undefined) o[k] = v;
  return JSON.stringify(o);
}

/** The non-empty ones of three strings, two spaces apart. */
function joined(a: string, b: string, c: string): string {
  let out = a;
  if (b !== '') out = out === '' ? b : out + '  ' + b;
  if (c !== '') out = out === '' ? c : out + '  ' + c;
  return out;
}

function styleOf(l: WatchLine): Style | null {
  switch (l.type) {
    case 'Blocker': return l.cleared ? 'green' : 'red';
    case 'ProbeFailed': case 'BackOff': case 'NotReady': return 'yellow';
    case 'Killing': case 'DeletionRequested': case 'PodDeleted': return 'cyan';
    case 'Started': case 'StartupSucceeded': case 'Ready': case 'PodReady': case 'PodInitialized': return 'green';
    case 'Terminated': return /^exit 0\b|previous instance: exit 0\b/.test(l.detail) ? null : 'red';
    case 'Termination': return l.ordered === false || (l.killed?.length ?? 0) > 0 ? 'yellow' : 'green';
    case 'State': return 'bold';
    default: return null;
  }
}

export class WatchLineFormatter {
  // Starting widths that fit most pods and container names, so the first lines align with the rest.
  private podWidth = 24;
  private containerWidth = 14;
  // 22:56:19.361Z; a zone other than UTC (+05:30) or a date widen it, as names widen their columns
  private timeWidth = 13;
  private readonly paint: Painter;

  /**
   * wallClock through a small cache: dayjs takes ~25 µs a line, a fifth of a watch update at full
   * speed (scripts/bench/watch.ts), and lines of one moment share their second. The result depends
   * on the second, today's date in the zone (the cache is emptied when the minute of `now`
   * changes), and the sub-second digits, which wallClock copies from the string and are put back here.
   */
  private readonly clocks = new Map<string, { head: string; zone: string }>();
  /** The minute of `now` the cached clocks were made in (a new day changes how a time is shown). */
  private clocksMinute = '';
  /** The `now` the minute was last read from. */
  private clocksNow: string | undefined = undefined;

  private clock(t: string): string {
    // the API server's whole seconds need no regex (a line each, thousands a second)
    const whole = t.length === 20 && t.charCodeAt(19) === 90 && t.charCodeAt(10) === 84;
    const m = whole ? null : /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(t);
    const now = this.opts.now?.();
    if (!whole && !m) return wallClock(t, { utc: this.opts.utc, now }, 3);
    // the same `now` as the last line's (io.ts hands out one string a millisecond): same minute
    if (now !== this.clocksNow || now === undefined) {
      this.clocksNow = now;
      const minute = now?.slice(0, 16) ?? '';
      if (minute !== this.clocksMinute) {
        this.clocks.clear();
        this.clocksMinute = minute;
      }
    }
    // a whole-second time is its own key (no copy cut from it per line); else its seconds without
    // the Z (19 characters: never one of the former)
    const key = whole ? t : m![1];
    let v = this.clocks.get(key);
    if (v === undefined) {
      const base = whole ? t : `${key}Z`;
      const shown = wallClock(base, { utc: this.opts.utc, now }, 3);
      if (shown === base) return wallClock(t, { utc: this.opts.utc, now }, 3); // not a time: as is
      const z = /(Z|[+-]\d\d:\d\d)$/.exec(shown);
      v = z ? { head: shown.slice(0, z.index), zone: z[1] } : { head: shown, zone: '' };
      if (this.clocks.size >= 4096) this.clocks.clear();
      this.clocks.set(key, v);
    }
    // as wallClock: three digits, only when one of them is not 0
    const frac = m?.[2] && /[1-9]/.test(m[2]) ? m[2].slice(0, 4).padEnd(4, '0') : '';
    return `${v.head}${frac}${v.zone}`;
  }

  /** Set when stdout is a terminal (text and wide): watch-terminal.ts lays the lines out. */
  private readonly screen: TerminalLayout | null;

  /**
   * `width`: the terminal's (lines wrap under the detail column); unset or Infinity: whole lines, never cut.
   * `terminal`: stdout is a terminal of that width: the screen's layout (watch-terminal.ts).
   */
  constructor(private readonly opts: { output: WatchOutput; color: boolean; width?: number; utc?: boolean; now?: () => string; terminal?: Omit<TerminalLayoutOptions, 'wide' | 'utc' | 'now'> }) {
    this.paint = painter(opts.output !== 'json' && opts.color);
    this.screen = opts.terminal && opts.output !== 'json' && Number.isFinite(opts.terminal.width)
      ? new TerminalLayout({ ...opts.terminal, wide: opts.output === 'wide', utc: opts.utc, now: opts.now }, this.paint)
      : null;
  }

  /** The lines of these facts (words/watch.ts), one per fact, each ending in a newline. */
  format(facts: WatchFact[]): string {
    const lines = wordWatch(facts);
    const shown = this.opts.output === 'json' ? lines.filter(isContractLine) : lines;
    this.screen?.prepare(shown);
    let out = '';
    for (const l of shown) out += this.one(l) + '\n';
    return out;
  }

  private one(l: WatchLine): string {
    if (this.opts.output === 'json') return watchLineJson(l);
    // names, reasons, messages and log text are the cluster's: every field printed is escaped, on
    // one line (sanitize.ts); one by one, not the whole line copied (sanitizeDeep), thousands a second
    const esc = escapeTerminal;
    const p = this.paint;
    const pod = `${esc(l.namespace)}/${esc(l.pod)}`;
    const container = l.container === null ? '-' : esc(l.container);
    this.podWidth = Math.max(this.podWidth, pod.length);
    this.containerWidth = Math.max(this.containerWidth, container.length);
    const style = styleOf(l);
    const type = l.type === 'Blocker' ? (l.cleared ? 'Cleared' : 'Blocker') : l.type;
    const time = esc(this.clock(l.time));
    this.timeWidth = Math.max(this.timeWidth, time.length + (time.includes('.') ? 0 : 4));
    // times inside the sentence on the same clock as the line's own (time.ts localTimes)
    const detail = esc(localTimes(l.type === 'Blocker' ? (l.cleared ? `${l.code}` : `${l.code}: ${l.message ?? ''}`) : l.detail, { utc: this.opts.utc, now: this.opts.now?.() }));
    const kind = l.kind && l.kind !== 'app' ? `(${l.kind})` : '';
    if (this.screen) return this.screen.line(l, style, detail, kind);
    // strings added, not arrays joined: thousands of lines a second (scripts/bench/watch.ts)
    const head = time.padEnd(this.timeWidth) + '  ' + pod.padEnd(this.podWidth) + '  ' + container.padEnd(this.containerWidth) + '  '
      + (style ? p(style, type) : type) + ' '.repeat(Math.max(0, 17 - type.length));
    const width = this.opts.width ?? Infinity;
    const used = this.timeWidth + 2 + this.podWidth + 2 + this.containerWidth + 2 + Math.max(17, type.length);
    // An inferred time names its basis: never another container's log shown as this one's fact.
    const sourceText = l.source === 'watch' ? '' : l.estimate ? `estimate from ${esc(l.estimate.basis)}` : l.source;
    const plainTail = joined(kind, detail, sourceText);
    if (!Number.isFinite(width) || used + 1 + plainTail.length <= width) {
      const source = sourceText ? p('dim', sourceText) : '';
      const tail = source === sourceText ? plainTail : joined(kind, detail, source);
      return head + (tail ? ' ' + tail : '');
    }
    // on a terminal: the detail wraps under its own column; when the columns leave it less than 30,
    // the line is written compactly (one space apart) and continues 4 columns in
    if (used + 1 <= width - 30) return `${head} ${wrap(plainTail, width, used + 1, used + 1).join('\n')}`;
    const compact = [time, pod, container, style ? p(style, type) : type].join(' ');
    const lines = wrap(`${[time, pod, container, type].join(' ')} ${plainTail}`, width, 0, 4);
    const plainHead = [time, pod, container, type].join(' ');
    if (lines[0].startsWith(plainHead)) lines[0] = compact + lines[0].slice(plainHead.length);
    return lines.join('\n');
  }
}
