// Shared text helpers for the renderers: relative offsets, kubectl ages, message truncation.
// Pure: "now" and origins are always parameters.

import { ms as toMs } from '../model/time.js';
import { columns, chunkColumns } from './width.js';

/** Milliseconds since the epoch, or null for a missing or unparsable time (one parser: model/time.ts). */
export { toMs };

/** True when the time string carries sub-second digits (a log or eventTime refined it). */
export function isPrecise(t: string | null | undefined): boolean {
  return typeof t === 'string' && /T\d\d:\d\d:\d\d\.\d*[1-9]/.test(t);
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/**
 * An offset in seconds as `+1.0s`, `+13.38s`, `+2m03s`, `+1h02m`, `-0.4s`.
 * `decimals` applies below one minute: 1 for second-precision sources (status, events), 2 when a log
 * timestamp refined the time, so the reader sees which times are exact.
 */
export function formatOffset(seconds: number, decimals = 1): string {
  const sign = seconds < 0 ? '-' : '+';
  const a = Math.abs(seconds);
  // round first so that 59.96s does not print as "+60.0s"
  const rounded = Number(a.toFixed(decimals));
  if (rounded < 60) return `${sign}${rounded.toFixed(decimals)}s`;
  const whole = Math.round(a);
  if (whole < 3600) return `${sign}${Math.floor(whole / 60)}m${pad2(whole % 60)}s`;
  if (whole < 86400) return `${sign}${Math.floor(whole / 3600)}h${pad2(Math.floor((whole % 3600) / 60))}m`;
  return `${sign}${Math.floor(whole / 86400)}d${pad2(Math.floor((whole % 86400) / 3600))}h`;
}

/** The offset of `t` from `origin`, with 2 decimals when `t` is log-precise; null when either is unknown. */
export function offsetFrom(origin: string | null | undefined, t: string | null | undefined): string | null {
  const o = toMs(origin), v = toMs(t);
  if (o === null || v === null) return null;
  return formatOffset((v - o) / 1000, isPrecise(t) ? 2 : 1);
}

/**
 * kubectl's AGE (k8s.io/apimachinery duration.HumanDuration): 45s, 119s, 3m12s, 45m, 3h5m, 30h, 3d4h, 45d, 2y3d.
 * Also every duration in blocker, advice and verdict sentences (render/words/), so a sentence and
 * the "(for …)" beside it say one duration the same way.
 */
export function humanDuration(seconds: number): string {
  const s = Math.floor(seconds);
  if (s < -1) return '<invalid>';
  if (s < 0) return '0s';
  if (s < 120) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) return s % 60 === 0 ? `${minutes}m` : `${minutes}m${s % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const days = Math.floor(hours / 24);
  if (hours < 24 * 365 * 8) return days % 365 === 0 ? `${Math.floor(days / 365)}y` : `${Math.floor(days / 365)}y${days % 365}d`;
  return `${Math.floor(days / 365)}y`;
}

/** Age of `t` at `now` the kubectl way, or `<unknown>` like kubectl when `t` is missing. */
export function age(t: string | null | undefined, now: string): string {
  const v = toMs(t), n = toMs(now);
  if (v === null || n === null) return '<unknown>';
  return humanDuration((n - v) / 1000);
}

/** "2m ago" (kubectl's RESTARTS suffix style), or null when unknown. */
export function ago(t: string | null | undefined, now: string): string | null {
  const v = toMs(t), n = toMs(now);
  if (v === null || n === null) return null;
  return `${humanDuration((n - v) / 1000)} ago`;
}

/**
 * A duration in seconds for prose: kubectl's humanDuration (the one duration format of the output),
 * rounded to the second, with a tenth below 10 s where it is known (0.4s, 2.5s, 12s, 3m12s, 45m).
 * (It printed offsets' 2m03s before: two formats for one duration, issue 14.)
 */
export function span(seconds: number): string {
  const a = Math.max(0, seconds);
  // 9.96 rounds to 10.0: printed as 10s, like every value from 10 s on
  if (a < 9.95 && !Number.isInteger(a)) return `${a.toFixed(1)}s`;
  return humanDuration(Math.round(a));
}

/**
 * Word-wraps plain text to `width` columns: the first line has `first` columns already used
 * (a label), the others are indented by `indent`. Words longer than a line are split.
 */
export function wrap(text: string, width: number, first: number, indent: number): string[] {
  const room = Math.max(20, width - indent);
  const lines: string[] = [];
  let line = '';
  let used = first;
  for (let word of text.replace(/\s+/g, ' ').trim().split(' ')) {
    if (columns(word) > room) {
      if (line) { lines.push(line); line = ''; used = indent; }
      const pieces = chunkColumns(word, room);
      word = pieces.pop()!;
      lines.push(...pieces);
    }
    if (line && used + columns(line) + 1 + columns(word) > width) {
      lines.push(line);
      line = word;
      used = indent;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : ' '.repeat(indent) + l));
}

/** `cpu=100m,memory=128Mi`, or `-` for none. */
export function resourceList(r: Record<string, string> | null | undefined): string {
  const keys = r ? Object.keys(r) : [];
  return keys.length ? keys.map((k) => `${k}=${r![k]}`).join(',') : '-';
}

/** "a", "a and b", "a, b and c". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** The command that shows a container's log in full (the sentences quote one line of it). */
export function logsCommand(l: { pod: string; container: string; namespace: string | null; previous: boolean }): string {
  return `kubectl logs ${l.pod} -c ${l.container}${l.previous ? ' --previous' : ''}${l.namespace ? ` -n ${l.namespace}` : ''}`;
}
