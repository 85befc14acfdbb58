// gatherPaged() (describe of a whole selection, page by page) gives the evidence that reading the
// same pods by name gives (targets.ts: another way to reach pods and events), through the recorded
// API server; the JSON list writer writes renderJson's bytes; the events.k8s.io/v1 list is read only
// when core/v1 fails; trimmed pods lose no field the model reads.
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../apiserver/server.js';
import { gather, gatherPaged, type GatherDeps } from '../../src/sources/gather.js';
import type { PodEvidence } from '../../src/model/types.js';
import type { DescribeOptions } from '../../src/options.js';
import { describeOptions, type TestSelection } from './options.js';
import { describePod, describePods } from '../../src/model/describe.js';
import { jsonListWriter, renderJson } from '../../src/render/json.js';

const SNAPSHOTS: Record<string, string> = {
  ordering: 'terminating',
  'job-native-sidecar': 'completed',
  'deployment-mesh': 'running',
  statefulset: 'running',
  cronjob: 'completed',
  'job-retries': 'failed',
  'sidecar-crashloop': 'crashlooping',
  'job-legacy-sidecar': 'stuck',
};
const NOW = '2026-11-22T00:00:00Z';

const options = (srv: RunningApiServer, o: TestSelection = {}): DescribeOptions => describeOptions(srv, { now: NOW, ...o });

async function paged(opts: DescribeOptions, deps: GatherDeps = {}): Promise<{ pods: PodEvidence[]; pages: number; notices: string[] }> {
  const pods: PodEvidence[] = [];
  let pages = 0;
  const r = await gatherPaged(opts, (page) => {
    pages++;
    pods.push(...page);
  }, deps);
  if (!r) throw new Error('gatherPaged declined');
  return { pods, pages, notices: r.notices };
}

/** The describe answers as JSON (what a user sees): equal evidence for the model. */
const answer = (pods: PodEvidence[]) => renderJson(describePods(pods, { now: NOW, version: null }));

