// The raw GET transport over node:http(s) for one resolved kubeconfig context: URLs, bounded
// bodies, streaming watch lines, and bounded retries. The plugin only reads, so only GET is ever
// sent, and every request is idempotent: 429, 5xx and broken connections are retried, bounded.
// What a failure is and says: errors.ts; the credential and the agent a request goes out on: auth.ts.
// Our own client rather than client-node's generated API classes, so that list pages stream into
// the model and are let go page by page (docs/performance.md, "Why our own code").
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import type { ResolvedConfig } from './kubeconfig.js';
import { ApiError, formatBytes, netError, oneLineText, type RequestInfo, type RequestPlace, statusError, timeoutError, type TransportReason, transportError } from './errors.js';
import { type AuthOptions, RequestAuth } from './auth.js';
import { type RequestLog, startRequest } from './request-log.js';
import { guardConnection } from './dial-timeouts.js';
import { Backoff, BACKOFF, classify } from './retry.js';

export type Query = Record<string, string | number | boolean | undefined>;

/**
 * Bodies are read up to a limit (after gzip, so a small compressed bomb is bounded too), never
 * whole and then judged: memory stays bounded whatever a server sends (issue 13 #9).
 * --max-response-size raises it, up to what one JavaScript string can hold for JSON.parse.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;
export const MAX_BODY_BYTES_FLAG = 512 * 1024 * 1024;
export const MAX_BODY_BYTES_LIMIT = MAX_BODY_BYTES_FLAG - 1024;
/** One watch line is one object: etcd keeps objects under 1.5 MiB by default; far beyond is not a watch. */
export const MAX_WATCH_LINE_BYTES = 16 * 1024 * 1024;
/** An error answer's body is a Status (or a proxy's page): its start says enough. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

/**
 * The budget of one request's retries (retry.ts decides which failures, and how long each wait is:
 * client-go's back-off, the watch's too). Bounded: a describe ends, however the server behaves.
 */
export interface RetryPolicy {
  attempts: number;
  /** The first wait (retry.ts BACKOFF.initialMs). */
  baseDelayMs: number;
  /** Longest single wait, Retry-After included. */
  maxDelayMs: number;
  /** Give up when the next wait would pass this much time since the first attempt. */
  totalMs: number;
}

/** Waits of 0.8-1.6, 1.6-3.2 and 3.2-6.4 s between four attempts: within 12 s whatever the jitter. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: BACKOFF.initialMs, maxDelayMs: 5000, totalMs: 12000 };

export interface HttpClientOptions extends AuthOptions {
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** The largest response body read (--max-response-size); DEFAULT_MAX_BODY_BYTES if unset. */
  maxBodyBytes?: number;
  /** --v: one line per request from -v=6 (request-log.ts). */
  log?: RequestLog;
  /** Where a notice goes (a request still unanswered after 30 s: dial-timeouts.ts). */
  warn?: (line: string) => void;
}

/** How much of a body to read: beyond `max`, fail (a list, one JSON document) or keep the start (a log). */
interface BodyLimit {
  max: number;
  truncate: boolean;
}

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  /** The body was cut at the limit (truncate mode). */
  cut?: boolean;
}

