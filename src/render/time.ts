// Wall-clock times in text output, one way everywhere (dayjs): the local time zone, as kubectl
// describe prints it, or UTC with --utc; the date only when the day is not today's (at "now", in the
// same zone); the offset as RFC 3339 writes it (`Z`, `+01:00`). Sub-second digits are copied from the
// RFC 3339 string: a log's nanoseconds order events, and dayjs keeps only milliseconds.
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc.js';

dayjs.extend(utc);

export interface TimeStyle {
  /** --utc: print UTC instead of the local time zone. */
  utc?: boolean;
  /** "now" (RFC 3339): decides whether the date is needed. */
  now?: string;
}

function zoned(t: string, style: TimeStyle): dayjs.Dayjs {
  return style.utc ? dayjs.utc(t) : dayjs(t);
}

/**
 * `22:56:16Z`, `23:56:16+01:00`, `2026-11-21 22:56:16Z` when not today; `digits` sub-second digits
 * when the time has non-zero ones (2 in headings, 3 in watch lines). Unparsable input comes back as is.
 */
export function wallClock(t: string | null | undefined, style: TimeStyle = {}, digits = 2): string {
  if (typeof t !== 'string' || !t) return '?';
  const d = zoned(t, style);
  if (!d.isValid()) return t;
  const m = /T\d\d:\d\d:\d\d(\.\d+)?/.exec(t);
  const frac = m?.[1] && /[1-9]/.test(m[1]) ? m[1].slice(0, digits + 1).padEnd(digits + 1, '0') : '';
  const offset = d.utcOffset() === 0 ? 'Z' : d.format('Z');
  const today = style.now && zoned(style.now, style).isValid() ? zoned(style.now, style).format('YYYY-MM-DD') : null;
  const date = today === d.format('YYYY-MM-DD') ? '' : `${d.format('YYYY-MM-DD')} `;
  return `${date}${d.format('HH:mm:ss')}${frac}${offset}`;
}

const RFC3339_IN_TEXT = /\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)(?![\w:])/g;

/**
 * A sentence of render/words (shared with JSON, where times stay RFC 3339 as read) with each time a
 * person reads shown as wallClock shows it, so one line never mixes two clocks (`--utc`, local zone).
 * Text in double quotes is the cluster's own (a log line, a message) and is left as quoted.
 */
export function localTimes(text: string, style: TimeStyle): string {
  if (!text.includes('T')) return text;
  return text.split('"').map((part, i) => (i % 2 === 1 ? part : part.replace(RFC3339_IN_TEXT, (t) => wallClock(t, style)))).join('"');
}
