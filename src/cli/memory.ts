// Bounded memory for long or big runs. V8 lets its heap grow to about twice what is live (more when
// the allocation rate is high) before it collects; in describe between pages of a big list, and in
// watch every few seconds, almost everything allocated is already garbage: collecting there keeps the
// peak near what is live (describe -A, 10,000 pods: 290 MB -> 190 MB; watch after 100,000 updates:
// 266 MB and growing -> flat; see scripts/bench). Only past `minHeapMB`: small runs never pay for it.
import v8 from 'node:v8';
import vm from 'node:vm';

let gcFn: (() => void) | undefined;

/** A full garbage collection, when V8 allows it and the used heap is past minHeapMB. */
export function collectGarbage(minHeapMB = 32): void {
  if (v8.getHeapStatistics().used_heap_size < minHeapMB * 2 ** 20) return;
  gcFn ??= (() => {
    try {
      v8.setFlagsFromString('--expose-gc');
      return vm.runInNewContext('gc') as () => void;
    } catch {
      return () => {};
    }
  })();
  gcFn();
}

/**
 * A long-running process whose live heap is small beside what it allocates (watch: a parsed pod
 * and its lifecycle per update, kept a few ms): V8 grows the old generation by the next limit's
 * factor after each full collection, up to 4x what is live when allocation is fast. A growing
 * factor of 1.1 keeps it near what is live (scripts/bench/watch.ts, 5,000 live pods). It is read
 * at every collection, so setting it at run time works; `describe` never sets it.
 */
export function keepHeapNearLive(): void {
  try {
    v8.setFlagsFromString('--heap-growing-percent=10');
  } catch {
    /* an older or newer V8 without the flag: only memory */
  }
}
