// Time helpers. Status and event times have 1-second precision, log times nanoseconds, eventTime
// microseconds: comparisons go through epoch milliseconds plus the raw string for sub-ms ties.

/** Parsed times: a pod's few times are read many times per derivation, and again on every update. */
const parsed = new Map<string, number | null>();
const PARSED_LIMIT = 4096;

/** Milliseconds since the epoch, or null for a missing or unparsable time. */
export function ms(t: string | null | undefined): number | null {
  if (typeof t !== 'string' || t === '') return null;
  // Date.parse was ~5% of the watch's CPU at full speed (scripts/bench/watch.ts). The API server
  // writes whole seconds in UTC: read from the digits, equal to Date.parse (test/model/time.test.ts).
  if (t.length === 20) {
    const v = wholeSecondUtc(t);
    if (v !== null) return v;
  }
  // Anything else through a Map of parsed times, cleared when full (at most PARSED_LIMIT strings).
  let v = parsed.get(t);
  if (v !== undefined) return v;
  const d = Date.parse(t);
  v = Number.isFinite(d) ? d : null;
  if (t.length > 64) return v; // no time is that long: never hold odd input
  if (parsed.size >= PARSED_LIMIT) parsed.clear();
  parsed.set(t, v);
  return v;
}

/** Two decimal digits at i, or NaN. */
function two(t: string, i: number): number {
  const a = t.charCodeAt(i) - 48;
  const b = t.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
}

/**
 * YYYY-MM-DDTHH:MM:SSZ in ranges Date.parse reads the same way, else null. Days since the epoch by
 * the civil-from-days arithmetic (http://howardhinnant.github.io/date_algorithms.html): Date.UTC
 * cost more than the Map it replaces. A day past the month's end rolls over, as in Date.parse.
 */
function wholeSecondUtc(t: string): number | null {
  if (t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58 || t.charCodeAt(19) !== 90) return null;
  const y = two(t, 0) * 100 + two(t, 2);
  const mo = two(t, 5);
  const d = two(t, 8);
  const h = two(t, 11);
  const mi = two(t, 14);
  const s = two(t, 17);
  // NaN fails every comparison
  if (!(y >= 1 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31 && h <= 23 && mi <= 59 && s <= 59)) return null;
  const yy = mo <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * ((mo + 9) % 12) + 2) / 5) + d - 1;
  const days = era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
  return (((days * 24 + h) * 60 + mi) * 60 + s) * 1000;
}

/** Nanosecond-resolution sort key (as a bigint-free string-comparable number pair). */
export function preciseKey(t: string | null | undefined): number {
  if (typeof t !== 'string') return Number.POSITIVE_INFINITY;
  const base = ms(t);
  if (base === null) return Number.POSITIVE_INFINITY;
  if (t.indexOf('.') < 0) return base; // no fraction: sort comparators call this thousands of times a second
  const frac = /\.(\d+)/.exec(t);
  // sub-millisecond digits (up to 6 more) as a fraction of a millisecond
  const sub = frac && frac[1].length > 3 ? Number('0.' + frac[1].slice(3, 9)) : 0;
  return base + sub;
}

/** The whole UTC second a time falls in (seconds since the epoch), or null. */
export function secondOf(t: string | null | undefined): number | null {
  const v = ms(t);
  return v === null ? null : Math.floor(v / 1000);
}

/** True when two times fall in the same UTC second (status times are truncated to seconds). */
export function sameSecond(a: string | null | undefined, b: string | null | undefined): boolean {
  const x = secondOf(a);
  return x !== null && x === secondOf(b);
}

/** Seconds from a to b (b - a), or null. */
export function secondsBetween(a: string | null | undefined, b: string | null | undefined): number | null {
  const x = ms(a), y = ms(b);
  return x === null || y === null ? null : (y - x) / 1000;
}

/** A time shifted by a number of seconds, as RFC 3339 (no sub-second digits when there are none). */
export function addSeconds(t: string, s: number): string {
  const v = ms(t);
  if (v === null) return t;
  // A deleting pod's request time (deletionTimestamp - grace) is worked out twice per update, and
  // again on its next updates: formatting a Date each time was ~0.6% of the watch's CPU.
  const key = `${s} ${t}`;
  let r = shifted.get(key);
  if (r !== undefined) return r;
  r = new Date(v + s * 1000).toISOString().replace('.000Z', 'Z');
  if (t.length > 64) return r; // no time is that long: never hold odd input (as ms())
  if (shifted.size >= PARSED_LIMIT) shifted.clear();
  shifted.set(key, r);
  return r;
}

/** addSeconds' answers by shift and time (at most PARSED_LIMIT, cleared when full). */
const shifted = new Map<string, string>();
