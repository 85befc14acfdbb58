// A container log file (-f DIR: logs/POD.CONTAINER[.previous].log) sampled as the API reads are
// (evidence.ts): its first LOG_HEAD_BYTES and its last line, by ranged reads. A log file is never
// read whole: support bundles hold logs of gigabytes, and a string over ~512 MiB cannot even be
// made (issue 13 #6).
import fs from 'node:fs';
import type { LogSample } from '../model/types.js';
import { LOG_HEAD_BYTES, LOG_TAIL_BYTES, parseCutLog, parseLogLines, sampleFromFullLog, statusFromBody } from './evidence.js';

/** How far back from the end the last timestamped line is looked for. */
const TAIL_SCAN_BYTES = 1024 * 1024;

function readRange(fd: number, start: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

export function sampleFromLogFile(file: string): LogSample {
  const fd = fs.openSync(file, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const headBytes = readRange(fd, 0, Math.min(size, LOG_HEAD_BYTES));
    const headText = headBytes.toString('utf8');
    const error = statusFromBody(headText);
    if (error) return { head: [], tail: [], error };
    if (size <= LOG_HEAD_BYTES) return sampleFromFullLog(headText);
    const head = parseCutLog(headText);
    // The last line with a timestamp, in a window from the end that grows until one starts inside it.
    for (let window = 64 * 1024; ; window *= 2) {
      const start = Math.max(0, size - Math.min(window, TAIL_SCAN_BYTES));
      const text = readRange(fd, start, size - start).toString('utf8');
      const lines = text.split('\n');
      if (start > 0) lines.shift(); // began mid-line
      for (let i = lines.length - 1; i >= 0; i--) {
        const l = lines[i];
        if (l.trim() === '') continue;
        const parsed = Buffer.byteLength(l) > LOG_TAIL_BYTES ? parseCutLog(Buffer.from(l).subarray(0, LOG_TAIL_BYTES).toString('utf8')) : parseLogLines(l);
        if (parsed.length) return { head, tail: parsed };
      }
      if (start === 0 || window >= TAIL_SCAN_BYTES) return { head, tail: [] };
    }
  } finally {
    fs.closeSync(fd);
  }
}
