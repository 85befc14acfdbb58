// `watch --logs`: the followed logs (sources/log-follow.ts) merged with the lifecycle lines in
// time order. Invariants: every fact, log line or transition, waits REORDER_MS after it arrived,
// then facts are released in time order, so a log line is never printed before a transition that
// preceded it, nor a crash's last lines after its Terminated line, when they arrive within the
// window of each other (a Terminated time is truncated to its second: it sorts at that second's
// end); at most MAX_HELD facts and MAX_HELD_BYTES of text are held (the oldest go early past
// that), so memory is bounded
// whatever the log rate (each line is cut at the follower's line limit).
import type { WatchFact } from '../model/transitions.js';
import type { LogFact } from '../model/watch/facts.js';
import type { Pod } from '../model/k8s.js';
import { preciseKey } from '../model/time.js';
import type { KubeApi } from '../sources/api.js';
import { LogFollower, type LogInstance } from '../sources/log-follow.js';

/** Short: it is most of a log line's latency (the bench's p99 target is 100 ms). */
export const REORDER_MS = 50;
/** How long a Terminated line waits for its container's open log stream to end (its last lines). */
const STREAM_END_MS = 5000;
const MAX_HELD = 20_000;
/** And at most this much log text (lines are ≤ 16 KiB each: sources/log-follow.ts). */
const MAX_HELD_BYTES = 8 * 1024 * 1024;

export interface WatchLogsDeps {
  api: KubeApi;
  maxStreams: number;
  signal: AbortSignal;
  /** The watch's clock (RFC 3339). */
  clock: () => string;
  /** `wait`: the evidence a lifecycle fact waits for (cli/watch-output.ts). */
  emit: (facts: WatchFact[], wait: Promise<unknown> | null) => void;
  note: (text: string) => void;
}

export class WatchLogs {
  private held: { f: WatchFact; at: number; key: number; seq: number; wait: Promise<unknown> | null; stream: string | null }[] = [];
  /** Open log streams per pod/container (namespace/pod/container). */
  private readonly streams = new Map<string, number>();
  private seq = 0;
  private heldBytes = 0;
  /** The time of the last line of each open stream. */
  private readonly lastTime = new Map<LogInstance, string>();
  private readonly follower: LogFollower;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly d: WatchLogsDeps) {
    const head = (i: LogInstance) => ({ namespace: i.namespace, pod: i.pod, container: i.container, instance: i.restart, startedAt: i.startedAt });
    this.follower = new LogFollower(d.api, {
      line: (i, time, text, cut) => {
        const f: LogFact = { fact: 'log', type: 'Log', time: time ?? d.clock(), ...head(i), text, cut };
        this.lastTime.set(i, f.time);
        if (time === null) f.received = true;
        this.hold(f);
      },
      started: (i) => {
        const k = `${i.namespace}/${i.pod}/${i.container}`;
        this.streams.set(k, (this.streams.get(k) ?? 0) + 1);
        this.hold({ fact: 'log', type: 'LogStart', time: i.startedAt, ...head(i), text: '', cut: false });
      },
      // the end is stamped with the stream's last line (or its start): it follows them in time order
      ended: (i, error) => {
        const time = this.lastTime.get(i) ?? i.startedAt;
        this.lastTime.delete(i);
        const k = `${i.namespace}/${i.pod}/${i.container}`;
        const n = (this.streams.get(k) ?? 1) - 1;
        if (n > 0) this.streams.set(k, n);
        else this.streams.delete(k);
        this.hold({ fact: 'log', type: 'LogEnd', time, ...head(i), text: '', cut: false, error });
      },
      waiting: (is) => d.note(`log streams are limited to ${d.maxStreams} at once (--max-log-requests): not followed until one ends: ${is.map((i) => `${i.namespace}/${i.pod}/${i.container}`).join(', ')}`),
      forbidden: (m) => d.note(`logs are not followed: ${m}`),
    }, { maxStreams: d.maxStreams, signal: d.signal });
    this.timer = setInterval(() => this.release(Date.now() - REORDER_MS, -Infinity), 25);
    this.timer.unref();
  }

  pod(p: Pod): void {
    this.follower.pod(p);
  }

  deleted(p: Pod): void {
    this.follower.deleted(p);
  }

  private hold(f: WatchFact, wait: Promise<unknown> | null = null): void {
    const whole = f.type === 'Terminated' && !f.time.includes('.');
    // a Terminated line whose container's log is followed waits for the stream's end: its last lines
    const stream = f.type === 'Terminated' && f.container !== null ? `${f.namespace}/${f.pod}/${f.container}` : null;
    this.held.push({ f, at: Date.now(), key: preciseKey(f.time) + (whole ? 999.999 : 0), seq: this.seq++, wait, stream: stream && this.streams.has(stream) ? stream : null });
    if (f.fact === 'log') this.heldBytes += f.text.length;
    if (this.held.length > MAX_HELD || this.heldBytes > MAX_HELD_BYTES) this.release(Infinity, Infinity, Math.ceil(this.held.length / 2));
  }

  /** Lifecycle facts join the window (with the evidence they wait for). */
  lifecycle(facts: WatchFact[], wait: Promise<unknown> | null): void {
    for (const f of facts) this.hold(f, wait);
  }

  /**
   * Releases, in time order, the held lines received before `receivedBefore` or timed before
   * `timedBefore` (and at least the `count` oldest, when given).
   */
  private release(receivedBefore: number, timedBefore: number, count = 0): void {
    if (!this.held.length) return;
    this.held.sort((a, b) => a.key - b.key || a.seq - b.seq);
    let n = 0;
    // the lines due, and every line timed before the newest of them (time order across streams)
    let due = -Infinity;
    for (const h of this.held) if (h.at <= receivedBefore || h.key < timedBefore) due = Math.max(due, h.key);
    const now = Date.now();
    while (n < this.held.length && (n < count || this.held[n].key <= due)) {
      const h = this.held[n];
      if (n >= count && h.stream !== null && this.streams.has(h.stream) && now - h.at < STREAM_END_MS) break;
      n++;
    }
    if (n === 0) return;
    // consecutive facts of one wait go together
    let batch: WatchFact[] = [];
    let wait: Promise<unknown> | null = null;
    for (const h of this.held.splice(0, n)) {
      if (h.f.fact === 'log') this.heldBytes -= h.f.text.length;
      if (batch.length && h.wait !== wait) {
        this.d.emit(batch, wait);
        batch = [];
      }
      batch.push(h.f);
      wait = h.wait;
    }
    if (batch.length) this.d.emit(batch, wait);
  }

  /** The watch is ending: every held line. */
  flushAll(): void {
    clearInterval(this.timer);
    this.release(Infinity, Infinity, this.held.length);
  }
}
