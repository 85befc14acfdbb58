// The watch's clock (WatchTracker.tick): time alone can raise a blocker (the recorded `ordering`
// pod in its `terminating` snapshot still runs, so ten minutes on its termination is overdue). The
// command re-derives only pods a tick old, a few at a time (src/cli/watch.ts); these are the
// model's side of it.
import { WatchTracker } from '../../src/model/transitions.js';
import type { WatchFact } from '../../src/model/watch/facts.js';
import { contextOf, loadSnapshot } from '../model/evidence.js';

const blockers = (fs: WatchFact[]) => fs.flatMap((f) => (f.fact === 'blocker' ? [`${f.pod} ${f.blocker.code}${f.cleared ? ' cleared' : ''}`] : []));

function seeded(scenario: string, snapshot: string): { tracker: WatchTracker; later: string } {
  const evs = loadSnapshot(scenario, snapshot);
  const ctx = contextOf(scenario, snapshot);
  const tracker = new WatchTracker({ version: ctx.version });
  tracker.seed(evs.map((e) => e.pod), evs.flatMap((e) => e.events), ctx.now);
  return { tracker, later: new Date(Date.parse(ctx.now) + 10 * 60_000).toISOString() };
}

test('a pod derived less than minAgeMs ago is left alone; then the overdue termination shows once', () => {
  const { tracker, later } = seeded('ordering', 'terminating');
  expect(tracker.tick(later, { minAgeMs: 15 * 60_000 })).toEqual([]);
  expect(tracker.tickUnfinished).toBe(false);
  expect(tracker.tick(later, { minAgeMs: 5000, limit: 0 })).toEqual([]);
  expect(tracker.tickUnfinished).toBe(true);
  expect(blockers(tracker.tick(later, { minAgeMs: 5000, limit: 1 }))).toEqual(['ordering TerminationOverdue']);
  expect(tracker.tickUnfinished).toBe(false);
  // just derived: not due again
  expect(tracker.tick(later, { minAgeMs: 5000 })).toEqual([]);
});

test('one pod at a time, the clock tells what one tick over every pod tells', () => {
  const whole = seeded('rollout', 'mid-rollout-later');
  const want = blockers(whole.tracker.tick(whole.later));
  expect(want.filter((b) => b.endsWith('TerminationOverdue')).length).toBeGreaterThan(1);
  const sliced = seeded('rollout', 'mid-rollout-later');
  const got: string[] = [];
  let calls = 0;
  do {
    got.push(...blockers(sliced.tracker.tick(sliced.later, { minAgeMs: 5000, limit: 1 })));
    calls++;
  } while (sliced.tracker.tickUnfinished && calls < 100);
  expect(got.sort()).toEqual([...want].sort());
  expect(calls).toBeGreaterThan(1);
});
