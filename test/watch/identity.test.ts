// The identity rules of the watch (src/model/watch/identity.ts), on recorded evidence: which facts
// are new. The expected values are read from the recordings themselves (event uids and counts,
// status start times), not from the model.
import { describePod } from '../../src/model/describe.js';
import type { CoreEvent, Pod } from '../../src/model/k8s.js';
import type { PodModel } from '../../src/model/types.js';
import { newFacts, newIdentity, occurrences, type LateLines } from '../../src/model/watch/identity.js';
import { loadPod, contextOf } from '../model/evidence.js';
import { timeline } from './replay.js';

const NOW = '2026-11-21T23:10:00Z';
const CONTRACT_EVENTS: Record<string, string> = { Pulling: 'Pulling', Pulled: 'Pulled', Created: 'Created', Killing: 'Killing', BackOff: 'BackOff', Unhealthy: 'ProbeFailed' };

function recorded(scenario: string, stream: 'pods' | 'events') {
  return timeline(scenario).filter((l) => l.stream === stream && l.type !== 'DELETED').map((l) => l.item.obj as any);
}

describe('event occurrences: one fact per event uid and count', () => {
  const events = recorded('app-crashloop', 'events') as CoreEvent[];
  // what the recording holds: every version of an event the contract prints, for a container
  const want = events.filter((e) => CONTRACT_EVENTS[e.reason ?? ''] && e.involvedObject?.fieldPath)
    .map((e) => `${CONTRACT_EVENTS[e.reason!]} ${/\{(.+)\}/.exec(e.involvedObject!.fieldPath!)![1]} ${e.count ?? 1}`);
  const pod = { namespace: 'rec-app-crashloop', name: 'app-crash' };

  test('every recorded version once, in stream order; a re-list of the same versions adds nothing', () => {
    expect(want).toContain('BackOff api 4');
    const id = newIdentity();
    const first = occurrences(id, pod, events, NOW);
    expect(first.map((f) => `${f.type} ${f.container} ${f.count}`)).toEqual(want);
    expect(occurrences(id, pod, events, NOW)).toEqual([]);
  });

  test('a reason that names a member of Object ("constructor", "toString") is no line type', () => {
    const hostile = events.map((e, i) => ({ ...e, reason: i % 2 ? 'constructor' : 'toString', metadata: { ...e.metadata, uid: `hostile-${i}` } }));
    expect(occurrences(newIdentity(), pod, hostile, NOW)).toEqual([]);
  });

  test('a deleted pod (tombstone) still knows which occurrences it printed', () => {
    const id = newIdentity();
    const half = Math.floor(events.length / 2);
    const seen = occurrences(id, pod, events.slice(0, half), NOW).length;
    const dead: LateLines = { emitted: id.emitted, names: id.names }; // what store.ts bury keeps for late lines
    const late = occurrences(dead, pod, events, NOW);
    expect(seen + late.length).toBe(want.length);
    expect(occurrences(dead, pod, events, NOW)).toEqual([]);
  });
});

describe('marks of the recorded pod versions', () => {
  const versions = recorded('app-crashloop', 'pods') as Pod[];
  const lifecycle = (p: Pod): PodModel => describePod({ pod: p, events: [], logs: {}, sources: { events: 'ok', logs: 'skipped' } }, { now: NOW });
  const pod = { namespace: 'rec-app-crashloop', name: 'app-crash' };

  test('one Started per instance of api (the distinct startedAt of the recorded statuses); replayed versions add nothing', () => {
    const starts = new Set<string>();
    for (const p of versions) {
      for (const s of p.status?.containerStatuses ?? []) if (s.name === 'api') for (const at of [s.state?.running?.startedAt, s.lastState?.terminated?.startedAt]) if (at) starts.add(at);
    }
    expect(starts.size).toBeGreaterThan(2);
    const id = newIdentity();
    const got: string[] = [];
    for (const p of versions) got.push(...newFacts(id, pod, lifecycle(p), [], NOW, false).filter((f) => f.type === 'Started' && f.container === 'api').map((f) => f.time));
    expect(got.sort()).toEqual([...starts].sort());
    // a re-list or reconnect replays them all: nothing is new
    for (const p of versions) expect(newFacts(id, pod, lifecycle(p), [], NOW, false).filter((f) => f.fact === 'mark')).toEqual([]);
  });
});

describe('blockers: identified by code and container, never by their facts', () => {
  const ev = loadPod('sidecar-readiness-fail', 'not-ready');
  const ctx = contextOf('sidecar-readiness-fail', 'not-ready');
  const lc = describePod(ev, ctx);
  const pod = { namespace: 'rec-sidecar-readiness-fail', name: 'readiness' };

  test('appears once, changed facts are not a new blocker, and it clears with its last facts', () => {
    // the recorded pod: proxy's readiness probe fails (status ready=false, Unhealthy events)
    const proxy = lc.blockers.find((b) => b.code === 'SidecarNotReady' && b.container === 'proxy');
    expect(proxy).toBeDefined();
    const id = newIdentity();
    const appeared = newFacts(id, pod, lc, [], ctx.now, false).filter((f) => f.fact === 'blocker');
    expect(appeared.map((f) => f.fact === 'blocker' && `${f.blocker.code} ${f.container} ${f.cleared}`)).toContain('SidecarNotReady proxy false');
    const changed = { ...lc, blockers: lc.blockers.map((b) => ({ ...b, since: '2026-11-21T22:59:59Z' })) };
    expect(newFacts(id, pod, changed, [], ctx.now, false).filter((f) => f.fact === 'blocker')).toEqual([]);
    const cleared = newFacts(id, pod, { ...lc, blockers: [] }, [], '2026-11-21T23:00:00Z', false).filter((f) => f.fact === 'blocker');
    expect(cleared.length).toBe(lc.blockers.length);
    const c = cleared.find((f) => f.fact === 'blocker' && f.blocker.code === 'SidecarNotReady');
    expect(c && c.fact === 'blocker' && [c.cleared, c.time, c.blocker.since]).toEqual([true, '2026-11-21T23:00:00Z', '2026-11-21T22:59:59Z']);
  });
});
