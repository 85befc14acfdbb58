// A small raw GET client over node:https. The TLS material and auth headers come from the resolved
// credentials (credentials.ts: CA, client cert/key, token, basic auth; client-node, loaded only
// then, for exec plugins and auth providers). client-node's generated API classes are too slow
// for 10,000-pod lists and its Watch aborts healthy streams after 30 s in 1.4.0. The plugin only
// reads, so only GET is ever sent, and every request is idempotent: 429, 5xx and broken
// connections are retried, bounded.
import http from 'node:http';
import https from 'node:https';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from './kubeconfig.js';

/** What a request was for: enough to say it in kubectl's words when it fails. */
export interface RequestInfo {
  verb: 'get' | 'list' | 'watch';
  /** Plural resource, with subresource: "pods", "pods/log", "events", "jobs"… */
  resource: string;
  namespace?: string;
  name?: string;
}

export type Query = Record<string, string | number | boolean | undefined>;

/** Kinds of failure that did not come with an HTTP status. */
export type TransportReason = 'ConnectionRefused' | 'HostNotFound' | 'Unreachable' | 'ConnectionReset' | 'Truncated' | 'Timeout' | 'TLS' | 'Credentials' | 'BadResponse' | 'TooLarge';

/**
 * Bodies are read up to a limit (after gzip, so a small compressed bomb is bounded too), never
 * whole and then judged: memory stays bounded whatever a server sends (issue 13 #9).
 * --max-response-size raises it, up to what one JavaScript string can hold for JSON.parse.
 */
export const DEFAULT_MAX_BODY_BYTES = 256 * 1024 * 1024;
export const MAX_BODY_BYTES_LIMIT = 512 * 1024 * 1024 - 1024;
/** One watch line is one object: etcd keeps objects under 1.5 MiB by default; far beyond is not a watch. */
export const MAX_WATCH_LINE_BYTES = 16 * 1024 * 1024;
/** An error answer's body is a Status (or a proxy's page): its start says enough. */
const MAX_ERROR_BODY_BYTES = 64 * 1024;

export function formatBytes(n: number): string {
  for (const [unit, size] of [['Gi', 1024 ** 3], ['Mi', 1024 ** 2], ['Ki', 1024]] as const) if (n >= size) return `${+(n / size).toFixed(1)}${unit}`;
  return `${n} bytes`;
}

/** A server's text in one line: control characters (escapes included) shown as \xNN, cut short. */
export function oneLineText(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const cut = flat.length > max ? `${flat.slice(0, max)}…` : flat;
  return cut.replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const SINGULAR: Record<string, string> = {
  pods: 'pod', jobs: 'job', cronjobs: 'cronjob', deployments: 'deployment', replicasets: 'replicaset',
  statefulsets: 'statefulset', daemonsets: 'daemonset', events: 'event',
};

/** A failed API request: the server's Status (code, reason, message) or a transport failure (code 0). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    public readonly code: number,
    public readonly reason: string,
    message: string,
    public readonly verb: string,
    public readonly resource: string,
    public readonly namespace: string | undefined,
    public readonly extra: { name?: string; url?: string; server?: string; user?: string; attempts?: number; timeoutMs?: number; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }

  get forbidden(): boolean {
    return this.code === 403;
  }

  get notFound(): boolean {
    return this.code === 404;
  }

  /** One kubectl-like line saying what failed and what to do. */
  oneLine(): string {
    const { name, url, server, user, attempts, timeoutMs } = this.extra;
    const where = this.namespace ? `in namespace "${this.namespace}"` : 'at the cluster scope';
    switch (this.code) {
      case 0:
        return transportLine(this, server ?? '', url ?? '', timeoutMs);
      case 401:
        return `error: unauthorized: the server rejected the credentials of user "${user ?? ''}" (token expired?)`;
      case 403:
        return `error: forbidden: cannot ${this.verb} ${this.resource}${name ? ` "${name}"` : ''} ${where} (RBAC): ask for "${this.verb}" on "${this.resource}"`;
      case 404:
        if (name) return `error: ${SINGULAR[this.resource] ?? this.resource} "${name}" not found${this.namespace ? ` in namespace "${this.namespace}"` : ''}`;
        return `error: the server could not find ${this.resource} (404 on ${url ?? ''}): ${this.message}`;
      default: {
        const tries = attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
        return `error: the API server answered ${this.code} ${this.reason} to ${this.verb} ${this.resource}${tries}: ${this.message}`;
      }
    }
  }
}

