// A deleted pod is kept RETAIN_MS as a tombstone (src/model/watch/store.ts) so that its late events,
// which the events stream may deliver after the pods stream's DELETED, still print their occurrence
// lines (issue 13 #3), and --until still reads it. The expected lines are read from the recordings
// (test/fixtures/recordings: each version of an event the contract prints is one line, output
// contract), not from the model.
import { WatchTracker, type WatchFact } from '../../src/model/transitions.js';
import { RETAIN_MS } from '../../src/model/watch/store.js';
import type { CoreEvent, Pod } from '../../src/model/k8s.js';
import { timeline } from './replay.js';

const CONTRACT_EVENTS: Record<string, string> = { Pulling: 'Pulling', Pulled: 'Pulled', Created: 'Created', Killing: 'Killing', BackOff: 'BackOff', Unhealthy: 'ProbeFailed' };
const T0 = Date.parse('2026-11-21T23:10:00Z'); // after every recorded time
const at = (ms: number) => new Date(T0 + ms).toISOString();

function recorded(scenario: string) {
  const tl = timeline(scenario);
  const pods = tl.filter((l) => l.stream === 'pods').map((l) => ({ type: l.type, pod: l.item.obj as Pod }));
  const events = tl.filter((l) => l.stream === 'events' && l.type !== 'DELETED').map((l) => l.item.obj as CoreEvent);
  // one line per recorded version of an event the contract prints, for a container of the pod
  const want = events.filter((e) => CONTRACT_EVENTS[e.reason ?? ''] && e.involvedObject?.fieldPath)
    .map((e) => `${CONTRACT_EVENTS[e.reason!]} ${/\{(.+)\}/.exec(e.involvedObject!.fieldPath!)![1]} ${e.count ?? 1}`);
  return { pods, events, want };
}

const occurrenceLines = (fs: WatchFact[]) => fs.filter((f) => f.fact === 'occurrence').map((f) => f.fact === 'occurrence' && `${f.type} ${f.container} ${f.count}`);

/** The recorded pod versions through a tracker, events held back; returns the deleted pod's last object. */
function playPods(tr: WatchTracker, pods: { type: string; pod: Pod }[], deleteAt: number): Pod {
  let last: Pod = {};
  for (const p of pods) {
    if (p.type === 'DELETED') tr.deleted(p.pod, at(deleteAt));
    else tr.pod(p.pod, at(0));
    last = p.pod;
  }
  return last;
}

