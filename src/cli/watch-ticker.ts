// The watch's clock tick: time-driven blockers (overdue termination, a long-running init step)
// need one. Each pod is re-derived when its last derivation is a tick old, a few pods at a time
// between the updates, and at most TICK_BUDGET a second: re-deriving thousands of pods at once held
// the event loop for seconds, and every 5 s doubled the work of a 1,000 updates/s watch (the p99
// and p50 of update-to-line in scripts/bench/watch.ts). With more unsettled pods than that, each is
// re-judged less often (5,000 pods: every 20 s).
import type { WatchFact, WatchTracker } from '../model/transitions.js';
import { collectGarbage } from './memory.js';

/** Pods re-derived by the clock between two updates (~0.1-0.2 ms each). */
const TICK_SLICE = 50;
/** Pods re-derived by the clock per second, at most (~50 ms of CPU). */
const TICK_BUDGET = 250;

export interface TickerDeps {
  everyMs: number;
  clock: () => string;
  print: (facts: WatchFact[]) => void;
  /** --until's check, once a tick. */
  check: () => void;
  /** False once the watch is ending: no more slices. */
  live: () => boolean;
}

/** Starts the tick; returns its interval (the caller clears it). */
export function startTicker(tracker: WatchTracker, d: TickerDeps): NodeJS.Timeout {
  const every = d.everyMs;
  const interval = Math.min(every, 1000);
  let ticks = 0;
  let budget = 0;
  let slicing = false;
  const slice = () => {
    slicing = false;
    if (!d.live() || budget <= 0) return;
    const n = Math.min(TICK_SLICE, budget);
    budget -= n;
    d.print(tracker.tick(d.clock(), { minAgeMs: every, limit: n }));
    if (tracker.tickUnfinished && budget > 0) {
      slicing = true;
      setImmediate(slice);
    }
  };
  return setInterval(() => {
    budget = Math.max(1, Math.round((TICK_BUDGET * interval) / 1000));
    if (!slicing) slice();
    d.check();
    if (++ticks % 5 === 0) collectGarbage(64); // RSS stays flat over 100,000 updates (memory.ts)
  }, interval);
}
