// Log samples from files: the head and the tail of each container log, never the whole of it.
// A plain file is read in two ranged reads (first LOG_HEAD_BYTES, last LOG_TAIL_BYTES); a stream
// (an archive entry, a section of `kubectl cluster-info dump`'s logs.txt) passes through a window
// that keeps only those bytes. Logs captured without timestamps (troubleshoot.sh and
// `kubectl cluster-info dump` read logs without timestamps=true) still give their first and last
// lines, with an empty time and the sample marked `untimestamped`.
import fs from 'node:fs';
import type { LogLine, LogSample } from '../model/types.js';
import { LOG_HEAD_BYTES, parseLogLines, statusFromBody } from './evidence.js';

/** Bytes kept from the end of a log: the last line (the crash cause) is in there. */
export const LOG_TAIL_BYTES = 64 * 1024;

const TIMESTAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)(?: |$)/;

const KUBELET_GONE = /^unable to retrieve container logs for \S+$/;

function lines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/**
 * A sample from the first bytes and the last bytes of a log of `total` bytes (head and tail may
 * overlap or be the same bytes for a short log). Timestamped when its first line starts with an
 * RFC 3339 time, as the kubelet writes with timestamps=true.
 */
export function sampleFromEnds(head: Buffer, tail: Buffer, total: number): LogSample {
  const headText = head.toString('utf8');
  if (total <= LOG_HEAD_BYTES) {
    const error = statusFromBody(headText);
    if (error) return { head: [], tail: [], error };
  }
  const first = lines(headText).find((l) => l !== '');
  if (first === undefined) return { head: [], tail: [] };
  // The kubelet's answer when the instance's log file is gone, with 200 and no timestamp (the
  // recording init-crashloop/crashlooping has one as db-check.previous.log): no log at all.
  if (total <= LOG_HEAD_BYTES && KUBELET_GONE.test(headText.trim())) return { head: [], tail: [], error: { message: headText.trim() } };
  const tailText = tail.toString('utf8');
  if (TIMESTAMPED.test(first)) return { head: parseLogLines(headText), tail: parseLogLines(tailText).slice(-1) };

  // No timestamps: the text of the first lines and of the last line, with no time of their own.
  const headLines = lines(headText);
  if (total > head.length && headLines.length > 1) headLines.pop(); // cut by the head's limit
  const tailLines = lines(tailText);
  if (total > tail.length && tailLines.length > 1) tailLines.shift(); // starts mid-line
  const line = (text: string): LogLine => ({ time: '', text });
  const last = tailLines.filter((l) => l !== '').slice(-1);
  return { head: headLines.filter((l) => l !== '').map(line), tail: last.map(line), untimestamped: true };
}

/** Head and tail of a log file on disk, in two ranged reads. */
export function sampleLogFile(file: string): LogSample {
  const fd = fs.openSync(file, 'r');
  try {
    const total = fs.fstatSync(fd).size;
    const head = Buffer.alloc(Math.min(LOG_HEAD_BYTES, total));
    const h = fs.readSync(fd, head, 0, head.length, 0);
    const tailLen = Math.min(LOG_TAIL_BYTES, total);
    const tail = Buffer.alloc(tailLen);
    const t = fs.readSync(fd, tail, 0, tailLen, total - tailLen);
    return sampleFromEnds(head.subarray(0, h), tail.subarray(0, t), total);
  } finally {
    fs.closeSync(fd);
  }
}

/** Keeps the first LOG_HEAD_BYTES and the last LOG_TAIL_BYTES of a stream of chunks. */
export class LogWindow {
  private head: Buffer[] = [];
  private headLen = 0;
  private tail: Buffer[] = [];
  private tailLen = 0;
  total = 0;

