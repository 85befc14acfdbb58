// Pods of one shape share the array of their container names and kinds (src/model/watch/identity.ts
// keeps one per shape): a pod whose containers differ must never see another pod's kinds. Expected
// kinds are Kubernetes' rule, read from the recorded spec: an init container with restartPolicy
// Always is a sidecar, one without is a plain init container.
import { describePod } from '../../src/model/describe.js';
import type { CoreEvent, Pod } from '../../src/model/k8s.js';
import { newFacts, newIdentity, occurrences, type Identity, type LateLines } from '../../src/model/watch/identity.js';
import type { WatchFact } from '../../src/model/watch/facts.js';
import { timeline } from './replay.js';

const NOW = '2026-11-21T23:10:00Z';
const recorded = (stream: 'pods' | 'events') => timeline('istio-native').filter((l) => l.stream === stream && l.type !== 'DELETED').map((l) => l.item.obj as any);
const lifecycle = (p: Pod) => describePod({ pod: p, events: [], logs: {}, sources: { events: 'ok', logs: 'skipped' } }, { now: NOW });
/** The kind each container's timeline marks carry (blocker lines carry none). */
const kinds = (fs: WatchFact[]) => new Map(fs.filter((f) => f.fact === 'mark' && f.container).map((f) => [f.container!, f.kind]));

describe('istio-native: kinds per pod, whatever the pods around it', () => {
  const versions = recorded('pods') as Pod[];
  // the same pod with istio-proxy as a plain init container (no restartPolicy: Always)
  const plain = versions.map((p) => {
    const q = structuredClone(p);
    for (const c of q.spec?.initContainers ?? []) if (c.name === 'istio-proxy') delete c.restartPolicy;
    return q;
  });

  test('the recorded spec: istio-proxy is a sidecar, istio-init an init container, reviews the app', () => {
    const spec = versions.at(-1)!.spec!;
    expect(spec.initContainers!.map((c) => [c.name, c.restartPolicy ?? null])).toEqual([['istio-init', null], ['istio-proxy', 'Always']]);
    expect(spec.containers?.map((c) => c.name)).toEqual(['reviews']);
  });

  test('two pods of two shapes, told in turn, each keep their own kinds; a third of the first shape too', () => {
    const a = newIdentity();
    const b = newIdentity();
    const c = newIdentity();
    const got = { a: [] as WatchFact[], b: [] as WatchFact[], c: [] as WatchFact[] };
    for (let i = 0; i < versions.length; i++) {
      got.a.push(...newFacts(a, { namespace: 'ns', name: 'a' }, lifecycle(versions[i]), [], NOW, false));
      got.b.push(...newFacts(b, { namespace: 'ns', name: 'b' }, lifecycle(plain[i]), [], NOW, false));
    }
    for (const v of versions) got.c.push(...newFacts(c, { namespace: 'ns', name: 'c' }, lifecycle(v), [], NOW, false));
    const sidecar = new Map([['istio-init', 'init'], ['istio-proxy', 'sidecar'], ['reviews', 'app']]);
    expect(kinds(got.a)).toEqual(sidecar);
    expect(kinds(got.c)).toEqual(sidecar);
    expect(kinds(got.b)).toEqual(new Map([['istio-init', 'init'], ['istio-proxy', 'init'], ['reviews', 'app']]));
    // the same marks for the same recorded pod, whichever pods came between
    expect(got.c.map((f) => `${f.type} ${f.container}`)).toEqual(got.a.map((f) => `${f.type} ${f.container}`));

    // deleted, each pod's late event lines still carry its own kinds
    const late = (id: Identity): LateLines => ({ emitted: id.emitted, names: id.names }); // what store.ts bury keeps for them
    const events = recorded('events') as CoreEvent[];
    const proxy = events.filter((e) => e.involvedObject?.fieldPath === 'spec.initContainers{istio-proxy}' && ['Pulled', 'Created'].includes(e.reason ?? ''));
    expect(proxy.length).toBeGreaterThan(0);
    expect(occurrences(late(a), { namespace: 'ns', name: 'a' }, proxy, NOW).map((f) => f.kind)).toEqual(proxy.map(() => 'sidecar'));
    expect(occurrences(late(b), { namespace: 'ns', name: 'b' }, proxy, NOW).map((f) => f.kind)).toEqual(proxy.map(() => 'init'));
  });
});
