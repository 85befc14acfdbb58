// Synthetic clusters for the benchmark, made of real recorded objects (test/fixtures/recordings):
// each pod is a copy of a recorded pod with a new name, namespace and uid, and carries exactly
// EVENTS_PER_POD copies of that pod's recorded events (cycled), re-pointed at the copy.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RECORDINGS_DIR } from '../../test/apiserver/recordings.js';

const SEEDS_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'seeds');

export const EVENTS_PER_POD = 10;
/**
 * The realistic mix (issue 15), 20.4 events per pod on average: plain pods 16, native and legacy
 * sidecars and Jobs 20, crash loops 40. A crash loop's events are what the kubelet's recorder lets
 * through (client-go tools/record: a spam filter per object and source with a burst of 25, then one
 * event per 5 minutes; repeats of one event are one object whose count grows): 25 + 15 over 75
 * minutes, the repeated ones (BackOff, Pulled, Created, Started, Unhealthy…) with counts in the tens.
 */
export const EVENTS_PER_POD_REAL = -1;
const REAL: Record<Template['kind'], number> = { plain: 16, native: 20, legacy: 20, crashloop: 40, job: 20 };

interface Template {
  kind: 'plain' | 'native' | 'legacy' | 'crashloop' | 'job';
  podJson: string;
  eventJsons: string[];
  name: string;
  namespace: string;
}

/** Share of each kind in a cluster (out of 20). */
const MIX: Template['kind'][] = [
  'plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'plain', 'plain',
  'native', 'native', 'native', 'native', 'native', 'native',
  'legacy',
  'crashloop', 'crashloop',
  'job', 'job', 'job',
];

const SOURCES: { kind: Template['kind']; scenario: string; snapshot: string }[] = [
  { kind: 'native', scenario: 'deployment-mesh', snapshot: 'running' },
  { kind: 'native', scenario: 'istio-native', snapshot: 'running' },
  { kind: 'native', scenario: 'statefulset', snapshot: 'running' },
  { kind: 'native', scenario: 'init-interleaved', snapshot: 'running' },
  { kind: 'native', scenario: 'ordering', snapshot: 'running' },
  { kind: 'native', scenario: 'sidecar-startup-slow', snapshot: 'ready' },
  { kind: 'native', scenario: 'sidecar-readiness-fail', snapshot: 'not-ready' },
  { kind: 'legacy', scenario: 'job-legacy-sidecar', snapshot: 'stuck' },
  { kind: 'crashloop', scenario: 'app-crashloop', snapshot: 'crashlooping' },
  { kind: 'crashloop', scenario: 'sidecar-crashloop', snapshot: 'crashlooping' },
  { kind: 'crashloop', scenario: 'init-crashloop', snapshot: 'crashlooping' },
  { kind: 'crashloop', scenario: 'sidecar-liveness-fail', snapshot: 'restarting' },
  { kind: 'crashloop', scenario: 'image-pull-fail', snapshot: 'pull-backoff' },
  { kind: 'job', scenario: 'job-native-sidecar', snapshot: 'completed' },
  { kind: 'job', scenario: 'job-retries', snapshot: 'failed' },
  { kind: 'job', scenario: 'cronjob', snapshot: 'completed' },
];

/** Seeds of real shape from a v1.35 cluster (scripts/bench/seeds/: a handful of pods, their events). */
const SEEDS = [{ kind: 'native' as const, file: 'fieldselector-load.json' }];

function readList(scenario: string, snapshot: string, file: string): any[] {
  return JSON.parse(readFileSync(join(RECORDINGS_DIR, scenario, 'snapshots', snapshot, `${file}.json`), 'utf8')).items ?? [];
}

let templates: Template[] | undefined;

export function loadTemplates(): Template[] {
  if (templates) return templates;
  const out: Template[] = [];
  for (const src of SOURCES) {
    const events = readList(src.scenario, src.snapshot, 'events');
    for (const pod of readList(src.scenario, src.snapshot, 'pods')) {
      const own = events.filter((e) => e.involvedObject?.uid === pod.metadata.uid);
      out.push({ kind: src.kind, podJson: JSON.stringify(pod), eventJsons: own.map((e) => JSON.stringify(e)), name: pod.metadata.name, namespace: pod.metadata.namespace });
      if (src.scenario === 'deployment-mesh') {
        // A plain pod (no recording has one): this recorded Deployment pod with its native istio-proxy
        // sidecar removed from spec.initContainers and status.initContainerStatuses, and without the
        // events about that container. Everything else is as recorded.
        const plain = JSON.parse(JSON.stringify(pod));
        plain.spec.initContainers = (plain.spec.initContainers ?? []).filter((c: any) => c.restartPolicy !== 'Always');
        plain.status.initContainerStatuses = (plain.status.initContainerStatuses ?? []).filter((s: any) => plain.spec.initContainers.some((c: any) => c.name === s.name));
        if (plain.spec.initContainers.length === 0) delete plain.spec.initContainers;
        if (plain.status.initContainerStatuses.length === 0) delete plain.status.initContainerStatuses;
        const appEvents = own.filter((e) => !/initContainers/.test(e.involvedObject?.fieldPath ?? ''));
        out.push({ kind: 'plain', podJson: JSON.stringify(plain), eventJsons: appEvents.map((e) => JSON.stringify(e)), name: pod.metadata.name, namespace: pod.metadata.namespace });
      }
    }
  }
  for (const seed of SEEDS) {
    const { pods, events } = JSON.parse(readFileSync(join(SEEDS_DIR, seed.file), 'utf8')) as { pods: any[]; events: any[] };
    for (const pod of pods) {
      const own = events.filter((e) => e.involvedObject?.uid === pod.metadata.uid);
      out.push({ kind: seed.kind, podJson: JSON.stringify(pod), eventJsons: own.map((e) => JSON.stringify(e)), name: pod.metadata.name, namespace: pod.metadata.namespace });
    }
  }
  templates = out;
  return out;
}

