// --v=6 and above: one line per request on stderr, in kubectl's own shape (client-go's
// round_trippers at -v=6, as kubectl 1.32 prints it with a kubeconfig):
//   I1208 01:17:59.319960   11801 round_trippers.go:632] "Response" verb="GET" url="https://host/api?timeout=32s" status="200 OK" milliseconds=17
// klog's header (severity, MMDD, local time to the microsecond, pid padded to 7, file:line), then
// klog's key/value pairs. Never a credential: only the URL is printed, without any user:password
// part (tokens go in headers, which are never logged). A request that got no answer has status "".
import { STATUS_CODES } from 'node:http';

/** Where request lines go, and from which verbosity (kubectl logs requests from -v=6). */
export interface RequestLog {
  verbosity: number;
  line: (text: string) => void;
}

export const REQUEST_LOG_VERBOSITY = 6;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** klog's header for an info line, at `atMs` (ms since the epoch, fractional) in local time; file:line names our transport. */
export function klogHeader(atMs: number, pid = process.pid): string {
  const at = new Date(Math.floor(atMs));
  const micros = pad(Math.floor((atMs * 1000) % 1_000_000), 6);
  return `I${pad(at.getMonth() + 1)}${pad(at.getDate())} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}.${micros} ${String(pid).padStart(7)} http.ts:0]`;
}

/** The URL as logged: no user:password (a kubeconfig server may carry them). */
function safeUrl(url: URL): string {
  if (!url.username && !url.password) return url.href;
  const u = new URL(url.href);
  u.username = '';
  u.password = '';
  return u.href;
}

/** One request's line: the status when the server answered (`200 OK`), nothing when it did not. */
export function requestLine(url: URL, status: number | null, ms: number, at = performance.timeOrigin + performance.now()): string {
  const st = status === null ? '' : `${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
  // klog quotes string values as Go's strconv.Quote does (JSON's escapes, for what a URL holds)
  return `${klogHeader(at)} "Response" verb="GET" url=${JSON.stringify(safeUrl(url))} status=${JSON.stringify(st)} milliseconds=${Math.floor(ms)}`;
}

/** Logs one request when the verbosity asks for it; returns what to call when it ends. */
export function startRequest(log: RequestLog | undefined, url: URL): (status: number | null) => void {
  if (!log || log.verbosity < REQUEST_LOG_VERBOSITY) return () => undefined;
  const t0 = performance.now();
  let done = false;
  return (status) => {
    if (done) return;
    done = true;
    log.line(requestLine(url, status, performance.now() - t0));
  };
}