function transportLine(e: ApiError, server: string, url: string, timeoutMs?: number): string {
  switch (e.reason as TransportReason) {
    case 'ConnectionRefused':
      return `error: cannot reach the API server at ${server}: connection refused (is the cluster running? check --context)`;
    case 'HostNotFound':
      return `error: cannot reach the API server at ${server}: host not found (check the server address in kubeconfig or --context)`;
    case 'Unreachable':
      return `error: cannot reach the API server at ${server}: ${e.message} (check the network, VPN or --context)`;
    case 'Timeout':
      return `error: request to ${url} timed out after ${formatSeconds(timeoutMs ?? 0)} (--request-timeout)`;
    case 'TLS':
      return `error: TLS: ${e.message}`;
    case 'Credentials':
      return `error: getting credentials: ${e.message}`;
    case 'TooLarge':
      return `error: ${e.verb} ${e.resource}: ${e.message}`;
    default:
      return `error: ${e.verb} ${e.resource} from ${server} failed: ${e.message}${e.extra.attempts && e.extra.attempts > 1 ? ` (after ${e.extra.attempts} attempts)` : ''}`;
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}

const TLS_UNKNOWN_CA = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'UNABLE_TO_GET_ISSUER_CERT', 'CERT_SIGNATURE_FAILURE',
]);

/** Classify a socket/TLS error. Returns [reason, message, retryable]. */
function classifyNetError(err: NodeJS.ErrnoException, host: string): [TransportReason, string, boolean] {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return ['ConnectionRefused', 'connection refused', false];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ['HostNotFound', 'host not found', false];
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return ['Unreachable', code, false];
  if (TLS_UNKNOWN_CA.has(code)) {
    return ['TLS', "the server's certificate is signed by an unknown authority (check certificate-authority-data in kubeconfig)", false];
  }
  if (code === 'CERT_HAS_EXPIRED') return ['TLS', "the server's certificate has expired (or this machine's clock is wrong)", false];
  if (code === 'CERT_NOT_YET_VALID') return ['TLS', "the server's certificate is not yet valid (is this machine's clock right?)", false];
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return ['TLS', `the server's certificate is not valid for ${host} (check the server address, or tls-server-name in kubeconfig)`, false];
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /certificate|ssl|tls/i.test(err.message)) {
    return ['TLS', `${err.message.split('\n')[0]} (check the client certificate and certificate-authority in kubeconfig)`, false];
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || err.message === 'aborted') {
    return ['ConnectionReset', 'connection reset by the server', true];
  }
  return ['BadResponse', err.message, false];
}

export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  /** Longest single wait, Retry-After included. */
  maxDelayMs: number;
  /** Give up when the next wait would pass this much time since the first attempt. */
  totalMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 200, maxDelayMs: 5000, totalMs: 10000 };

