// When a failed request is tried again, and after how long: the one policy of the one-shot GETs
// (http.ts withRetry: describe, the watch's lists) and of the running watch (watch.ts loop).
// docs/architecture.md, "Retries and back-off", says why each answer is what it is.
import { ApiError } from './errors.js';

/**
 * - retry: the same request may succeed later (429, 5xx, a cut connection; a 401 once, after the
 *   credentials were read again);
 * - degrade: the request cannot be resumed where it was (410: its resourceVersion or continue token
 *   is gone): start over from a fresh list, after the same back-off;
 * - fatal: the user's to fix (RBAC, not found, a bad selector, TLS, credentials): say it and stop.
 */
export type Verdict = 'retry' | 'degrade' | 'fatal';

export interface FailureContext {
  /**
   * A running watch: the server answered before, so a refused, unreachable or silent connection is
   * a restart or a network blip (client-go's reflector retries it); for a first request it is the
   * user's address or context, said at once as kubectl does.
   */
  established: boolean;
  /** The credentials were already read again after a 401 since the last success: a second 401 stands. */
  reauthenticated: boolean;
}

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);
/** Transport failures worth a retry on any request: the connection broke under a request that began. */
const RETRY_TRANSPORT = new Set(['ConnectionReset', 'Truncated']);
/** …and on a running watch only (BadResponse: a line that is not JSON; re-watched from the last version). */
const RETRY_TRANSPORT_ESTABLISHED = new Set(['ConnectionRefused', 'Unreachable', 'HostNotFound', 'Timeout', 'BadResponse']);

export function classify(e: unknown, ctx: FailureContext): Verdict {
  if (!(e instanceof ApiError)) return 'fatal';
  if (e.code === 410) return 'degrade';
  // client-go refreshes credentials on a 401 and tries once more (a rotated token file, an exec
  // plugin's token revoked early); http.ts statusError has dropped the cached credentials already
  if (e.code === 401) return ctx.reauthenticated ? 'fatal' : 'retry';
  if (RETRY_STATUS.has(e.code)) return 'retry';
  if (e.code !== 0) return 'fatal';
  if (RETRY_TRANSPORT.has(e.reason)) return 'retry';
  return ctx.established && RETRY_TRANSPORT_ESTABLISHED.has(e.reason) ? 'retry' : 'fatal';
}

/**
 * client-go's numbers (tools/cache/reflector.go: NewExponentialBackoffManager(800ms, 30s, 2m, 2.0,
 * 1.0)): the first wait 800 ms, doubling, each jittered up by as much again (a wait is in
 * [d, 2d)), and back to the first after 2 minutes without a failure. Unlike client-go the jittered
 * wait is capped too: never more than 30 s.
 */
export interface BackoffNumbers {
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
}

export const BACKOFF: BackoffNumbers = { initialMs: 800, maxMs: 30_000, resetAfterMs: 120_000 };

export interface Clock {
  now(): number;
  random(): number;
}

const SYSTEM_CLOCK: Clock = { now: () => Date.now(), random: Math.random };

/** One back-off sequence (a request's retries, or one watch stream's failures). */
export class Backoff {
  private readonly n: BackoffNumbers;
  private step = 0;
  private waits = 0;
  private last = -Infinity;

  constructor(numbers: Partial<BackoffNumbers> = {}, private readonly clock: Clock = SYSTEM_CLOCK) {
    this.n = { ...BACKOFF, ...numbers };
  }

  /**
   * The next wait (ms). A Retry-After the server sent (seconds, read by errors.ts statusError)
   * replaces it, capped at the maximum.
   */
  next(retryAfterSeconds?: number): number {
    const now = this.clock.now();
    if (now - this.last > this.n.resetAfterMs) this.step = this.waits = 0;
    this.last = now;
    this.waits++;
    const base = Math.min(this.n.initialMs * 2 ** this.step, this.n.maxMs);
    if (base < this.n.maxMs) this.step++;
    if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, this.n.maxMs);
    return Math.min(base + this.clock.random() * base, this.n.maxMs);
  }

  /** How many waits this sequence has given since it last started over. */
  get count(): number {
    return this.waits;
  }
}