export function buildQuery(query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** GET-only client for one resolved kubeconfig context. */
export class HttpClient {
  readonly server: URL;
  private readonly retry: RetryPolicy;
  private readonly auth: RequestAuth;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly opts: HttpClientOptions = {},
  ) {
    this.server = new URL(config.server);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
    this.auth = new RequestAuth(config, this.server, opts);
  }

  /** GET and parse JSON (one JSON.parse of the whole body). */
  async getJSON<T>(path: string, query: Query, info: RequestInfo): Promise<T> {
    const res = await this.withRetry(path, query, info, true, { max: this.maxBody, truncate: false });
    return res.json as T;
  }

  /**
   * GET a text body (logs), at most `maxBytes` of it: a server that ignores limitBytes is cut there.
   * `cut` says the body went on (the last line is then partial).
   */
  async getText(path: string, query: Query, info: RequestInfo, maxBytes = this.maxBody): Promise<{ text: string; cut: boolean }> {
    const res = await this.withRetry(path, query, info, false, { max: Math.min(maxBytes, this.maxBody), truncate: true });
    return { text: res.raw.body.toString('utf8'), cut: !!res.raw.cut };
  }

  private get maxBody(): number {
    return Math.min(this.opts.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES, MAX_BODY_BYTES_LIMIT);
  }

  /** `hint`: what the user can do about it (no flag changes the watch's line limit: it is one object). */
  private tooLarge(info: RequestInfo, url: URL, max: number, what = 'the response body', hint = max < MAX_BODY_BYTES_LIMIT ? ' (--max-response-size raises the limit; --chunk-size pages lists)' : ' (--chunk-size pages lists)'): ApiError {
    return this.transport('TooLarge', `${what} is larger than ${formatBytes(max)}: stopped reading${hint}`, info, url);
  }

  /**
   * Streaming GET (watch): calls onLine with each newline-delimited JSON object as it arrives, and
   * the text it was parsed from (after `trim`, when given), buffering partial lines across chunks.
   * Resolves when the server ends the stream (or the signal aborts it); rejects with an ApiError on
   * an error status, a broken connection or a bad line.
   */
  async getStream(path: string, query: Query, onLine: (obj: unknown, text: string) => void, info: RequestInfo, signal?: AbortSignal, onOpen?: () => void, onData?: () => void, trim?: (line: string) => string): Promise<void> {
    const url = this.url(path, query);
    const reqOpts = await this.requestOptions(info);
    const logged = startRequest(this.opts.log, url);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (err?: unknown) => {
        logged(null);
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const mod = url.protocol === 'http:' ? http : https;
      const req = mod.request(url, reqOpts, (res) => {
        const status = res.statusCode ?? 0;
        logged(status); // as kubectl, a watch is logged when its headers arrive
        let stream: NodeJS.ReadableStream = res;
        if (/gzip/.test(String(res.headers['content-encoding'] ?? ''))) stream = res.pipe(zlib.createGunzip());
        if (status < 200 || status >= 300) return this.failedStream(res, stream, info, url, done);
        onOpen?.(); // the server accepted the watch (a reconnect is over even if nothing changes)
        // Lines are cut from the bytes and each decoded once: a chunk decoded to text, appended to
        // the unfinished line and sliced was copied twice more (a pod update is ~10 KB).
        let parts: Buffer[] = [];
        let held = 0;
        const emit = (whole: string): boolean => {
          if (whole.trim() === '') return true;
          const line = trim ? trim(whole) : whole;
          let obj: unknown;
          try {
            obj = JSON.parse(line);
          } catch {
            done(this.transport('BadResponse', `invalid JSON line in the watch stream: ${oneLineText(line)}`, info, url));
            req.destroy();
            return false;
          }
          onLine(obj, line);
          return true;
        };
        stream.on('data', (chunk: Buffer) => {
          if (settled) return;
          onData?.(); // any byte is a sign of life (the stall detector, sources/watch.ts)
          let start = 0;
          let nl: number;
          while ((nl = chunk.indexOf(0x0a, start)) >= 0) {
            let line: string;
            if (held > 0) {
              parts.push(chunk.subarray(start, nl));
              line = Buffer.concat(parts).toString('utf8');
              parts = [];
              held = 0;
            } else line = chunk.toString('utf8', start, nl);
            start = nl + 1;
            if (!emit(line)) return;
          }
          if (start < chunk.length) {
            parts.push(chunk.subarray(start));
            held += chunk.length - start;
          }
          // a line that never ends would grow without bound
          if (held > MAX_WATCH_LINE_BYTES) {
            done(this.tooLarge(info, url, MAX_WATCH_LINE_BYTES, 'one line of the watch stream', ' (a watch line is one object; etcd keeps objects under 1.5Mi by default)'));
            req.destroy();
          }
        });
        stream.on('end', () => {
          if (settled) return;
          if (!res.complete) return done(this.transport('Truncated', 'the watch stream was cut', info, url));
          if (held > 0 && !emit(Buffer.concat(parts).toString('utf8'))) return;
          done();
        });
        stream.on('error', (e) => done(signal?.aborted ? undefined : netError(e as NodeJS.ErrnoException, info, this.at(url))));
        res.on('aborted', () => done(signal?.aborted ? undefined : this.transport('ConnectionReset', 'the watch stream was cut', info, url)));
      });
      const onAbort = () => {
        req.destroy();
        done();
      };
      if (signal) {
        if (signal.aborted) return onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
      }
      guardConnection(req, {
        onFail: (stage, ms) => {
          req.destroy();
          done(this.unanswered(stage, ms, info, url));
        },
      });
      req.on('error', (e) => done(signal?.aborted ? undefined : netError(e as NodeJS.ErrnoException, info, this.at(url))));
      req.end();
    });
  }

  /** A stream answered with an error status: its (bounded) body read into the ApiError. */
  private failedStream(res: http.IncomingMessage, stream: NodeJS.ReadableStream, info: RequestInfo, url: URL, done: (err?: unknown) => void): void {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (c: Buffer) => {
      if (size < MAX_ERROR_BODY_BYTES) chunks.push(c.subarray(0, MAX_ERROR_BODY_BYTES - size));
      size += c.length;
    });
    stream.on('end', () => done(this.statusError({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }, info, url, 1)));
    stream.on('error', (e) => done(netError(e as NodeJS.ErrnoException, info, this.at(url))));
  }

  /**
   * Streaming GET of text lines (a followed log): onLine with each line as it arrives, a line over
   * `maxLineBytes` cut there (`cut`: the rest up to its newline is dropped), so memory stays bounded
   * whatever the stream sends. Resolves when the server ends the stream or the signal aborts it;
   * rejects with an ApiError on an error status or a broken connection.
   */
  async getLines(path: string, query: Query, onLine: (text: string, cut: boolean) => void, info: RequestInfo, signal: AbortSignal, maxLineBytes: number): Promise<void> {
    const url = this.url(path, query);
    const reqOpts = await this.requestOptions(info);
    // a followed log holds its connection while the instance runs: its own, not one of the shared
    // pool's few sockets (auth.ts), which the watches and other requests need (a proxy's agent stays)
    if (!this.config.kubeConfig.getCurrentCluster()?.proxyUrl) {
      const shared = reqOpts.agent as (https.Agent & { options?: https.AgentOptions }) | undefined;
      reqOpts.agent = url.protocol === 'https:' ? new https.Agent({ ...shared?.options, keepAlive: false, maxSockets: 1 }) : false;
    }
    return new Promise<void>((resolve, reject) => {
      const over = { settled: false };
      // the first outcome wins: an end, an error, or the abort
      const done = (err?: unknown) => {
        if (!over.settled) (over.settled = true), signal.removeEventListener('abort', onAbort), err ? reject(err) : resolve();
      };
      const req = (url.protocol === 'http:' ? http : https).request(url, reqOpts, (res) => {
        let stream: NodeJS.ReadableStream = res;
        if (/gzip/.test(String(res.headers['content-encoding'] ?? ''))) stream = res.pipe(zlib.createGunzip());
        const status = res.statusCode ?? 0;
        if (status < 200 || status >= 300) return this.failedStream(res, stream, info, url, done);
        let held: Buffer[] = [];
        let size = 0;
        let dropping = false; // the rest of a line already cut
        stream.on('data', (chunk: Buffer) => {
          let start = 0;
          while (start < chunk.length && !over.settled) {
            const nl = chunk.indexOf(0x0a, start);
            const end = nl < 0 ? chunk.length : nl;
            if (!dropping) {
              const part = chunk.subarray(start, Math.min(end, start + maxLineBytes - size));
              held.push(part);
              size += part.length;
              if (size >= maxLineBytes && (nl < 0 || end - start > part.length)) {
                onLine(Buffer.concat(held).toString('utf8'), true);
                held = [];
                size = 0;
                dropping = true;
              }
            }
            if (nl < 0) break;
            if (!dropping) onLine(Buffer.concat(held).toString('utf8'), false);
            held = [];
            size = 0;
            dropping = false;
            start = nl + 1;
          }
        });
        stream.on('end', () => {
          if (size > 0 && !dropping) onLine(Buffer.concat(held).toString('utf8'), false);
          done();
        });
        stream.on('error', (e) => done(signal.aborted ? undefined : netError(e as NodeJS.ErrnoException, info, this.at(url))));
      });
      const onAbort = () => {
        req.destroy();
        done();
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      req.on('error', (e) => done(signal.aborted ? undefined : netError(e as NodeJS.ErrnoException, info, this.at(url))));
      req.end();
    });
  }

  private url(path: string, query: Query): URL {
    const base = this.server.href.replace(/\/$/, '');
    return new URL(base + path + buildQuery(query));
  }

  /** Auth and agent of one request (auth.ts). */
  private requestOptions(info: RequestInfo): Promise<https.RequestOptions> {
    return this.auth.options(info, this.at(this.url('', {})));
  }

  /** Release pooled and in-use sockets (so a CLI run exits at once). */
  close(): void {
    this.closed = true;
    this.auth.close();
  }

  /** Set by close(): a request cut by it is not retried (it would open a new connection and hold the process). */
  private closed = false;

  private async withRetry(path: string, query: Query, info: RequestInfo, json: boolean, limit: BodyLimit): Promise<{ raw: RawResponse; json?: unknown }> {
    const url = this.url(path, query);
    const start = Date.now();
    const backoff = new Backoff({ initialMs: this.retry.baseDelayMs, maxMs: this.retry.maxDelayMs });
    let reauthenticated = false;
    for (let attempt = 1; ; attempt++) {
      let failure: ApiError;
      try {
        const raw = await this.once(url, info, limit);
        if (raw.status >= 200 && raw.status < 300) {
          if (!json) return { raw };
          return { raw, json: this.parseJSON(raw, info, url) };
        }
        throw this.statusError(raw, info, url, attempt);
      } catch (e) {
        if (this.closed || classify(e, { established: false, reauthenticated }) !== 'retry') throw e;
        failure = e as ApiError;
      }
      // a 401: the credentials were dropped (statusError) and are read again now, once (client-go)
      const wait = failure.code === 401 ? 0 : backoff.next(failure.extra.retryAfterSeconds);
      if (failure.code === 401) reauthenticated = true;
      if (this.closed || attempt >= this.retry.attempts || Date.now() - start + wait > this.retry.totalMs) {
        throw new ApiError(failure.code, failure.reason, failure.message, failure.verb, failure.resource, failure.namespace, { ...failure.extra, attempts: attempt });
      }
      await sleep(wait);
    }
  }

  /**
   * A complete 2xx body that is not JSON is not "cut short" (that is told by the transport: an early
   * close, a broken gzip stream) and retrying will not mend it: say what it is, once (issue 13 #9).
   */
  private parseJSON(raw: RawResponse, info: RequestInfo, url: URL): unknown {
    const text = raw.body.toString('utf8');
    try {
      return JSON.parse(text);
    } catch (e) {
      const type = String(raw.headers['content-type'] ?? '').split(';')[0].trim();
      const start = text.trimStart();
      if (!/json/i.test(type) || start.startsWith('<')) {
        const title = /<title[^>]*>([^<]*)<\/title>/i.exec(start.slice(0, 4096))?.[1];
        const what = /html/i.test(type) || /^<(!doctype html|html)/i.test(start) ? `an HTML page${title ? ` ("${oneLineText(title, 60)}")` : ''}` : `${type || 'a body without a content type'} ("${oneLineText(start, 40)}")`;
        throw this.transport('BadResponse', `the server answered ${raw.status} with ${what}, not JSON: is ${this.server.origin} a Kubernetes API server (not a proxy's or a login page)?`, info, url);
      }
      throw this.transport('BadResponse', `the response body is not valid JSON (${oneLineText((e as Error).message, 60)})`, info, url);
    }
  }

  private async once(url: URL, info: RequestInfo, limit: BodyLimit): Promise<RawResponse> {
    const reqOpts = await this.requestOptions(info);
    const timeoutMs = this.opts.requestTimeoutMs ?? 0;
    const logged = startRequest(this.opts.log, url);
    const started = Date.now();
    return new Promise<RawResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      let settled = false;
      const settle = (then: () => void) => {
        logged(null);
        if (timer) clearTimeout(timer);
        if (settled) return;
        settled = true;
        then();
      };
      const fail = (e: unknown) => settle(() => reject(e));
      const succeed = (r: RawResponse) => settle(() => resolve(r));
      const mod = url.protocol === 'http:' ? http : https;
      const req = mod.request(url, reqOpts, (res) => {
        const status = res.statusCode ?? 0;
        logged(status);
        const ok = status >= 200 && status < 300;
        // an error answer: its start is enough; a body: up to the limit, counted after gunzip
        const max = ok ? limit.max : MAX_ERROR_BODY_BYTES;
        const truncate = ok ? limit.truncate : true;
        const gzip = /gzip/.test(String(res.headers['content-encoding'] ?? ''));
        const declared = Number(res.headers['content-length']);
        if (!gzip && !truncate && Number.isFinite(declared) && declared > max) {
          req.destroy();
          return fail(this.tooLarge(info, url, max));
        }
        let body: NodeJS.ReadableStream = res;
        if (gzip) {
          const gunzip = zlib.createGunzip();
          gunzip.on('error', () => fail(res.complete ? this.transport('BadResponse', 'the gzip response body is corrupt', info, url) : this.transport('Truncated', 'the gzip response body was cut short', info, url)));
          body = res.pipe(gunzip);
        }
        const chunks: Buffer[] = [];
        let size = 0;
        body.on('data', (c: Buffer) => {
          if (settled) return;
          if (size + c.length <= max) {
            chunks.push(c);
            size += c.length;
            return;
          }
          req.destroy();
          if (!truncate) return fail(this.tooLarge(info, url, max));
          chunks.push(c.subarray(0, max - size));
          succeed({ status, headers: res.headers, body: Buffer.concat(chunks), cut: true });
        });
        res.on('error', (e) => fail(timedOut ? timeoutError(info, this.at(url), timeoutMs) : netError(e as NodeJS.ErrnoException, info, this.at(url))));
        body.on('end', () => {
          if (!res.complete) return fail(this.transport('Truncated', 'the response body was cut short', info, url));
          succeed({ status, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          this.timeouts++;
          this.firstTimedOutAt = Math.min(this.firstTimedOutAt, started);
          logged(null);
          req.destroy();
          reject(timeoutError(info, this.at(url), timeoutMs, this.timeouts, Date.now() - this.firstTimedOutAt));
        }, timeoutMs);
      }
      guardConnection(req, {
        onFail: (stage, ms) => {
          req.destroy();
          fail(this.unanswered(stage, ms, info, url));
        },
        ...(timeoutMs > 0 ? {} : { onSilent: (ms: number) => this.silent(ms) }),
      });
      req.on('error', (e) => fail(timedOut ? timeoutError(info, this.at(url), timeoutMs, this.timeouts, Date.now() - this.firstTimedOutAt) : netError(e as NodeJS.ErrnoException, info, this.at(url))));
      req.end();
    });
  }

  /** Requests --request-timeout has ended so far (their error says how many, and the time they took). */
  private timeouts = 0;
  private firstTimedOutAt = Infinity;
  private saidSilent = false;

  /** No connection, or no TLS handshake, in client-go's time (dial-timeouts.ts). */
  private unanswered(stage: 'dial' | 'tls', ms: number, info: RequestInfo, url: URL): ApiError {
    const s = `${ms / 1000}s`;
    return stage === 'dial'
      ? this.transport('Unreachable', `no connection within ${s}`, info, url)
      : this.transport('TLS', `${this.server.host} accepted the connection but completed no TLS handshake within ${s} (is it an HTTPS server? check the server address and port in kubeconfig)`, info, url);
  }

  /** Once per run: a request has waited SILENT_NOTICE_MS for an answer. */
  private silent(ms: number): void {
    if (this.saidSilent) return;
    this.saidSilent = true;
    this.opts.warn?.(`warning: the API server at ${this.server.origin} has not answered in ${ms / 1000}s; still waiting (Ctrl-C to stop, --request-timeout to set a limit)`);
  }

  private at(url: URL): RequestPlace {
    return { url, server: this.server.origin, user: this.config.userName };
  }

  private transport(reason: TransportReason, message: string, info: RequestInfo, url: URL): ApiError {
    return transportError(reason, message, info, this.at(url));
  }

  private statusError(res: RawResponse, info: RequestInfo, url: URL, attempts: number): ApiError {
    if (res.status === 401) this.auth.invalidate(); // the next request applies the credentials (and plugins) again
    return statusError(res, info, this.at(url), attempts);
  }
}
