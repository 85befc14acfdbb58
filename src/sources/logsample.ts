// Log samples from files: the head and the last line of each container log, never the whole of it.
// A plain file is read in ranged reads (the first LOG_HEAD_BYTES; the start of its last line, found
// from the end); a stream (an archive entry, a section of `kubectl cluster-info dump`'s logs.txt)
// passes through a window that keeps only those bytes. As on the API path (api.ts readLog:
// tailLines=1 with limitBytes), the last line is kept from its start, at most LOG_TAIL_BYTES, and
// marked when cut. Logs captured without timestamps (troubleshoot.sh and `kubectl cluster-info
// dump` read logs without timestamps=true) still give their first and last lines, with an empty
// time and the sample marked `untimestamped`.
import fs from 'node:fs';
import type { LogLine, LogSample } from '../model/types.js';
import { CUT_MARK, LOG_HEAD_BYTES, LOG_TAIL_BYTES, parseCutLog, parseLogLines, statusFromBody } from './evidence.js';

const TIMESTAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)(?: |$)/;

const KUBELET_GONE = /^unable to retrieve container logs for \S+$/;

function lines(text: string): string[] {
  return text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}

/** The start of a log's last non-empty line (at most LOG_TAIL_BYTES), and whether the line is longer. */
export interface LastLine {
  bytes: Buffer;
  cut: boolean;
}

/**
 * A sample from the first bytes of a log of `total` bytes and its last line (head and last line may
 * be the same bytes for a short log). Timestamped when its first line starts with an RFC 3339
 * time, as the kubelet writes with timestamps=true.
 */
export function sampleFromEnds(head: Buffer, last: LastLine | null, total: number): LogSample {
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
  const lastText = last ? last.bytes.toString('utf8') : '';
  if (TIMESTAMPED.test(first)) return { head: parseLogLines(headText), tail: (last?.cut ? parseCutLog(lastText) : parseLogLines(lastText)).slice(-1) };

  // No timestamps: the text of the first lines and of the last line, with no time of their own.
  const headLines = lines(headText);
  if (total > head.length && headLines.length > 1) headLines.pop(); // cut by the head's limit
  const line = (text: string): LogLine => ({ time: '', text });
  const tail = last && lastText !== '' ? [line(last.cut ? lastText + CUT_MARK : lastText)] : [];
  return { head: headLines.filter((l) => l !== '').map(line), tail, untimestamped: true };
}

const SCAN = 64 * 1024;

/** Head and last line of a log file on disk: one read at the start, reads backwards from the end. */
export function sampleLogFile(file: string): LogSample {
  const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { head: [], tail: [] };
    const total = st.size;
    const head = Buffer.alloc(Math.min(LOG_HEAD_BYTES, total));
    const h = fs.readSync(fd, head, 0, head.length, 0);
    return sampleFromEnds(head.subarray(0, h), lastLineOfFile(fd, total), total);
  } finally {
    fs.closeSync(fd);
  }
}

/** The last non-empty line's start: its end found from the file's end, its start by reading back to the newline before it. */
function lastLineOfFile(fd: number, total: number): LastLine | null {
  const buf = Buffer.alloc(SCAN);
  let end = total; // exclusive end of the line
  let start = -1; // position of the line's first byte, once found
  for (let pos = total; pos > 0 && start === -1; ) {
    const from = Math.max(0, pos - SCAN);
    const n = fs.readSync(fd, buf, 0, pos - from, from);
    let i = n; // bytes of this chunk before the line's end
    if (end === pos) {
      while (i > 0 && (buf[i - 1] === 0x0a || buf[i - 1] === 0x0d)) i--; // trailing newlines
      end = from + i;
    }
    const nl = i > 0 ? buf.lastIndexOf(0x0a, i - 1) : -1;
    if (nl !== -1 && nl < i) start = from + nl + 1;
    pos = from;
  }
  if (start === -1) start = 0;
  if (end <= start) return null;
  const len = Math.min(end - start, LOG_TAIL_BYTES);
  const bytes = Buffer.alloc(len);
  const n = fs.readSync(fd, bytes, 0, len, start);
  return { bytes: bytes.subarray(0, n), cut: end - start > LOG_TAIL_BYTES };
}

/** Keeps the first LOG_HEAD_BYTES of a stream and the start of its last line (LOG_TAIL_BYTES at most). */
export class LogWindow {
  private head: Buffer[] = [];
  private headLen = 0;
  /** The line being read: its first bytes, and its whole length. */
  private line: Buffer[] = [];
  private lineKept = 0;
  private lineLen = 0;
  private last: LastLine | null = null;
  total = 0;

  write(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.headLen < LOG_HEAD_BYTES) {
      const part = chunk.subarray(0, LOG_HEAD_BYTES - this.headLen);
      this.head.push(Buffer.from(part));
      this.headLen += part.length;
    }
    let pos = 0;
    for (;;) {
      const nl = chunk.indexOf(0x0a, pos);
      this.append(chunk.subarray(pos, nl === -1 ? chunk.length : nl));
      if (nl === -1) break;
      this.endLine();
      pos = nl + 1;
    }
  }

  private append(part: Buffer): void {
    if (this.lineKept < LOG_TAIL_BYTES && part.length) {
      const keep = part.subarray(0, LOG_TAIL_BYTES - this.lineKept);
      this.line.push(Buffer.from(keep));
      this.lineKept += keep.length;
    }
    this.lineLen += part.length;
  }

  private endLine(): void {
    let bytes = Buffer.concat(this.line, this.lineKept);
    let len = this.lineLen;
    if (len === bytes.length && bytes[bytes.length - 1] === 0x0d) {
      bytes = bytes.subarray(0, -1);
      len--;
    }
    if (len > 0) this.last = { bytes, cut: len > LOG_TAIL_BYTES };
    this.line = [];
    this.lineKept = 0;
    this.lineLen = 0;
  }

  /** Bytes held now: at most LOG_HEAD_BYTES + 2 × LOG_TAIL_BYTES, whatever the stream's length. */
  get held(): number {
    return this.headLen + this.lineKept + (this.last?.bytes.length ?? 0);
  }

  sample(): LogSample {
    if (this.lineLen > 0) this.endLine();
    return sampleFromEnds(Buffer.concat(this.head), this.last, this.total);
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

  /** Bytes kept outside sections so far. */
  get outsideBytes(): number {
    return this.outsideLen;
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