export interface HttpClientOptions {
  requestTimeoutMs?: number;
  as?: string;
  asGroups?: string[];
  retry?: Partial<RetryPolicy>;
  userAgent?: string;
  /** The largest response body read (--max-response-size); DEFAULT_MAX_BODY_BYTES if unset. */
  maxBodyBytes?: number;
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

/** How long one credential (exec plugin output, token file) is reused without a 401. */
const AUTH_TTL_MS = 5 * 60 * 1000;

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
const STATUS_REASON: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable',
  409: 'Conflict', 410: 'Expired', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 502: 'BadGateway',
  503: 'ServiceUnavailable', 504: 'Timeout',
};

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
  private agent: http.Agent | null = null;
  private agentKey = '';
  private authCache: { at: number; p: Promise<https.RequestOptions> } | null = null;

  constructor(
    private readonly config: ResolvedConfig,
    private readonly opts: HttpClientOptions = {},
  ) {
    this.server = new URL(config.server);
    this.retry = { ...DEFAULT_RETRY, ...opts.retry };
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

  private tooLarge(info: RequestInfo, url: URL, max: number, what = 'the response body'): ApiError {
    const raise = max < MAX_BODY_BYTES_LIMIT ? ' (--max-response-size raises the limit; --chunk-size pages lists)' : ' (--chunk-size pages lists)';
    return this.transport('TooLarge', `${what} is larger than ${formatBytes(max)}: stopped reading${raise}`, info, url);
  }

  /**
   * Streaming GET (watch): calls onLine with each newline-delimited JSON object as it arrives,
   * buffering partial lines across chunks. Resolves when the server ends the stream (or the signal
   * aborts it); rejects with an ApiError on an error status, a broken connection or a bad line.
   */
  async getStream(path: string, query: Query, onLine: (obj: unknown) => void, info: RequestInfo, signal?: AbortSignal, onOpen?: () => void, onData?: () => void): Promise<void> {
    const url = this.url(path, query);
    const reqOpts = await this.requestOptions(info);
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      const done = (err?: unknown) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      };
      const mod = url.protocol === 'http:' ? http : https;
      const req = mod.request(url, reqOpts, (res) => {
        const status = res.statusCode ?? 0;
        let stream: NodeJS.ReadableStream = res;
        if (/gzip/.test(String(res.headers['content-encoding'] ?? ''))) stream = res.pipe(zlib.createGunzip());
        if (status < 200 || status >= 300) {
          const chunks: Buffer[] = [];
          let size = 0;
          stream.on('data', (c: Buffer) => {
            if (size < MAX_ERROR_BODY_BYTES) chunks.push(c.subarray(0, MAX_ERROR_BODY_BYTES - size));
            size += c.length;
          });
          stream.on('end', () => done(this.statusError({ status, headers: res.headers, body: Buffer.concat(chunks) }, info, url, 1)));
          stream.on('error', (e) => done(this.netError(e as NodeJS.ErrnoException, info, url, 1)));
          return;
        }
        onOpen?.(); // the server accepted the watch (a reconnect is over even if nothing changes)
        let partial = '';
        const emit = (line: string): boolean => {
          if (line.trim() === '') return true;
          let obj: unknown;
          try {
            obj = JSON.parse(line);
          } catch {
            done(this.transport('BadResponse', `invalid JSON line in the watch stream: ${oneLineText(line)}`, info, url));
            req.destroy();
            return false;
          }
          onLine(obj);
          return true;
        };
        (stream as NodeJS.ReadableStream & { setEncoding(e: string): void }).setEncoding('utf8');
        stream.on('data', (chunk: string) => {
          if (settled) return;
          onData?.(); // any byte is a sign of life (the stall detector, sources/watch.ts)
          partial += chunk;
          let nl: number;
          while ((nl = partial.indexOf('\n')) >= 0) {
            const line = partial.slice(0, nl);
            partial = partial.slice(nl + 1);
            if (!emit(line)) return;
          }
          // a line that never ends would grow without bound
          if (partial.length > MAX_WATCH_LINE_BYTES) {
            done(this.tooLarge(info, url, MAX_WATCH_LINE_BYTES, 'one line of the watch stream'));
            req.destroy();
          }
        });
        stream.on('end', () => {
          if (settled) return;
          if (!res.complete) return done(this.transport('Truncated', 'the watch stream was cut', info, url));
          if (partial.trim() !== '' && !emit(partial)) return;
          done();
        });
        stream.on('error', (e) => done(signal?.aborted ? undefined : this.netError(e as NodeJS.ErrnoException, info, url, 1)));
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
      req.on('error', (e) => done(signal?.aborted ? undefined : this.netError(e as NodeJS.ErrnoException, info, url, 1)));
      req.end();
    });
  }

  private url(path: string, query: Query): URL {
    const base = this.server.href.replace(/\/$/, '');
    return new URL(base + path + buildQuery(query));
  }

  /**
   * The auth result (TLS material, Authorization), shared by the requests of a run: an
   * exec plugin without expirationTimestamp would otherwise be spawned for every request. client-go
   * also keeps a credential until a 401; the TTL lets long watches pick up rotated token files.
   */
  private auth(info: RequestInfo): Promise<https.RequestOptions> {
    const now = Date.now();
    if (!this.authCache || now - this.authCache.at > AUTH_TTL_MS) {
      const p = this.applyAuth(info);
      p.catch(() => {
        if (this.authCache?.p === p) this.authCache = null;
      });
      this.authCache = { at: now, p };
    }
    return this.authCache.p;
  }

  private async applyAuth(info: RequestInfo): Promise<https.RequestOptions> {
    const o: https.RequestOptions = {};
    try {
      await this.config.kubeConfig.applyToHTTPSOptions(o);
    } catch (e) {
      // client-node refuses plain-http servers unless insecure-skip-tls-verify; kubectl allows them
      // (kubectl proxy). Its headers are already filled in by then.
      const msg = (e as Error).message ?? String(e);
      if (!(this.server.protocol === 'http:' && /HTTP protocol is not allowed/.test(msg))) {
        // a plugin's output is anything: escaped, one line, cut (issue 13 #11)
        const first = msg.trim().split('\n')[0];
        throw this.transport('Credentials', `user "${this.config.userName}": ${first ? oneLineText(first, 200) : 'credential plugin failed'}`, info, this.url('', {}));
      }
    }
    return o;
  }

  /** Auth from the credentials, on our own keep-alive agent. */
  private async requestOptions(info: RequestInfo): Promise<https.RequestOptions> {
    const o = await this.auth(info);
    const headers: http.OutgoingHttpHeaders = {
      ...(o.headers as http.OutgoingHttpHeaders),
      Accept: 'application/json',
      'Accept-Encoding': 'gzip',
      'User-Agent': this.opts.userAgent ?? 'kubectl-sidecars',
    };
    if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    if (this.opts.as) headers['Impersonate-User'] = this.opts.as;
    if (this.opts.asGroups?.length) headers['Impersonate-Group'] = this.opts.asGroups;
    const cluster = this.config.kubeConfig.getCurrentCluster();
    let agent: http.Agent | undefined;
    if (cluster?.proxyUrl) {
      agent = o.agent as http.Agent; // client-node's proxy agent
    } else if (this.server.protocol === 'http:') {
      agent = this.agentFor('http', () => new http.Agent({ keepAlive: true, maxSockets: 8 }));
    } else {
      const tls = { ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: o.rejectUnauthorized !== false, servername: o.servername };
      const key = createHash('sha256').update(JSON.stringify([String(tls.ca ?? ''), String(tls.cert ?? ''), String(tls.key ?? ''), tls.rejectUnauthorized, tls.servername ?? ''])).digest('hex');
      agent = this.agentFor(key, () => new https.Agent({ ...tls, keepAlive: true, maxSockets: 8 }));
    }
    return { method: 'GET', headers, agent };
  }

  private agentFor(key: string, make: () => http.Agent): http.Agent {
    if (!this.agent || this.agentKey !== key) {
      this.agent?.destroy();
      this.agent = make();
      this.agentKey = key;
    }
    return this.agent;
  }

  /** Release pooled sockets (so a CLI run exits at once). */
  close(): void {
    this.agent?.destroy();
    this.agent = null;
  }

  private async withRetry(path: string, query: Query, info: RequestInfo, json: boolean, limit: BodyLimit): Promise<{ raw: RawResponse; json?: unknown }> {
    const url = this.url(path, query);
    const start = Date.now();
    for (let attempt = 1; ; attempt++) {
      let wait: number;
      let failure: ApiError;
      try {
        const raw = await this.once(url, info, limit);
        if (raw.status >= 200 && raw.status < 300) {
          if (!json) return { raw };
          return { raw, json: this.parseJSON(raw, info, url) };
        }
        if (!RETRY_STATUS.has(raw.status)) throw this.statusError(raw, info, url, attempt);
        failure = this.statusError(raw, info, url, attempt);
        wait = this.backoff(attempt, raw.headers['retry-after']);
      } catch (e) {
        if (!(e instanceof ApiError) || !(e.code === 0 && (e.reason === 'ConnectionReset' || e.reason === 'Truncated'))) throw e;
        failure = e;
        wait = this.backoff(attempt);
      }
      if (attempt >= this.retry.attempts || Date.now() - start + wait > this.retry.totalMs) {
        throw new ApiError(failure.code, failure.reason, failure.message, failure.verb, failure.resource, failure.namespace, { ...failure.extra, attempts: attempt });
      }
      await sleep(wait);
    }
  }

  /** Exponential back-off with jitter; Retry-After (seconds) honoured, capped. */
  private backoff(attempt: number, retryAfter?: string | string[]): number {
    const ra = Number(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter);
    if (Number.isFinite(ra) && ra >= 0 && retryAfter !== undefined) return Math.min(ra * 1000, this.retry.maxDelayMs);
    const exp = this.retry.baseDelayMs * 2 ** (attempt - 1);
    return Math.min(exp / 2 + Math.random() * (exp / 2), this.retry.maxDelayMs);
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
    return new Promise<RawResponse>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      let timedOut = false;
      let settled = false;
      const fail = (e: unknown) => {
        if (timer) clearTimeout(timer);
        if (settled) return;
        settled = true;
        reject(e);
      };
      const succeed = (r: RawResponse) => {
        if (timer) clearTimeout(timer);
        if (settled) return;
        settled = true;
        resolve(r);
      };
      const mod = url.protocol === 'http:' ? http : https;
      const req = mod.request(url, reqOpts, (res) => {
        const status = res.statusCode ?? 0;
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
        res.on('error', (e) => fail(timedOut ? this.timeoutError(info, url, timeoutMs) : this.netError(e as NodeJS.ErrnoException, info, url, 1)));
        body.on('end', () => {
          if (!res.complete) return fail(this.transport('Truncated', 'the response body was cut short', info, url));
          succeed({ status, headers: res.headers, body: Buffer.concat(chunks) });
        });
      });
      if (timeoutMs > 0) {
        timer = setTimeout(() => {
          timedOut = true;
          req.destroy();
          reject(this.timeoutError(info, url, timeoutMs));
        }, timeoutMs);
      }
      req.on('error', (e) => fail(timedOut ? this.timeoutError(info, url, timeoutMs) : this.netError(e as NodeJS.ErrnoException, info, url, 1)));
      req.end();
    });
  }

  private extra(url: URL, attempts = 1) {
    return { name: undefined as string | undefined, url: `${url.origin}${url.pathname}`, server: this.server.origin, user: this.config.userName, attempts };
  }

  private transport(reason: TransportReason, message: string, info: RequestInfo, url: URL): ApiError {
    return new ApiError(0, reason, message, info.verb, info.resource, info.namespace, { ...this.extra(url), name: info.name });
  }

  private timeoutError(info: RequestInfo, url: URL, timeoutMs: number): ApiError {
    return new ApiError(0, 'Timeout', `timed out after ${timeoutMs}ms`, info.verb, info.resource, info.namespace, { ...this.extra(url), name: info.name, timeoutMs });
  }

  private netError(err: NodeJS.ErrnoException, info: RequestInfo, url: URL, attempts: number): ApiError {
    const [reason, message] = classifyNetError(err, url.hostname);
    return new ApiError(0, reason, message, info.verb, info.resource, info.namespace, { ...this.extra(url, attempts), name: info.name });
  }

  /** An error status: the server's Status body when it sent one. */
  private statusError(res: RawResponse, info: RequestInfo, url: URL, attempts: number): ApiError {
    if (res.status === 401) this.authCache = null; // the next request applies the credentials (and plugins) again
    let reason = STATUS_REASON[res.status] ?? `HTTP${res.status}`;
    let message = res.body.toString('utf8').trim().slice(0, 300) || `HTTP ${res.status}`;
    try {
      const s = JSON.parse(res.body.toString('utf8')) as { kind?: string; reason?: string; message?: string };
      if (s && s.kind === 'Status') {
        if (s.reason) reason = s.reason;
        if (s.message) message = s.message;
      }
    } catch {
      // not a Status: keep the text
    }
    // Retry-After (seconds) rides along for callers that retry on their own (the watch loop).
    const ra = Number(res.headers['retry-after']);
    const retryAfterSeconds = res.headers['retry-after'] !== undefined && Number.isFinite(ra) && ra >= 0 ? ra : undefined;
    return new ApiError(res.status, reason, message, info.verb, info.resource, info.namespace, { ...this.extra(url, attempts), name: info.name, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
  }
}

/** A thrown ApiError with this HTTP status? */
export function isStatus(e: unknown, code: number): e is ApiError {
  return e instanceof ApiError && e.code === code;
}
