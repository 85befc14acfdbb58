// watch lines laid out for a terminal (stdout is one): four columns fitted to its width (time,
// pod/container, event, detail), the detail wrapped under its own column, never under the time.
// Piped output is render/watch-lines.ts's one whole line per event; this file is only the screen's.
// Invariants: no printed line is wider than `width`; the time column shows one format (wallClock
// without its date: a day that is not today is said once, on a line of its own, when it changes);
// sub-second digits only on times the evidence gave them (never on the watch's own clock).
import type { WatchLine } from './words/watch.js';
import type { Painter, Style } from './ansi.js';
import { escapeTerminal } from './sanitize.js';
import { wrap } from './format.js';
import { wallClock } from './time.js';

/** The detail column is never narrower than this; below it the line is written compactly. */
const MIN_DETAIL = 22;

export interface TerminalLayoutOptions {
  width: number;
  utc?: boolean;
  now?: () => string;
  /** -o wide: the source word as the last thing of the detail. */
  wide: boolean;
  /** Names are printed without this namespace (the watch's only one). */
  namespace?: string;
  /** One pod is watched: its name is the header, lines carry only the container. */
  pod?: { namespace: string; name: string };
}

/** Cuts the middle of a name too wide for its column (`first-sid…ecar`). */
function fitName(s: string, w: number): string {
  if (s.length <= w) return s;
  if (w <= 1) return '…'.slice(0, w);
  const tail = Math.floor((w - 1) / 2);
  return `${s.slice(0, w - 1 - tail)}…${s.slice(s.length - tail)}`;
}

/** A pod/container too wide for its column: the pod's middle is cut first, the container kept whole. */
function fitWho(who: string, container: string, w: number): string {
  if (who.length <= w || container === '') return fitName(who, w);
  const room = w - container.length - 1;
  return room >= 8 ? `${fitName(who.slice(0, who.length - container.length - 1), room)}/${container}` : fitName(who, w);
}

/** The event column of `watch --logs` lines: stern's + and - for a stream that starts and ends. */
const LOG_WORDS: Partial<Record<WatchLine['type'], string>> = { Log: 'log', LogStart: '+ log', LogEnd: '- log' };

const PALETTE: Style[] = ['cyan', 'green', 'magenta', 'yellow', 'blue'];

