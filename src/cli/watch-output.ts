// The watch's lines in order while some wait for evidence read for them (a failed instance's last
// words: sources/last-words.ts). Invariant: facts are emitted in the order they were pushed, so a
// line is never printed before one that preceded it; a batch waits at most HOLD_MS for its
// evidence, and the batches after it wait with it.
import type { WatchFact } from '../model/transitions.js';
import type { MarkFact } from '../model/watch/facts.js';
import type { Pod } from '../model/k8s.js';
import type { LastWordsReader } from '../sources/last-words.js';

/** How long a batch waits for its evidence before it is printed without it. */
export const HOLD_MS = 2000;

export class OrderedOutput {
  private queue: { facts: WatchFact[]; ready: boolean }[] = [];

  constructor(private readonly emit: (facts: WatchFact[]) => void) {}

  /** `wait`: the evidence of these facts (settles, never rejects); null: nothing to wait for. */
  push(facts: WatchFact[], wait: Promise<unknown> | null): void {
    if (wait === null && this.queue.length === 0) return this.emit(facts);
    const entry = { facts, ready: wait === null };
    this.queue.push(entry);
    if (wait === null) return;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, HOLD_MS);
      timer.unref();
    });
    void Promise.race([wait, late]).then(() => {
      clearTimeout(timer);
      entry.ready = true;
      this.drain();
    });
  }

  private drain(): void {
    while (this.queue.length && this.queue[0].ready) this.emit(this.queue.shift()!.facts);
  }

  /** Everything still held, evidence or not (the watch is ending). */
  flushAll(): void {
    const q = this.queue;
    this.queue = [];
    for (const e of q) this.emit(e.facts);
  }
}

/** A Terminated mark of an instance that failed: a non-zero exit (a liveness kill is one), or OOMKilled. */
function failedInstance(f: WatchFact): f is MarkFact {
  if (f.fact !== 'mark' || f.type !== 'Terminated' || f.container === null || f.entry.facts.kind !== 'exit') return false;
  const x = f.entry.facts;
  return (typeof x.exitCode === 'number' && x.exitCode !== 0) || x.reason === 'OOMKilled';
}

/**
 * Sets the last words of each failed instance among the facts (MarkFact.lastWords): at once what
 * the status says (and "not read in time" until the log line comes), then the log line. `podOf`:
 * the pod object the facts were derived from. Resolves when every read settled; null: no such fact.
 */
export function readLastWords(facts: WatchFact[], podOf: (f: WatchFact) => Pod | undefined, reader: LastWordsReader): Promise<unknown> | null {
  const reads: Promise<void>[] = [];
  for (const f of facts) {
    if (!failedInstance(f) || f.entry.facts.kind !== 'exit') continue;
    const pod = podOf(f);
    const { instance } = f.entry.facts;
    f.lastWords = { ...reader.statusWords(pod, f.container!, instance), unread: { why: 'timeout', ms: HOLD_MS } };
    reads.push(reader.read(pod, f.container!, instance).then((w) => void (f.lastWords = w)));
  }
  return reads.length ? Promise.all(reads) : null;
}
