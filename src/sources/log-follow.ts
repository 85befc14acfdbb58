// `watch --logs`: the followed logs of the watched pods' containers, one stream per running
// instance (GET …/log?follow=true&timestamps=true: the kubelet sends the instance's log from its
// start, then each line as it is written, and ends the stream when the instance ends). New pods,
// sidecars and restarted instances join when a pod update shows them running. Invariants: at most
// `maxStreams` streams at once (kubectl's --max-log-requests), the others waiting in the order they
// came and named, never left out silently; a line is at most `maxLineBytes` (cut and marked); a
// 401/403 stops every stream, said once.
import type { ContainerStatus, Pod } from '../model/k8s.js';
import { parseLogLines } from './evidence.js';
import { corePath, type KubeApi } from './api.js';
import { ApiError } from './errors.js';

/** One instance of a container: the stream's identity. */
export interface LogInstance {
  namespace: string;
  pod: string;
  container: string;
  /** state.running.startedAt of the instance. */
  startedAt: string;
  /** status.restartCount when it was seen running: which instance (0: the first). */
  restart: number;
}

export interface LogSink {
  /** `time`: the kubelet's timestamp (RFC 3339, nanoseconds), or null when the line had none. */
  line(i: LogInstance, time: string | null, text: string, cut: boolean): void;
  started(i: LogInstance): void;
  /** The stream ended: the instance ended, the pod went, or the server closed it (`error`). */
  ended(i: LogInstance, error: string | null): void;
  /** Instances waiting for a free stream (the limit), each said once. */
  waiting(i: LogInstance[]): void;
  /** The user may not read pods/log: no stream is opened any more. */
  forbidden(message: string): void;
}

export const MAX_LOG_LINE_BYTES = 16 * 1024;

const keyOf = (i: LogInstance) => `${i.namespace}/${i.pod}/${i.container}/${i.startedAt}`;

function running(pod: Pod): LogInstance[] {
  const md = pod.metadata ?? {};
  const s = pod.status ?? {};
  const out: LogInstance[] = [];
  for (const list of [s.initContainerStatuses, s.containerStatuses, s.ephemeralContainerStatuses]) {
    for (const c of (Array.isArray(list) ? list : []) as ContainerStatus[]) {
      const at = c?.state?.running?.startedAt;
      if (!c?.name || !at || !md.name) continue;
      out.push({ namespace: md.namespace ?? '', pod: md.name, container: c.name, startedAt: at, restart: c.restartCount ?? 0 });
    }
  }
  return out;
}

/** The instances the status says ended (current terminated, or the last one), with their finish. */
function ended(pod: Pod): { key: string; finishedAt: number }[] {
  const md = pod.metadata ?? {};
  const s = pod.status ?? {};
  const out: { key: string; finishedAt: number }[] = [];
  for (const list of [s.initContainerStatuses, s.containerStatuses, s.ephemeralContainerStatuses]) {
    for (const c of (Array.isArray(list) ? list : []) as ContainerStatus[]) {
      for (const t of [c?.state?.terminated, c?.lastState?.terminated]) {
        const f = t?.finishedAt ? Date.parse(t.finishedAt) : NaN;
        if (t?.startedAt && !Number.isNaN(f)) out.push({ key: `${md.namespace ?? ''}/${md.name}/${c.name}/${t.startedAt}`, finishedAt: f });
      }
    }
  }
  return out;
}

export class LogFollower {
  private readonly open = new Map<string, AbortController>();
  /** Open streams whose instance a pod update showed ended: its finishedAt (ms). */
  private readonly endsAt = new Map<string, number>();
  /** Running instances without a stream, in the order they were seen. */
  private readonly queue = new Map<string, LogInstance>();
  private readonly told = new Set<string>();
  private readonly done = new Set<string>();
  private refused = false;

  constructor(
    private readonly api: KubeApi,
    private readonly sink: LogSink,
    private readonly opts: { maxStreams: number; maxLineBytes?: number; signal: AbortSignal },
  ) {
    // one listener for every stream (a listener each went past Node's warning at 11 streams)
    opts.signal.addEventListener('abort', () => {
      for (const c of this.open.values()) c.abort();
    }, { once: true });
  }

