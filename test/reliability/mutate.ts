// Deterministic mutations of recorded pods, events and logs: what a broken API server, a half-written
// support bundle or a hand-edited file can hand the model. A seeded PRNG makes every run the same,
// so a failure names the seed and iteration that reproduce it.
import type { PodEvidence } from '../../src/model/types.js';

/** mulberry32: tiny, fast, good enough to pick mutations. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

type Json = any;

/** A place in an object tree: parent and key (so the value can be replaced or deleted). */
interface Slot {
  parent: Json;
  key: string | number;
  path: string;
}

/** Every slot of the tree (objects and arrays, depth-first), for picking one at random. */
export function slots(root: Json, prefix = ''): Slot[] {
  const out: Slot[] = [];
  const walk = (v: Json, path: string) => {
    if (v === null || typeof v !== 'object') return;
    const keys: (string | number)[] = Array.isArray(v) ? v.map((_, i) => i) : Object.keys(v);
    for (const k of keys) {
      const p = `${path}${Array.isArray(v) ? `[${k}]` : `.${k}`}`;
      out.push({ parent: v, key: k, path: p });
      walk(v[k], p);
    }
  };
  walk(root, prefix);
  return out;
}

export const HUGE = 'x'.repeat(256 * 1024);

/** Values of every JSON type (what a wrong-typed field can hold). */
function wrongValue(r: Rng, was: Json): Json {
  const choices: (() => Json)[] = [
    () => null,
    () => 0,
    () => -1,
    () => 1.5,
    () => 2 ** 53 + 1,
    () => -1e308,
    () => '',
    () => 'garbage',
    () => '2026-13-45T99:99:99Z',
    () => '9999-12-31T23:59:59Z',
    () => '1970-01-01T00:00:00Z',
    () => true,
    () => false,
    () => [],
    () => [null, 1, 'a'],
    () => ({}),
    () => ({ unexpected: { nested: [1, { deeper: null }] } }),
    () => HUGE.slice(0, 4096),
    () => (typeof was === 'string' ? [was] : typeof was === 'number' ? String(was) : typeof was === 'object' && was !== null ? JSON.stringify(was).slice(0, 40) : was),
  ];
  return r.pick(choices)();
}

const TIME_KEYS = new Set([
  'startedAt', 'finishedAt', 'creationTimestamp', 'deletionTimestamp', 'lastTransitionTime', 'lastProbeTime', 'startTime',
  'firstTimestamp', 'lastTimestamp', 'eventTime', 'deprecatedFirstTimestamp', 'deprecatedLastTimestamp', 'lastObservedTime', 'time',
]);
const MESSAGE_KEYS = new Set(['message', 'reason', 'note', 'text', 'detail']);

function shiftTime(r: Rng, v: Json): Json {
  const t = typeof v === 'string' ? Date.parse(v) : NaN;
  const base = Number.isFinite(t) ? t : Date.parse('2026-11-21T22:56:00Z');
  const choice = r.int(6);
  if (choice === 0) return new Date(base - (1 + r.int(86400)) * 1000).toISOString(); // earlier: out of order
  if (choice === 1) return new Date(base + (1 + r.int(86400)) * 1000).toISOString(); // later
  if (choice === 2) return '2999-01-01T00:00:00Z'; // far future
  if (choice === 3) return '0001-01-01T00:00:00Z'; // Go's zero time
  if (choice === 4) return new Date(base).toISOString().replace('Z', '+05:30'); // offset, not UTC
  return 'not a time';
}

/** One random mutation anywhere in `root`: delete, null, wrong type, a shifted time, a huge message. */
export function mutateAnywhere(r: Rng, root: Json): string {
  const all = slots(root);
  if (all.length === 0) return 'nothing to mutate';
  const s = r.pick(all);
  const was = s.parent[s.key];
  const k = String(s.key);
  if (TIME_KEYS.has(k) && r.chance(0.7)) {
    s.parent[s.key] = shiftTime(r, was);
    return `time ${s.path}`;
  }
  if (MESSAGE_KEYS.has(k) && r.chance(0.5)) {
    s.parent[s.key] = HUGE;
    return `huge ${s.path}`;
  }
  switch (r.int(3)) {
    case 0:
      if (Array.isArray(s.parent)) s.parent.splice(Number(s.key), 1);
      else delete s.parent[s.key];
      return `delete ${s.path}`;
    case 1:
      s.parent[s.key] = null;
      return `null ${s.path}`;
    default:
      s.parent[s.key] = wrongValue(r, was);
      return `wrong type ${s.path}`;
  }
}

