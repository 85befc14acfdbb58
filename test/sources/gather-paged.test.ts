// gatherPaged() (describe -o json of a whole selection, page by page) gives the evidence gather()
// gives, through the recorded API server; the JSON list writer writes renderJson's bytes; the
// events.k8s.io/v1 list is read only when core/v1 fails; trimmed pods lose no field the model reads.
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../apiserver/server.js';
import { gather, gatherPaged } from '../../src/sources/gather.js';
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

async function paged(opts: DescribeOptions): Promise<{ pods: PodEvidence[]; pages: number; notices: string[] }> {
  const pods: PodEvidence[] = [];
  let pages = 0;
  const r = await gatherPaged(opts, (page) => {
    pages++;
    pods.push(...page);
  });
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

  test('-A in pages of 2: the same answer as gather(), in pages, without the events.k8s.io list', async () => {
    const whole = await gather(options(srv, { all: true, chunk: 2 }));
    srv.requests.length = 0;
    const p = await paged(options(srv, { all: true, chunk: 2 }));
    expect(p.pods.length).toBe(whole.pods.length);
    expect(p.pods.length).toBeGreaterThan(5);
    expect(p.pages).toBeGreaterThan(3);
    expect(answer(p.pods)).toBe(answer(whole.pods));
    expect(p.pods.filter((e) => e.events.length > 0).length).toBe(p.pods.length);
    expect(srv.requests.some((r) => r.path.startsWith('/apis/events.k8s.io'))).toBe(false);
    // pages of pods trimmed as they arrived
    expect(p.pods.every((e) => (e.pod.metadata as Record<string, unknown>).managedFields === undefined)).toBe(true);
    expect(p.pods.every((e) => !e.pod.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'])).toBe(true);
  });

  test('a namespace with a selector: the same answer as gather()', async () => {
    const o = options(srv, { ns: 'rec-deployment-mesh', selector: 'app=web', chunk: 1 });
    const whole = await gather(o);
    const p = await paged(o);
    expect(p.pods).toHaveLength(3);
    expect(answer(p.pods)).toBe(answer(whole.pods));
  });

  test('a list of at most 5 pods still reads logs (auto), as gather() does', async () => {
    const o = options(srv, { ns: 'rec-job-retries', chunk: 1 });
    const whole = await gather(o);
    const p = await paged(o);
    expect(p.pods).toHaveLength(3);
    expect(p.pods.every((e) => e.sources.logs === 'ok')).toBe(true);
    expect(answer(p.pods)).toBe(answer(whole.pods));
    expect(p.pages).toBe(1);
  });

  test('declines named pods, files and --logs', async () => {
    expect(await gatherPaged({ ...options(srv), targets: { names: ['ordering'], allNamespaces: false } }, () => {})).toBeNull();
    expect(await gatherPaged(options(srv, { logs: 'on' }), () => {})).toBeNull();
  });
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