  write(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headLen < LOG_HEAD_BYTES) {
      const part = chunk.subarray(0, LOG_HEAD_BYTES - this.headLen);
      this.head.push(Buffer.from(part));
      this.headLen += part.length;
    }
    const keep = chunk.length > LOG_TAIL_BYTES ? chunk.subarray(chunk.length - LOG_TAIL_BYTES) : chunk;
    this.tail.push(Buffer.from(keep));
    this.tailLen += keep.length;
    while (this.tail.length > 1 && this.tailLen - this.tail[0].length >= LOG_TAIL_BYTES) this.tailLen -= this.tail.shift()!.length;
  }

  /** Bytes held now: at most LOG_HEAD_BYTES + 2 × LOG_TAIL_BYTES, whatever the stream's length. */
  get held(): number {
    return this.headLen + this.tailLen;
  }

  sample(): LogSample {
    const tail = Buffer.concat(this.tail);
    return sampleFromEnds(Buffer.concat(this.head), tail.subarray(Math.max(0, tail.length - LOG_TAIL_BYTES)), this.total);
  }
}

// `kubectl cluster-info dump` (staging/src/k8s.io/kubectl/pkg/cmd/clusterinfo/clusterinfo_dump.go):
// every container's log between these two lines, init containers first; logs read without
// timestamps and without previous=true; a failed read leaves one "... log request error: ..." line.
const SECTION = /^==== (START|END) logs for container (\S+) of pod ([^/\s]+)\/(\S+) ====\r?$/;
const LOG_ERROR = /^(?:Create log request error|Request log error): (.*)$/;

export interface DumpSection {
  namespace: string;
  pod: string;
  container: string;
  sample: LogSample;
}

/** A section's sample; a body that is only the dump's error line is the read's error. */
function sectionSample(w: LogWindow): LogSample {
  const s = w.sample();
  if (w.total < LOG_HEAD_BYTES && s.head.length === 1) {
    const m = LOG_ERROR.exec(s.head[0].text);
    if (m) return { head: [], tail: [], error: { message: m[1] } };
  }
  return s;
}

/**
 * Splits a stream into the dump's log sections and the bytes outside them (the JSON documents of
 * `cluster-info dump` on stdout). Memory: each section's window, the current line while it has no
 * newline yet (capped), and the outside bytes the caller asks to keep.
 */
export class DumpSplitter {
  private carry: Buffer = Buffer.alloc(0);
  private section: { namespace: string; pod: string; container: string; w: LogWindow } | null = null;
  readonly sections: DumpSection[] = [];
  private outside: Buffer[] = [];
  private outsideLen = 0;

  constructor(private keepOutside: boolean) {}

  write(chunk: Buffer): void {
    let buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, pos);
      if (nl === -1) break;
      const lineStart = pos;
      pos = nl + 1;
      // Only a line starting with "==== " can be a marker: test those, pass the rest through in bulk.
      if (buf[lineStart] !== 0x3d || buf.toString('latin1', lineStart, lineStart + 5) !== '==== ') {
        const next = buf.indexOf('\n==== ', nl);
        const end = next === -1 ? buf.lastIndexOf(0x0a) + 1 : next + 1;
        if (end > pos) pos = end;
        this.body(buf.subarray(lineStart, pos));
        continue;
      }
      const m = SECTION.exec(buf.toString('utf8', lineStart, nl));
      if (!m) {
        this.body(buf.subarray(lineStart, pos));
      } else if (m[1] === 'START') {
        this.close();
        this.section = { container: m[2], namespace: m[3], pod: m[4], w: new LogWindow() };
      } else {
        this.close();
      }
    }
    const rest = buf.subarray(pos);
    // A line with no newline yet: keep it until the next chunk, but never more than a window's worth.
    if (rest.length > LOG_TAIL_BYTES && rest[0] !== 0x3d) {
      this.body(rest);
      this.carry = Buffer.alloc(0);
    } else {
      this.carry = Buffer.from(rest);
    }
    buf = Buffer.alloc(0);
  }

  private body(b: Buffer): void {
    if (this.section) this.section.w.write(b);
    else if (this.keepOutside) {
      this.outside.push(Buffer.from(b));
      this.outsideLen += b.length;
    }
  }

  private close(): void {
    const s = this.section;
    if (!s) return;
    this.sections.push({ namespace: s.namespace, pod: s.pod, container: s.container, sample: sectionSample(s.w) });
    this.section = null;
  }

  /** Ends the stream; returns the bytes outside sections (empty unless kept). */
  end(): Buffer {
    if (this.carry.length) this.body(this.carry);
    this.carry = Buffer.alloc(0);
    this.close();
    const out = Buffer.concat(this.outside, this.outsideLen);
    this.outside = [];
    return out;
  }
}