const STATUS_LISTS = ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses'] as const;

function statusEntries(pod: Json): Json[] {
  const st = pod?.status;
  if (!st || typeof st !== 'object') return [];
  return STATUS_LISTS.flatMap((l) => (Array.isArray(st[l]) ? st[l] : [])).filter((x: Json) => x && typeof x === 'object');
}

/** Mutations aimed at what the model interprets: statuses, names, states and times. */
export const POD_MUTATIONS: Record<string, (r: Rng, pod: Json) => void> = {
  anywhere: (r, pod) => void mutateAnywhere(r, pod),
  anywhereTwice: (r, pod) => {
    mutateAnywhere(r, pod);
    mutateAnywhere(r, pod);
  },
  unknownStatusName: (r, pod) => {
    const e = statusEntries(pod);
    if (e.length) r.pick(e).name = `ghost-${r.int(1000)}`;
  },
  statusWithoutSpec: (r, pod) => {
    const e = statusEntries(pod);
    if (!e.length) return;
    const copy = structuredClone(r.pick(e));
    copy.name = `not-in-spec-${r.int(1000)}`;
    const list = r.pick(STATUS_LISTS);
    pod.status[list] = [...(Array.isArray(pod.status[list]) ? pod.status[list] : []), copy];
  },
  duplicateName: (r, pod) => {
    const c = pod?.spec?.containers;
    if (Array.isArray(c) && c.length) c.push(structuredClone(r.pick(c)));
  },
  stateWrongType: (r, pod) => {
    const e = statusEntries(pod);
    if (!e.length) return;
    const s = r.pick(e);
    s.state = r.pick<Json>([null, 'running', 7, [], { running: 5 }, { terminated: 'yes' }, { waiting: [] }]);
  },
  timesOutOfOrder: (r, pod) => {
    for (const s of statusEntries(pod)) {
      for (const k of ['running', 'terminated'] as const) {
        const st = s.state?.[k];
        if (st && typeof st === 'object') {
          if (st.startedAt && st.finishedAt) [st.startedAt, st.finishedAt] = [st.finishedAt, st.startedAt];
          else if (st.startedAt) st.startedAt = shiftTime(r, st.startedAt);
        }
      }
    }
  },
  timesInFuture: (r, pod) => {
    for (const s of slots(pod)) if (TIME_KEYS.has(String(s.key)) && r.chance(0.5)) s.parent[s.key] = '2999-01-01T00:00:00Z';
  },
  hugeMessages: (_r, pod) => {
    for (const s of slots(pod)) if (MESSAGE_KEYS.has(String(s.key)) && typeof s.parent[s.key] === 'string') s.parent[s.key] = HUGE;
    const e = statusEntries(pod)[0];
    if (e) e.state = { waiting: { reason: 'CrashLoopBackOff', message: HUGE } };
  },
  restartCountWeird: (r, pod) => {
    const e = statusEntries(pod);
    if (e.length) r.pick(e).restartCount = r.pick<Json>([-5, 1e12, 'three', 2.5, null]);
  },
  listsWrongType: (r, pod) => {
    const where = r.chance(0.5) ? pod.spec : pod.status;
    if (where && typeof where === 'object') {
      const k = r.pick(['containers', 'initContainers', 'ephemeralContainers', 'conditions', ...STATUS_LISTS]);
      where[k] = r.pick<Json>([{}, 'list', 3, null, [null, null], [[]]]);
    }
  },
};