describe('ordering: the pod is deleted before its events arrive (the events stream lags)', () => {
  const { pods, events, want } = recorded('ordering');

  test('the recording deletes the pod and has event lines to tell', () => {
    expect(pods.at(-1)?.type).toBe('DELETED');
    expect(want).toEqual(expect.arrayContaining(['Killing app 1', 'Created first-sidecar 1']));
  });

  test('within retainMs each late occurrence prints once; the same versions again (a re-list) print nothing', () => {
    const tr = new WatchTracker({});
    playPods(tr, pods, 1000);
    const late = events.flatMap((e) => tr.event(e, at(1000 + RETAIN_MS - 1000)));
    expect(occurrenceLines(late)).toEqual(want);
    expect(late.filter((f) => f.fact !== 'occurrence')).toEqual([]);
    expect(events.flatMap((e) => tr.event(e, at(1000 + RETAIN_MS - 500)))).toEqual([]);
  });

  test('occurrences printed while the pod lived are not printed again by the tombstone', () => {
    const tr = new WatchTracker({});
    const half = Math.floor(events.length / 2);
    const live = events.slice(0, half).flatMap((e) => tr.event(e, at(0))); // held for the pod, told with it
    const told = occurrenceLines([...live, ...pods.flatMap((p) => (p.type === 'DELETED' ? tr.deleted(p.pod, at(1000)) : tr.pod(p.pod, at(0))))]);
    const late = occurrenceLines(events.flatMap((e) => tr.event(e, at(2000))));
    expect([...told, ...late].sort()).toEqual([...want].sort());
    expect(late.length).toBe(want.length - told.length);
  });

  test('a re-list of the deleted pod, or its deletion again, prints nothing', () => {
    const tr = new WatchTracker({});
    const last = playPods(tr, pods, 1000);
    const versions = pods.filter((p) => p.type !== 'DELETED').map((p) => p.pod);
    for (const p of versions) expect(tr.pod(p, at(2000))).toEqual([]);
    expect(tr.pod({ ...last, metadata: { ...last.metadata, resourceVersion: '999999999' } }, at(2000))).toEqual([]);
    expect(tr.deleted(last, at(2000))).toEqual([]);
  });

  test('after retainMs the tombstone is let go: its late events print nothing', () => {
    const tr = new WatchTracker({});
    playPods(tr, pods, 1000);
    tr.tick(at(1000 + RETAIN_MS + 1000));
    expect(events.flatMap((e) => tr.event(e, at(1000 + RETAIN_MS + 1000)))).toEqual([]);
    // nor later (they were held as events of a pod not tracked, never told)
    expect(tr.tick(at(1000 + RETAIN_MS + 2000))).toEqual([]);
  });

  test('thousands of deletions in turn: each tombstone is let go retainMs after its own deletion, not before', () => {
    const retainMs = 10_000;
    const tr = new WatchTracker({ retainMs });
    const N = 2500; // more than twice the store's 1,024-entry queue step
    const final = pods.filter((p) => p.type !== 'DELETED').at(-1)!.pod;
    const gone = pods.at(-1)!.pod;
    const as = <T extends { metadata?: any }>(o: T, i: number, extra: object = {}): T => ({ ...o, metadata: { ...o.metadata, uid: `copy-${i}`, name: `copy-${i}`, ...extra } });
    for (let i = 0; i < N; i++) {
      tr.pod(as(final, i), at(i * 100));
      tr.deleted(as(gone, i), at(i * 100)); // one deletion every 100 ms
    }
    const end = (N - 1) * 100;
    const late = (i: number) => occurrenceLines(events.flatMap((e, k) => tr.event({ ...e, metadata: { ...e.metadata, uid: `${e.metadata?.uid}-${i}-${k}` }, involvedObject: { ...e.involvedObject, uid: `copy-${i}` } }, at(end))));
    const oldest = Math.ceil((end - retainMs) / 100); // deleted exactly retainMs before the last deletion
    expect(late(N - 1)).toEqual(want);
    expect(late(oldest)).toEqual(want);
    expect(late(oldest - 1)).toEqual([]);
    expect(late(1024)).toEqual([]);
    expect(late(0)).toEqual([]);
  });

  test('--until reads the deleted pod as its last recorded state (Succeeded, Initialized=True, Ready=False)', () => {
    const last = pods.at(-1)!.pod;
    expect(last.status?.phase).toBe('Succeeded');
    const cond = (t: string) => last.status?.conditions?.find((c) => c.type === t)?.status;
    expect([cond('Initialized'), cond('Ready')]).toEqual(['True', 'False']);
    const tr = new WatchTracker({});
    playPods(tr, pods.slice(0, -1), 1000);
    expect(tr.progress('deleted').done).toBe(false);
    playPods(tr, pods.slice(-1), 1000);
    expect(tr.progress('deleted')).toMatchObject({ done: true, pending: [], failed: [] });
    expect(tr.progress('complete')).toMatchObject({ done: true, pending: [], failed: [] });
    expect(tr.progress('initialized')).toMatchObject({ done: true, pending: [], failed: [] });
    // deleted before it was ready: it no longer holds the wait, and no other pod was seen
    expect(tr.progress('ready')).toMatchObject({ done: false, pending: [], failed: [] });
  });
});

describe('app-crashloop: a pod deleted while it crash-loops (Running)', () => {
  const { pods } = recorded('app-crashloop');

  test('--until complete still waits for it, with its status and the blockers it had', () => {
    const last = pods.at(-1)!.pod;
    expect(last.status?.phase).toBe('Running');
    // kubectl's STATUS: the one container's waiting or terminated reason (here: Error, exit 1)
    const api = last.status?.containerStatuses?.[0]?.state;
    const status = api?.waiting?.reason ?? api?.terminated?.reason;
    expect(status).toBe('Error');
    const tr = new WatchTracker({});
    playPods(tr, pods, 0);
    const before = tr.progress('complete');
    expect(before.pending.map((p) => [p.pod, p.status])).toEqual([['app-crash', status]]);
    tr.deleted(last, at(1000));
    const after = tr.progress('complete');
    expect({ ...after, unreachable: [] }).toEqual(before);
    // it can no longer complete: watch.ts fails the wait at once when the pod was named, else waits on
    expect(after.unreachable.map((u) => [u.pod, u.why])).toEqual([['app-crash', 'deleted']]);
    expect(tr.progress('deleted')).toMatchObject({ done: true, pending: [], failed: [] });
  });
});
