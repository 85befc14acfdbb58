// What log samples tell about container instances. Log timestamps come from the CRI log record
// (RFC3339Nano): the only sub-second clock we have. Samples the server refused (`error`) say nothing.
import type { ContainerStatus } from './k8s.js';
import type { ContainerLogs, LogLine, LogSample } from './types.js';
import { ms, preciseKey } from './time.js';

function validLines(lines: unknown): LogLine[] {
  if (!Array.isArray(lines)) return [];
  return lines.filter((l): l is LogLine => !!l && typeof l === 'object' && typeof (l as LogLine).time === 'string' && ms((l as LogLine).time) !== null);
}

function textLines(lines: unknown): LogLine[] {
  return Array.isArray(lines) ? lines.filter((l): l is LogLine => !!l && typeof l === 'object' && typeof (l as LogLine).text === 'string') : [];
}

/** The sample when it holds usable lines, else null (refused, empty or malformed). */
export function usableSample(s: LogSample | null | undefined): LogSample | null {
  if (!s || typeof s !== 'object' || s.error) return null;
  if (validLines(s.head).length || validLines(s.tail).length) return s;
  // A bundle's log captured without timestamps still has text (the crash cause), no times.
  return s.untimestamped && (textLines(s.head).length || textLines(s.tail).length) ? s : null;
}

/** The sample's timestamped lines in time order (nanosecond keys), or [] without a usable sample. */
function timedLines(s: LogSample | null | undefined): LogLine[] {
  const u = usableSample(s);
  if (!u) return [];
  return [...validLines(u.head), ...validLines(u.tail)].sort((a, b) => preciseKey(a.time) - preciseKey(b.time));
}

/** The sample's timestamped lines written at or after `time` (RFC 3339), oldest first. */
export function linesSince(s: LogSample | null | undefined, time: string): LogLine[] {
  const from = preciseKey(time);
  return timedLines(s).filter((l) => preciseKey(l.time) >= from);
}

/** Time of the first line of the sample (the instance's first output). */
export function firstLineTime(s: LogSample | null | undefined): string | null {
  return timedLines(s)[0]?.time ?? null;
}

/** Time of the last line of the sample (the instance's last output). */
export function lastLineTime(s: LogSample | null | undefined): string | null {
  return timedLines(s).at(-1)?.time ?? null;
}

/** Text of the last line (e.g. "fatal: bad exporter config"), for evidence sentences. */
export function lastLineText(s: LogSample | null | undefined): string | null {
  const u = usableSample(s);
  if (!u) return null;
  if (u.untimestamped) {
    const lines = textLines(u.tail).length ? textLines(u.tail) : textLines(u.head);
    return lines.length ? lines[lines.length - 1].text : null;
  }
  const last = timedLines(u).at(-1);
  return last ? String(last.text ?? '') : null;
}

/**
 * Which sample belongs to which instance. Like the kubelet's validateContainerLogStatus: the
 * "current" log of a running or terminated container is that instance; of a container waiting to
 * restart, it is the last terminated instance (the same one `previous=true` returns).
 */
export function instanceSamples(logs: ContainerLogs | null | undefined, status: ContainerStatus | null): { current: LogSample | null; last: LogSample | null } {
  const l = logs && typeof logs === 'object' ? logs : {};
  const state = status?.state && typeof status.state === 'object' ? status.state : null;
  const waiting = !!state?.waiting && !state.running && !state.terminated;
  const current = usableSample(l.current);
  const previous = usableSample(l.previous);
  if (waiting) return { current: null, last: previous ?? current };
  return { current, last: previous };
}

/** Logs read from files captured without timestamps (LogSample.untimestamped): text, no order below 1 s. */
export function untimestampedLogs(logs: Record<string, ContainerLogs> | null | undefined): boolean {
  if (!logs || typeof logs !== 'object') return false;
  return Object.values(logs).some((l) => !!l && typeof l === 'object' && [l.current, l.previous].some((s) => !!s && typeof s === 'object' && s.untimestamped === true && !s.error));
}
