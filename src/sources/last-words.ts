// The last words of a failed container instance for the watch: its termination message (from the
// pod status at hand) and its last log line, read as describe reads it (KubeApi.readLog, one
// request: tailLines=1 with limitBytes), `previous=true` when the instance was replaced by a
// running one. Invariants: at most RATE requests a second whatever the crash rate (a token bucket:
// a crash storm across a cluster costs a bounded number of requests), at most IN_FLIGHT at once; a
// line is only this instance's when its time lies within the instance's start and finish (a
// restart racing the request would return the next instance's log).
import type { ContainerStatus, Pod } from '../model/k8s.js';
import type { LastWords } from '../model/findings.js';
import type { LastWordsUnread } from '../model/watch/facts.js';
import { lastLineText, lastLineTime } from '../model/logs.js';
import { oneLine } from '../model/facts.js';
import { ms } from '../model/time.js';
import type { KubeApi } from './api.js';
import { ApiError } from './errors.js';

/** Log requests a second at most (the bucket refills at this rate). */
export const LAST_WORDS_RATE = 5;
/** Requests that may be sent at once after a quiet while. */
const BURST = 10;
const IN_FLIGHT = 5;
/** Status times are whole seconds: a line up to this much after finishedAt is still the instance's. */
const SLACK_MS = 1000;

export type LastWordsResult = LastWords & { unread?: LastWordsUnread };

/** The status of a container of the pod, any kind. */
function statusOf(pod: Pod | undefined, container: string): ContainerStatus | null {
  const s = pod?.status;
  if (!s) return null;
  for (const list of [s.initContainerStatuses, s.containerStatuses, s.ephemeralContainerStatuses]) {
    const c = Array.isArray(list) ? list.find((x) => x?.name === container) : undefined;
    if (c) return c;
  }
  return null;
}

export class LastWordsReader {
  private tokens = BURST;
  private refilled = Date.now();
  private inFlight = 0;
  /** Set once a read is forbidden: no more requests, one note said it. */
  forbidden = false;

  constructor(private readonly api: KubeApi, private readonly onForbidden: (message: string) => void) {}

  private take(): boolean {
    const now = Date.now();
    this.tokens = Math.min(BURST, this.tokens + ((now - this.refilled) / 1000) * LAST_WORDS_RATE);
    this.refilled = now;
    if (this.tokens < 1 || this.inFlight >= IN_FLIGHT) return false;
    this.tokens -= 1;
    return true;
  }

  /**
   * The last words of the instance of `container` that ended at `finishedAt` (`instance`: the
   * status's current or previous one, as the timeline entry says), from `pod` (the object whose
   * update printed it). Never rejects.
   */
  /** What the status says of the instance: its termination message (no request). */
  statusWords(pod: Pod | undefined, container: string, instance: 'current' | 'previous'): LastWords {
    const st = statusOf(pod, container);
    const term = instance === 'current' ? st?.state?.terminated : st?.lastState?.terminated;
    return { lastLogLine: null, terminationMessage: oneLine(term?.message) || null };
  }

  async read(pod: Pod | undefined, container: string, instance: 'current' | 'previous'): Promise<LastWordsResult> {
    const st = statusOf(pod, container);
    const term = instance === 'current' ? st?.state?.terminated : st?.lastState?.terminated;
    const words: LastWordsResult = this.statusWords(pod, container, instance);
    const md = pod?.metadata;
    if (!md?.name || this.forbidden) return words;
    if (!this.take()) return { ...words, unread: { why: 'rate', perSecond: LAST_WORDS_RATE } };
    this.inFlight++;
    try {
      // the kubelet's current log of a waiting container is its last terminated instance; of a
      // running one, the new instance: then the ended one is `previous`
      const sample = await this.api.readLog(md.namespace ?? '', md.name, container, { previous: !!st?.state?.running, lastLineOnly: true });
      const at = ms(lastLineTime(sample));
      const from = ms(term?.startedAt);
      const to = ms(term?.finishedAt);
      const mine = at !== null && (from === null || at >= from - SLACK_MS) && (to === null || at <= to + SLACK_MS);
      const text = mine ? lastLineText(sample) : null;
      return text ? { ...words, lastLogLine: oneLine(text) } : { ...words, unread: { why: 'empty' } };
    } catch (e) {
      if (e instanceof ApiError && (e.code === 403 || e.code === 401)) {
        if (!this.forbidden) this.onForbidden(e.message);
        this.forbidden = true;
        return words;
      }
      return { ...words, unread: { why: 'refused' } };
    } finally {
      this.inFlight--;
    }
  }
}