/** One colour per container name, the same on every line. */
function colourOf(container: string): Style {
  let h = 0;
  for (let i = 0; i < container.length; i++) h = (h * 31 + container.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

/** Times the watch stamped with its own clock: whole seconds, the clock's milliseconds are no evidence. */
function ownClock(l: WatchLine): boolean {
  // a State line of a container not started yet is stamped with the watch's clock too
  return l.source === 'watch' || l.type === 'State';
}

export class TerminalLayout {
  /** Starts wide enough for most pod/container names (set in the constructor): the columns seldom move. */
  private nameWidth: number;
  /** DeletionRequested, the longest type: the columns never move for a type. */
  private typeWidth = 17;
  /** The time column: whole seconds, milliseconds (events and logs have them) and zone (Z; +05:30 widens it). */
  private timeWidth = 13;
  private headerDone = false;
  private lastDay: string | null = null;

  constructor(private readonly opts: TerminalLayoutOptions, private readonly paint: Painter) {
    // the zone's width from the start (Z, or +05:30 in a local zone): the columns never move for it
    const now = opts.now?.();
    if (now) this.timeWidth = Math.max(this.timeWidth, wallClock(now.replace(/\.\d+/, ''), { utc: opts.utc, now }).length + 4);
    // one pod: the column holds container names only
    this.nameWidth = Math.min(this.nameCap(), opts.pod ? 14 : 28);
  }

  /** The widest pod/container of a batch (the initial state), so its lines align from the first. */
  prepare(lines: WatchLine[]): void {
    let w = this.nameWidth;
    for (const l of lines) w = Math.max(w, this.who(l).length);
    this.nameWidth = Math.max(this.nameWidth, Math.min(this.nameCap(), w));
  }

  /** The pod/container column's most, so that the detail keeps MIN_DETAIL. */
  private nameCap(): number {
    return Math.max(8, this.opts.width - this.timeWidth - this.typeWidth - 5 - MIN_DETAIL);
  }

  /** The time of day (zone included), and the day when it is not today's. */
  private time(l: WatchLine): { clock: string; day: string | null } {
    const now = this.opts.now?.();
    const t = ownClock(l) ? l.time.replace(/\.\d+(?=Z|[+-]\d\d:\d\d$)/, '') : l.time;
    const shown = wallClock(t, { utc: this.opts.utc, now }, 3);
    const m = /^(\d{4}-\d\d-\d\d) (.*)$/.exec(shown);
    return m ? { clock: m[2], day: m[1] } : { clock: shown, day: null };
  }

  private who(l: WatchLine): string {
    const container = l.container === null ? '' : escapeTerminal(l.container);
    if (this.opts.pod) return container;
    const pod = this.opts.namespace === l.namespace ? escapeTerminal(l.pod) : `${escapeTerminal(l.namespace)}/${escapeTerminal(l.pod)}`;
    return container ? `${pod}/${container}` : pod;
  }

  /** The header printed once before the first line when one pod is watched. */
  private header(): string {
    if (this.headerDone || !this.opts.pod) return '';
    this.headerDone = true;
    return this.paint('bold', fitName(`${escapeTerminal(this.opts.pod.namespace)}/${escapeTerminal(this.opts.pod.name)}`, this.opts.width)) + '\n';
  }

  /** A day line when the day changes to one that is not today (or back to today after one). */
  private dayLine(day: string | null): string {
    const key = day ?? 'today';
    if (key === this.lastDay || (this.lastDay === null && day === null)) {
      this.lastDay = key;
      return '';
    }
    this.lastDay = key;
    return this.paint('dim', `── ${day ?? 'today'} ──`) + '\n';
  }

  /** One line (or several when its detail wraps), ending without a newline. */
  line(l: WatchLine, style: Style | null, detail: string, kind: string): string {
    const p = this.paint;
    const width = this.opts.width;
    const { clock, day } = this.time(l);
    const pre = this.header() + this.dayLine(day);
    const esc = escapeTerminal;
    const type = l.type === 'Blocker' ? (l.cleared ? 'Cleared' : 'Blocker') : LOG_WORDS[l.type] ?? l.type;
    this.timeWidth = Math.max(this.timeWidth, clock.replace(/\.\d+/, '').length + 4);
    const timeWidth = this.timeWidth;
    this.typeWidth = Math.max(this.typeWidth, type.length);
    const who = this.who(l);
    // grows to the widest name seen, never shrinks (the columns stay where they were)
    this.nameWidth = Math.max(this.nameWidth, Math.min(this.nameCap(), who.length));
    const name = fitWho(who, l.container === null || this.opts.pod ? '' : escapeTerminal(l.container), this.nameWidth);
    const source = l.estimate ? `estimate from ${esc(l.estimate.basis)}` : this.opts.wide && l.source !== 'watch' ? l.source : '';
    const text = [kind, detail].filter(Boolean).join(' ');
    const used = timeWidth + 2 + this.nameWidth + 2 + this.typeWidth + 1;
    const typeCell = (style ? p(style, type) : type) + ' '.repeat(Math.max(0, this.typeWidth - type.length));
    if (width - used >= MIN_DETAIL) {
      // a log line's pod/container in its container's colour (stern's habit), the others plain
      const nameCell = l.type in LOG_WORDS ? p(colourOf(l.container ?? ''), name) + ' '.repeat(this.nameWidth - name.length) : name.padEnd(this.nameWidth);
      const head = p('dim', clock.padEnd(timeWidth)) + '  ' + nameCell + '  ' + typeCell + ' ';
      const rows = text === '' ? [''] : wrap(text, width, used, used);
      if (source) {
        // the source after the text, dimmed, on the text's last row when it fits, else below it
        const lastLen = (rows.length === 1 ? used : 0) + rows[rows.length - 1].length;
        if (text !== '' && lastLen + 2 + source.length <= width) rows[rows.length - 1] += '  ' + p('dim', source);
        else if (text === '') rows[0] = wrap(source, width, used, used).map((r) => p('dim', r)).join('\n');
        else rows.push(...wrap(source, width, used, used).map((r, i) => (i === 0 ? ' '.repeat(used) : '') + p('dim', r)));
      }
      return pre + head + rows.join('\n');
    }
    // too narrow for four columns: the head on one line, the text wrapped 2 columns in below it
    const head = [p('dim', clock), name, style ? p(style, type) : type].join(' ');
    const body = [text, source].filter(Boolean).join('  ');
    return pre + head + (body ? '\n' + wrap(body, width, 2, 2).map((r, i) => (i === 0 ? '  ' + r : r)).join('\n') : '');
  }
}