  /** A pod added or modified: its running instances join (or wait for a stream); those not running any more stop waiting. */
  pod(pod: Pod): void {
    if (this.refused) return;
    const now = running(pod);
    const keys = new Set(now.map(keyOf));
    const md = pod.metadata ?? {};
    // an instance being followed that the status says ended: lines after its end are another's
    // (a request that raced a restart is answered with the new instance's log)
    for (const t of ended(pod)) if (this.open.has(t.key)) this.endsAt.set(t.key, t.finishedAt);
    for (const [k, i] of this.queue) if (i.namespace === (md.namespace ?? '') && i.pod === md.name && !keys.has(k)) this.queue.delete(k);
    for (const i of now) {
      const k = keyOf(i);
      if (!this.open.has(k) && !this.done.has(k)) this.queue.set(k, i);
    }
    this.fill();
  }

  /** The pod was removed: its waiting instances go (open streams end by themselves). */
  deleted(pod: Pod): void {
    const md = pod.metadata ?? {};
    for (const [k, i] of this.queue) if (i.namespace === (md.namespace ?? '') && i.pod === md.name) this.queue.delete(k);
    // what was followed of it is not asked again: forgotten (memory stays with the live pods)
    const prefix = `${md.namespace ?? ''}/${md.name}/`;
    for (const k of this.done) if (k.startsWith(prefix)) this.done.delete(k);
  }

  private fill(): void {
    for (const [k, i] of this.queue) {
      if (this.open.size >= this.opts.maxStreams || this.refused) break;
      this.queue.delete(k);
      this.follow(k, i);
    }
    const left = [...this.queue].filter(([k]) => !this.told.has(k));
    if (left.length && !this.refused) {
      for (const [k] of left) this.told.add(k);
      this.sink.waiting(left.map(([, i]) => i));
    }
  }

  private follow(k: string, i: LogInstance): void {
    const ctl = new AbortController();
    if (this.opts.signal.aborted) ctl.abort();
    this.open.set(k, ctl);
    this.sink.started(i);
    const path = `${corePath(i.namespace, 'pods')}/${encodeURIComponent(i.pod)}/log`;
    const from = Date.parse(i.startedAt);
    const onLine = (text: string, cut: boolean) => {
      const [parsed] = parseLogLines(text);
      const at = parsed ? Date.parse(parsed.time) : NaN;
      // status times are whole seconds: a line within the second of the start or the end is the instance's
      const end = this.endsAt.get(k);
      if (!Number.isNaN(at) && (at < from - 1000 || (end !== undefined && at >= end + 1000))) {
        if (end !== undefined && at >= end + 1000) ctl.abort();
        return;
      }
      // the kubelet stamps every line (timestamps=true); a line without one keeps its text
      if (parsed && text.startsWith(parsed.time)) this.sink.line(i, parsed.time, parsed.text, cut);
      else this.sink.line(i, null, text, cut);
    };
    const info = { verb: 'get', resource: 'pods/log', namespace: i.namespace, name: i.pod } as const;
    this.api.http.getLines(path, { container: i.container, follow: 'true', timestamps: 'true' }, onLine, info, ctl.signal, this.opts.maxLineBytes ?? MAX_LOG_LINE_BYTES).then(
      () => this.close(k, i, null),
      (e: unknown) => {
        if (e instanceof ApiError && (e.code === 401 || e.code === 403)) {
          this.close(k, i, null);
          if (!this.refused) this.sink.forbidden(e.message);
          this.refused = true;
          this.queue.clear();
          for (const c of this.open.values()) c.abort();
          return;
        }
        this.close(k, i, e instanceof Error ? e.message : String(e));
      },
    );
  }

  private close(k: string, i: LogInstance, error: string | null): void {
    this.open.delete(k);
    this.endsAt.delete(k);
    this.done.add(k);
    if (!this.opts.signal.aborted && !this.refused) this.sink.ended(i, error);
    this.fill();
  }
}