export interface Cluster {
  pods: object[];
  events: object[];
  /** Pods per kind, for the table's caption. */
  mix: Record<string, number>;
}

/** A list item of the test server (test/apiserver/recordings.ts Item) holding only its JSON. */
class LeanItem {
  readonly key: string;
  readonly namespace: string;
  readonly name: string;
  readonly json: string;
  constructor(o: any) {
    this.namespace = o.metadata.namespace;
    this.name = o.metadata.name;
    this.key = `${this.namespace}/${this.name}`;
    // a list item has no kind/apiVersion, as the API server writes items
    const { kind: _k, apiVersion: _a, ...rest } = o;
    this.json = JSON.stringify(rest);
  }

  /** Parsed again when a selector or the events.k8s.io form needs the object. */
  get obj(): any {
    return JSON.parse(this.json);
  }
}

const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');

/** A deterministic uid: cluster tag, object kind (pod 0 / event 1), index. */
export const benchUid = (tag: number, kind: number, i: number) => `${hex(tag, 8)}-${hex(kind, 4)}-4000-8000-${hex(i, 12)}`;

/**
 * `pods` pods spread over `namespaces` namespaces (bench-00…), each with `eventsPerPod` events
 * (EVENTS_PER_POD_REAL: by kind, crash loops with their recorder's counts).
 */
export function makeCluster(pods: number, namespaces = 20, tag = 0xbe7c4, eventsPerPod = EVENTS_PER_POD, lean = false): Cluster {
  const all = loadTemplates();
  const byKind = new Map<string, Template[]>();
  for (const t of all) byKind.set(t.kind, [...(byKind.get(t.kind) ?? []), t]);
  const out: Cluster = { pods: [], events: [], mix: {} };
  // lean (--scale: 100,000 pods, 2,000,000 events): keep each object as its list JSON only, which
  // the test server serves as is; parsed objects of that many would not fit the bench's heap
  const keep = (list: object[], o: any) => list.push(lean ? new LeanItem(o) : o);
  let ev = 0;
  for (let i = 0; i < pods; i++) {
    const kind = MIX[i % MIX.length];
    const choices = byKind.get(kind)!;
    const t = choices[Math.floor(i / MIX.length) % choices.length];
    const ns = `bench-${String(i % namespaces).padStart(2, '0')}`;
    const name = `${t.name}-b${i}`;
    const uid = benchUid(tag, 0, i);
    const pod = JSON.parse(t.podJson);
    pod.metadata.name = name;
    pod.metadata.namespace = ns;
    pod.metadata.uid = uid;
    keep(out.pods, pod);
    out.mix[kind] = (out.mix[kind] ?? 0) + 1;
    const n = eventsPerPod === EVENTS_PER_POD_REAL ? REAL[kind] : eventsPerPod;
    for (let k = 0; k < n && t.eventJsons.length; k++) {
      const e = JSON.parse(t.eventJsons[k % t.eventJsons.length]);
      if (eventsPerPod === EVENTS_PER_POD_REAL && k >= t.eventJsons.length) spamFiltered(e, Math.floor(k / t.eventJsons.length), kind === 'crashloop');
      e.metadata.name = `${name}.${hex(0x18ea0000 + ev, 16)}`;
      e.metadata.namespace = ns;
      e.metadata.uid = benchUid(tag, 1, ev);
      e.involvedObject = { ...e.involvedObject, name, namespace: ns, uid };
      if (typeof e.message === 'string') e.message = e.message.replace(`${t.namespace}/${t.name}`, `${ns}/${name}`);
      keep(out.events, e);
      ev++;
    }
  }
  return out;
}

/**
 * The round-th repeat of a recorded event, as the recorder would have let it through later: the
 * same event deduplicated (count up, last time later; events.k8s.io keeps them in series), five
 * minutes per round (the spam filter's refill); in a crash loop the back-off repeats dozens of times.
 */
function spamFiltered(e: any, round: number, crashloop: boolean): void {
  const step = round * 5 * 60 * 1000;
  const later = (t: unknown) => (typeof t === 'string' && Number.isFinite(Date.parse(t)) ? new Date(Date.parse(t) + step).toISOString().replace('.000Z', 'Z') : t);
  const base = typeof e.count === 'number' ? e.count : 1;
  e.count = base + round * (crashloop ? 12 : 1);
  if (e.lastTimestamp) e.lastTimestamp = later(e.lastTimestamp);
  if (e.series) e.series = { ...e.series, count: e.count, lastObservedTime: later(e.series.lastObservedTime ?? e.eventTime) };
}