describe('gatherPaged against the recorded API server', () => {
  let srv: RunningApiServer;
  beforeAll(async () => {
    srv = await startApiServer({ scenarios: Object.keys(SNAPSHOTS), snapshot: SNAPSHOTS });
  });
  afterAll(() => srv.close());
  beforeEach(() => {
    srv.requests.length = 0;
  });

  // gather() collects what gatherPaged hands over (one engine): the independent reading to compare
  // with is naming the same pods (targets.ts: GETs, events by uid or per namespace, matched in one pass).
  test('-A in pages of 2: the same answer as naming every pod, namespace by namespace; without the events.k8s.io list', async () => {
    const p = await paged(options(srv, { all: true, chunk: 2 }));
    expect(srv.requests.some((r) => r.path.startsWith('/apis/events.k8s.io'))).toBe(false);
    expect(p.pods.length).toBeGreaterThan(5);
    expect(p.pages).toBeGreaterThan(3);
    expect(answer(p.pods)).toBe(answer(await named(p.pods, 'off')));
    expect(p.pods.filter((e) => e.events.length > 0).length).toBe(p.pods.length);
    // pages of pods trimmed as they arrived
    expect(p.pods.every((e) => (e.pod.metadata as Record<string, unknown>).managedFields === undefined)).toBe(true);
    expect(p.pods.every((e) => !e.pod.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'])).toBe(true);
    // and gather() answers the same
    expect(answer((await gather(options(srv, { all: true, chunk: 2 }))).pods)).toBe(answer(p.pods));
  });

  test('-A over more events than are held: each namespace\'s events listed when its pods come, the same answer as naming every pod', async () => {
    const p = await paged(options(srv, { all: true, chunk: 2 }), { eventsHeldMax: 10 });
    const events = srv.requests.filter((r) => /\/events$/.test(r.path));
    // one count of the whole cluster's events (one item), then each namespace's list (in pages of
    // 2: a first page, then continue tokens), once, in the order of the pods
    expect(events[0]).toMatchObject({ path: '/api/v1/events' });
    expect(events[0].query.limit).toBe('1');
    const firsts = events.slice(1).filter((r) => !r.query.continue).map((r) => r.path);
    const namespaces = [...new Set(p.pods.map((e) => e.pod.metadata?.namespace))];
    expect(firsts).toEqual(namespaces.map((n) => `/api/v1/namespaces/${n}/events`));
    expect(events.slice(1).every((r, i, a) => !r.query.continue || a[i - 1]?.path === r.path)).toBe(true);
    expect(p.pods.filter((e) => e.events.length > 0).length).toBe(p.pods.length);
    expect(answer(p.pods)).toBe(answer(await named(p.pods, 'off')));
  });

  test('a namespace with a selector: the same answer as naming its pods', async () => {
    const p = await paged(options(srv, { ns: 'rec-deployment-mesh', selector: 'app=web', chunk: 1 }));
    expect(p.pods).toHaveLength(3);
    expect(answer(p.pods)).toBe(answer(await named(p.pods)));
  });

  test('a list of at most 5 pods still reads logs (auto), as naming them does', async () => {
    const p = await paged(options(srv, { ns: 'rec-job-retries', chunk: 1 }));
    expect(p.pods).toHaveLength(3);
    expect(p.pods.every((e) => e.sources.logs === 'ok')).toBe(true);
    expect(answer(p.pods)).toBe(answer(await named(p.pods)));
    expect(p.pages).toBe(1);
  });

  test('--logs: every page is handed over with its logs', async () => {
    const p = await paged(options(srv, { all: true, chunk: 2, logs: 'on' }));
    expect(p.pods.length).toBeGreaterThan(5);
    expect(p.pages).toBeGreaterThan(3);
    expect(p.pods.every((e) => e.sources.logs === 'ok' && Object.keys(e.logs).length > 0)).toBe(true);
    expect(answer(p.pods)).toBe(answer(await named(p.pods, 'on')));
  });

  test('declines named pods and files (the CLI builds their list whole)', async () => {
    expect(await gatherPaged({ ...options(srv), targets: { names: ['ordering'], allNamespaces: false } }, () => {})).toBeNull();
    expect(await gatherPaged({ ...options(srv), targets: { names: [], allNamespaces: false, files: ['test/fixtures/demo'] } }, () => {})).toBeNull();
  });

  /** The same pods read by name, namespace by namespace, in the order given. */
  async function named(pods: PodEvidence[], logs: 'on' | 'off' | 'auto' = 'auto'): Promise<PodEvidence[]> {
    const out: PodEvidence[] = [];
    const namespaces = [...new Set(pods.map((e) => e.pod.metadata?.namespace ?? ''))];
    for (const ns of namespaces) {
      const names = pods.filter((e) => e.pod.metadata?.namespace === ns).map((e) => e.pod.metadata?.name ?? '');
      out.push(...(await gather(options(srv, { ns, names, logs }))).pods);
    }
    return out;
  }
});

describe('faults on the paged path', () => {
  let srv: RunningApiServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });
  const start = async (o: Partial<ApiServerOptions>) => (srv = await startApiServer({ scenarios: ['deployment-mesh'], snapshot: 'running', ...o }));

  test('core/v1 events refused: events.k8s.io/v1 read instead, events still ok', async () => {
    const s = await start({ faults: [{ match: { path: /^\/api\/v1\/namespaces\/rec-deployment-mesh\/events$/ }, kind: 'status', code: 403 }] });
    const p = await paged(options(s, { ns: 'rec-deployment-mesh' }));
    expect(p.pods).toHaveLength(3);
    expect(p.pods.every((e) => e.sources.events === 'ok' && e.events.length > 0)).toBe(true);
    expect(s.requests.filter((r) => /events$/.test(r.path)).map((r) => [r.path, r.status])).toEqual([
      ['/api/v1/namespaces/rec-deployment-mesh/events', 403],
      ['/apis/events.k8s.io/v1/namespaces/rec-deployment-mesh/events', 200],
    ]);
  });

  test('410 on a continue token: the list restarts and no pod is handed over twice', async () => {
    const s = await start({ faults: [{ match: { path: /pods.*continue=/ }, kind: 'status', code: 410, times: 1 }] });
    const p = await paged(options(s, { ns: 'rec-deployment-mesh', chunk: 1, logs: 'off' }));
    expect(p.pods.map((e) => e.pod.metadata?.name).sort()).toEqual(['web-5f9c997948-dxxbm', 'web-5f9c997948-kdp9k', 'web-5f9c997948-q22xp']);
  });
});

describe('jsonListWriter', () => {
  test('writes renderJson byte for byte, item by item (0, 1 and many pods)', async () => {
    const srv = await startApiServer({ scenarios: Object.keys(SNAPSHOTS), snapshot: SNAPSHOTS });
    try {
      const g = await gather(options(srv, { all: true, logs: 'off' }));
      for (const n of [0, 1, g.pods.length]) {
        const list = describePods(g.pods.slice(0, n), { now: NOW, version: null });
        let text = '';
        const w = jsonListWriter({ apiVersion: list.apiVersion, kind: list.kind }, (t) => (text += t));
        for (const ev of g.pods.slice(0, n)) w.item(describePod(ev, { now: NOW, version: null }));
        w.end();
        expect(text).toBe(renderJson(list));
      }
    } finally {
      await srv.close();
    }
  });
});
