// What a failure is, and the one line that says it: a failed API request (the server's Status, or a
// transport failure — refused, TLS, cut, timed out… — classified from Node's error codes), or the
// user's own input (UserError). The sources throw these; the CLI prints oneLine() (cli/errors.ts).

/** What a request was for: enough to say it in kubectl's words when it fails. */
export interface RequestInfo {
  verb: 'get' | 'list' | 'watch';
  /** Plural resource, with subresource: "pods", "pods/log", "events", "jobs"… */
  resource: string;
  namespace?: string;
  name?: string;
}

/** Kinds of failure that did not come with an HTTP status. */
export type TransportReason = 'ConnectionRefused' | 'HostNotFound' | 'Unreachable' | 'ConnectionReset' | 'Truncated' | 'Timeout' | 'TLS' | 'Credentials' | 'BadResponse' | 'TooLarge';

/** Where a request went, for the error's line: the URL without its query, the server, the user. */
export interface RequestPlace {
  url: URL;
  server: string;
  user: string;
}

/** A failure whose message is for the user as it stands (a bad argument, file or kubeconfig): "error: MESSAGE". */
export class UserError extends Error {
  oneLine(): string {
    return `error: ${this.message}`;
  }
}

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
    public readonly extra: { name?: string; url?: string; server?: string; user?: string; attempts?: number; timeoutMs?: number; retryAfterSeconds?: number; timeouts?: number; timeoutSpanMs?: number } = {},
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
    case 'Timeout': {
      // several requests of one run can each time out (events, then pods): say so, and the time they took together
      const n = e.extra.timeouts ?? 1;
      const span = e.extra.timeoutSpanMs;
      const all = n > 1 ? `; ${n} requests timed out, ${formatSeconds(timeoutMs ?? 0)} each${span ? `, over ${formatSeconds(Math.round(span / 100) * 100)}` : ''}` : '';
      return `error: request to ${url} timed out after ${formatSeconds(timeoutMs ?? 0)} (--request-timeout${all})`;
    }
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

/** Classify a socket/TLS error. Returns [reason, message]. */
function classifyNetError(err: NodeJS.ErrnoException, host: string): [TransportReason, string] {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return ['ConnectionRefused', 'connection refused'];
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return ['HostNotFound', 'host not found'];
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return ['Unreachable', code];
  if (TLS_UNKNOWN_CA.has(code)) {
    return ['TLS', "the server's certificate is signed by an unknown authority (check certificate-authority-data in kubeconfig)"];
  }
  if (code === 'CERT_HAS_EXPIRED') return ['TLS', "the server's certificate has expired (or this machine's clock is wrong)"];
  if (code === 'CERT_NOT_YET_VALID') return ['TLS', "the server's certificate is not yet valid (is this machine's clock right?)"];
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return ['TLS', `the server's certificate is not valid for ${host} (check the server address, or tls-server-name in kubeconfig)`];
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /certificate|ssl|tls/i.test(err.message)) {
    return ['TLS', `${err.message.split('\n')[0]} (check the client certificate and certificate-authority in kubeconfig)`];
  }
  // retried by the transport (http.ts withRetry) and the watch loop
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'ECONNABORTED' || err.message === 'aborted') {
    return ['ConnectionReset', 'connection reset by the server'];
  }
  return ['BadResponse', err.message];
}

/** A failure without an HTTP status; `more` carries the attempts made or the timeout that ended it. */
export function transportError(reason: TransportReason, message: string, info: RequestInfo, at: RequestPlace, more: { attempts?: number; timeoutMs?: number; timeouts?: number; timeoutSpanMs?: number } = {}): ApiError {
  return new ApiError(0, reason, message, info.verb, info.resource, info.namespace, { ...placeOf(at), attempts: 1, ...more, name: info.name });
}

/** A socket or TLS error, classified. */
export function netError(err: NodeJS.ErrnoException, info: RequestInfo, at: RequestPlace): ApiError {
  const [reason, message] = classifyNetError(err, at.url.hostname);
  return transportError(reason, message, info, at);
}

/** --request-timeout ended a request; `timeouts`: how many requests of this client it has ended so far, from the first one's start over `timeoutSpanMs`. */
export function timeoutError(info: RequestInfo, at: RequestPlace, timeoutMs: number, timeouts = 1, timeoutSpanMs?: number): ApiError {
  return transportError('Timeout', `timed out after ${timeoutMs}ms`, info, at, { timeoutMs, timeouts, timeoutSpanMs });
}

const STATUS_REASON: Record<number, string> = {
  400: 'BadRequest', 401: 'Unauthorized', 403: 'Forbidden', 404: 'NotFound', 405: 'MethodNotAllowed', 406: 'NotAcceptable',
  409: 'Conflict', 410: 'Expired', 422: 'Invalid', 429: 'TooManyRequests', 500: 'InternalError', 502: 'BadGateway',
  503: 'ServiceUnavailable', 504: 'Timeout',
};

/** An error status: the server's Status body when it sent one. */
export function statusError(res: { status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }, info: RequestInfo, at: RequestPlace, attempts: number): ApiError {
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
  return new ApiError(res.status, reason, message, info.verb, info.resource, info.namespace, { ...placeOf(at), attempts, name: info.name, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) });
}

function placeOf(at: RequestPlace) {
  return { url: `${at.url.origin}${at.url.pathname}`, server: at.server, user: at.user };
}