export const EVENT_MUTATIONS: Record<string, (r: Rng, ev: Json, pod: Json) => void> = {
  anywhere: (r, ev) => void mutateAnywhere(r, ev),
  unknownContainer: (r, ev) => {
    const ref = ev.involvedObject ?? ev.regarding;
    if (ref && typeof ref === 'object') ref.fieldPath = r.pick(['spec.containers{ghost}', 'spec.initContainers{}', 'spec.containers', '{{{', 'spec.ephemeralContainers{x}']);
  },
  futureTime: (r, ev) => {
    for (const k of ['firstTimestamp', 'lastTimestamp', 'eventTime']) if (k in ev) ev[k] = r.chance(0.5) ? '2999-01-01T00:00:00Z' : '1970-01-01T00:00:00Z';
  },
  countWeird: (r, ev) => {
    if ('count' in ev) ev.count = r.pick<Json>([-1, 0, 1e15, 'many', null]);
    if (ev.series && typeof ev.series === 'object') ev.series.count = r.pick<Json>([-1, 'x', null]);
  },
  hugeMessage: (_r, ev) => {
    if ('message' in ev) ev.message = HUGE;
    if ('note' in ev) ev.note = HUGE;
  },
  otherPod: (_r, ev) => {
    const ref = ev.involvedObject ?? ev.regarding;
    if (ref && typeof ref === 'object') ref.uid = 'someone-else';
  },
};

/** Log samples with shuffled, garbage and future timestamps. */
export function mutateLogs(r: Rng, logs: Json): void {
  for (const c of Object.values(logs ?? {}) as Json[]) {
    for (const inst of ['current', 'previous']) {
      const s = c?.[inst];
      if (!s || typeof s !== 'object') continue;
      switch (r.int(4)) {
        case 0:
          s.head = Array.isArray(s.head) ? [...s.head].reverse() : s.head;
          break;
        case 1:
          s.tail = [{ time: '2999-01-01T00:00:00Z', text: 'from the future' }];
          break;
        case 2:
          s.head = [{ time: 'nope', text: HUGE }, null, 5];
          break;
        default:
          mutateAnywhere(r, s);
      }
    }
  }
}

/** A copy of `ev` with 1–3 pod mutations, 0–6 event mutations and maybe log mutations. */
export function mutateEvidence(r: Rng, ev: PodEvidence): { ev: PodEvidence; what: string[]; mutatedObjects: number } {
  // Only what gets mutated is copied: the recorded evidence stays intact for the next run.
  const out = { ...ev, pod: structuredClone(ev.pod), events: [...(Array.isArray(ev.events) ? ev.events : [])] } as Json;
  const what: string[] = [];
  const n = 1 + r.int(3);
  const names = Object.keys(POD_MUTATIONS);
  for (let i = 0; i < n; i++) {
    const m = r.pick(names);
    POD_MUTATIONS[m](r, out.pod);
    what.push(`pod:${m}`);
  }
  let mutatedObjects = 1;
  if (Array.isArray(out.events) && out.events.length) {
    const enames = Object.keys(EVENT_MUTATIONS);
    for (let i = r.int(7); i > 0; i--) {
      const m = r.pick(enames);
      const at = r.int(out.events.length);
      out.events[at] = structuredClone(out.events[at]);
      EVENT_MUTATIONS[m](r, out.events[at], out.pod);
      what.push(`event:${m}`);
      mutatedObjects++;
    }
  }
  if (r.chance(0.2)) {
    out.logs = structuredClone(ev.logs);
    mutateLogs(r, out.logs);
    what.push('logs');
  }
  return { ev: out, what, mutatedObjects };
}

/** A recorded pod grown to `n` app containers (spec and running statuses copied from its first app). */
export function manyContainers(ev: PodEvidence, n: number): PodEvidence {
  const out = structuredClone(ev) as Json;
  const spec0 = out.pod.spec.containers[0];
  const st0 = out.pod.status?.containerStatuses?.[0] ?? {};
  out.pod.spec.containers = Array.from({ length: n }, (_, i) => ({ ...structuredClone(spec0), name: `c${i}` }));
  out.pod.status.containerStatuses = Array.from({ length: n }, (_, i) => ({ ...structuredClone(st0), name: `c${i}` }));
  return out;
}
