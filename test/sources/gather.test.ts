// gather() against the local API server replaying real recordings, reached through the kubeconfig
// it writes, exactly as a user's kubectl would: targets, request counts, events, logs, degradation.
import fs from 'node:fs';
import path from 'node:path';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../apiserver/server.js';
import { gather } from '../../src/sources/gather.js';
import { TargetError } from '../../src/sources/selection.js';
import { describeOptions } from './options.js';
import type { CoreEvent, EventsV1Event, Pod } from '../../src/model/k8s.js';

const REC = path.join(process.cwd(), 'test/fixtures/recordings');
const recorded = <T>(scenario: string, snapshot: string, file: string): T[] =>
  JSON.parse(fs.readFileSync(path.join(REC, scenario, 'snapshots', snapshot, file), 'utf8')).items as T[];

const SNAPSHOTS: Record<string, string> = {
  ordering: 'terminating',
  'job-native-sidecar': 'completed',
  'deployment-mesh': 'running',
  statefulset: 'running',
  cronjob: 'completed',
  'job-retries': 'failed',
};

const options = describeOptions;

const fast = { http: { retry: { baseDelayMs: 10 } } };
const names = (g: { pods: { pod: Pod }[] }) => g.pods.map((p) => p.pod.metadata?.name).sort();
const reqs = (srv: RunningApiServer, re: RegExp) => srv.requests.filter((r) => re.test(r.path));

describe('gather against the recorded API server', () => {
  let srv: RunningApiServer;
  beforeAll(async () => {
    srv = await startApiServer({ scenarios: Object.keys(SNAPSHOTS), snapshot: SNAPSHOTS });
  });
  afterAll(() => srv.close());
  beforeEach(() => {
    srv.requests.length = 0;
  });

  test('one named pod: one GET, events by uid from core/v1 (events.k8s.io/v1 only if it fails), logs (one request each: the recorded logs are shorter than the head), version', async () => {
    const g = await gather(options(srv, { names: ['ordering'], ns: 'rec-ordering' }));
    expect(g.pods).toHaveLength(1);
    const p = g.pods[0];
    const uid = p.pod.metadata?.uid;
    const core = recorded<CoreEvent>('ordering', 'terminating', 'events.json').filter((e) => e.involvedObject?.uid === uid);
    expect(p.events).toHaveLength(core.length);
    expect(p.sources).toEqual({ events: 'ok', logs: 'ok' });
    expect(g.version?.minor).toBe('33');
    // logs parsed with their sub-second timestamps; "no previous instance" is the server's Status
    expect(p.logs.app.current?.head[0]).toEqual({ time: '2026-11-21T22:56:21.374733354Z', text: 'app started' });
    expect(p.logs['init-config'].current?.tail).toEqual([{ time: '2026-11-21T22:56:18.726923793Z', text: 'init-config done' }]);

    expect(reqs(srv, /\/pods\/ordering$/)).toHaveLength(1);
    const events = reqs(srv, /\/events$/);
    expect(events.map((r) => r.query.fieldSelector)).toEqual([`involvedObject.uid=${uid}`]);
    const logs = reqs(srv, /\/log$/);
    expect(logs.every((r) => r.query.timestamps === 'true')).toBe(true);
    // a head shorter than its limit is the whole log: its last line is the tail, not asked for again
    expect(logs.length).toBeGreaterThan(0);
    expect(logs.filter((r) => r.query.limitBytes === '4096')).toHaveLength(logs.length);
    expect(logs.filter((r) => r.query.tailLines !== undefined)).toEqual([]);
    expect(srv.requests.filter((r) => r.method !== 'GET')).toEqual([]);
  });

  test('job/podbee (job-native-sidecar) and job/flaky (job-retries: 3 pods)', async () => {
    expect(names(await gather(options(srv, { names: ['job/podbee'], ns: 'rec-job-native-sidecar', logs: 'off' })))).toEqual(
      recorded<Pod>('job-native-sidecar', 'completed', 'pods.json').map((p) => p.metadata?.name).sort(),
    );
    const g = await gather(options(srv, { names: ['jobs.batch/flaky'], ns: 'rec-job-retries', logs: 'off' }));
    expect(names(g)).toHaveLength(3);
    expect(g.pods.every((p) => p.pod.metadata?.ownerReferences?.[0]?.name === 'flaky')).toBe(true);
  });

  test('deployment/web: one GET, one ReplicaSet list, one pod list, filtered by owner', async () => {
    const g = await gather(options(srv, { names: ['deploy/web'], ns: 'rec-deployment-mesh', logs: 'off' }));
    expect(names(g)).toEqual(recorded<Pod>('deployment-mesh', 'running', 'pods.json').map((p) => p.metadata?.name).sort());
    expect(names(g)).toHaveLength(3);
    expect(reqs(srv, /\/pods$/)).toHaveLength(1);
    expect(reqs(srv, /\/replicasets$/)).toHaveLength(1);
    expect(reqs(srv, /\/deployments\/web$/)).toHaveLength(1);
    // events: one core/v1 list for the namespace (events.k8s.io/v1 only if it fails), matched by uid
    expect(reqs(srv, /\/events$/).map((r) => r.path)).toEqual(['/api/v1/namespaces/rec-deployment-mesh/events']);
    expect(g.pods.every((p) => p.events.length > 0 && p.sources.logs === 'skipped')).toBe(true);
  });

  test('statefulset/db and sts/db; cronjob/cleanup through its jobs (one jobs list)', async () => {
    expect(names(await gather(options(srv, { names: ['statefulset/db'], ns: 'rec-statefulset', logs: 'off' })))).toEqual(['db-0', 'db-1']);
    expect(names(await gather(options(srv, { names: ['sts/db'], ns: 'rec-statefulset', logs: 'off' })))).toEqual(['db-0', 'db-1']);
    srv.requests.length = 0;
    const g = await gather(options(srv, { names: ['cronjob/cleanup'], ns: 'rec-cronjob', logs: 'off' }));
    expect(names(g)).toEqual(recorded<Pod>('cronjob', 'completed', 'pods.json').map((p) => p.metadata?.name).sort());
    expect(reqs(srv, /\/jobs$/)).toHaveLength(1);
    expect(reqs(srv, /\/jobs\//)).toHaveLength(0);
  });

  test('not found and unknown types are one-line errors', async () => {
    const err = await gather(options(srv, { names: ['job/x'], ns: 'rec-ordering' })).catch((e) => e);
    expect(err).toBeInstanceOf(TargetError);
    expect(err.oneLine()).toBe('error: job "x" not found in namespace "rec-ordering"');
    const pod = await gather(options(srv, { names: ['nope'], ns: 'rec-ordering' })).catch((e) => e.oneLine());
    expect(pod).toBe('error: pod "nope" not found in namespace "rec-ordering"');
    const cj = await gather(options(srv, { names: ['cj/nope'], ns: 'rec-cronjob' })).catch((e) => e.oneLine());
    expect(cj).toBe('error: cronjob "nope" not found in namespace "rec-cronjob"');
    const bad = await gather(options(srv, { names: ['service/x'], ns: 'rec-ordering' })).catch((e) => e.oneLine());
    expect(bad).toBe('error: unknown resource type "service" in "service/x" (supported: pod, job, cronjob, deployment, replicaset, statefulset, daemonset)');
    // names of Object's own members are no types either (they were taken for one: "No pods found")
    for (const t of ['constructor', '__proto__', 'toString']) {
      const own = await gather(options(srv, { names: [`${t}/x`], ns: 'rec-ordering' })).catch((e) => e.oneLine());
      expect(own).toBe(`error: unknown resource type "${t}" in "${t}/x" (supported: pod, job, cronjob, deployment, replicaset, statefulset, daemonset)`);
    }
  });

  test('namespace describe is O(pages): chunk size 1 pages the pod list, never one request per pod', async () => {
    const g = await gather(options(srv, { ns: 'rec-deployment-mesh', chunk: 1, logs: 'off' }));
    expect(names(g)).toHaveLength(3);
    const podLists = reqs(srv, /\/namespaces\/rec-deployment-mesh\/pods$/);
    expect(podLists).toHaveLength(3);
    expect(podLists.every((r) => r.query.limit === '1')).toBe(true);
    expect(podLists.filter((r) => r.query.continue)).toHaveLength(2);
    expect(reqs(srv, /\/pods\/[^/]+$/)).toHaveLength(0);
  });

  test('-A: one pod list and one core/v1 events list for the whole cluster (after counting its events)', async () => {
    const g = await gather(options(srv, { all: true, logs: 'auto' }));
    const expected = Object.entries(SNAPSHOTS).flatMap(([s, snap]) => recorded<Pod>(s, snap, 'pods.json'));
    expect(g.pods).toHaveLength(expected.length);
    expect(g.pods.length).toBeGreaterThan(5);
    expect(g.pods.every((p) => p.sources.logs === 'skipped')).toBe(true); // auto: too many pods
    expect(srv.requests.map((r) => r.path).sort()).toEqual(['/api/v1/events', '/api/v1/events', '/api/v1/pods', '/version']);
    // the count: one item of every kind (gather.ts EVENTS_HELD_MAX), then the pods' events
    expect(srv.requests.filter((r) => r.path === '/api/v1/events').map((r) => [r.query.limit, r.query.fieldSelector])).toEqual([['1', undefined], ['500', 'involvedObject.kind=Pod']]);
    expect(g.pods.filter((p) => p.events.length > 0).length).toBeGreaterThan(5);
  });
});

describe('degraded access and faults', () => {
  let srv: RunningApiServer | undefined;
  afterEach(async () => {
    await srv?.close();
    srv = undefined;
  });
  const start = async (o: Partial<ApiServerOptions>) => (srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'terminating', ...o }));

  test('403 on events: events forbidden, pod still described, a notice says what is needed', async () => {
    const s = await start({ deny: [{ verb: 'list', resource: 'events' }] });
    const g = await gather(options(s, { names: ['ordering'] }));
    expect(g.pods).toHaveLength(1);
    expect(g.pods[0].sources).toEqual({ events: 'forbidden', logs: 'ok' });
    expect(g.notices).toContain('events unavailable: forbidden (needs "list" on "events")');
  });

  test('one named pod whose core/v1 events fail: read from events.k8s.io/v1 instead', async () => {
    const s = await start({ faults: [{ match: { path: /^\/api\/v1\/namespaces\/rec-ordering\/events$/ }, kind: 'status', code: 404, times: 10 }] });
    const g = await gather(options(s, { names: ['ordering'], ns: 'rec-ordering', logs: 'off' }));
    const uid = g.pods[0].pod.metadata?.uid;
    const v1 = recorded<EventsV1Event>('ordering', 'terminating', 'events.k8s.io.json').filter((e) => e.regarding?.uid === uid);
    expect(v1.length).toBeGreaterThan(0);
    expect(g.pods[0].events).toHaveLength(v1.length);
    expect(g.pods[0].sources.events).toBe('ok');
    expect(reqs(s, /\/apis\/events.k8s.io\/v1\/namespaces\/rec-ordering\/events$/).map((r) => r.query.fieldSelector)).toEqual([`regarding.uid=${uid}`]);
  });

  test('403 on logs: logs forbidden, events still read', async () => {
    const s = await start({ deny: [{ verb: 'get', resource: 'pods', subresource: 'log' }] });
    const g = await gather(options(s, { names: ['ordering'], logs: 'on' }));
    expect(g.pods[0].sources).toEqual({ events: 'ok', logs: 'forbidden' });
    expect(g.notices).toContain('logs unavailable: forbidden (needs "get" on "pods/log")');
  });

  test('403 on the pod list is an error naming the permission', async () => {
    const s = await start({ deny: [{ verb: 'list', resource: 'pods' }] });
    const e = await gather(options(s, {})).catch((x) => x);
    expect(e.oneLine()).toBe('error: forbidden: cannot list pods in namespace "rec-ordering" (RBAC): ask for "list" on "pods"');
  });

  test('429 with Retry-After is honoured, then the list succeeds', async () => {
    const s = await start({ faults: [{ match: { path: /\/namespaces\/rec-ordering\/pods$/ }, kind: 'status', code: 429, retryAfterSeconds: 1, times: 1 }] });
    const t0 = Date.now();
    const g = await gather(options(s, { logs: 'off' }), fast);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
    expect(g.pods).toHaveLength(1);
    expect(reqs(s, /\/pods$/).map((r) => r.status)).toEqual([429, 200]);
  });

  test('500s and truncated bodies are retried; a lasting 503 fails after 4 attempts', async () => {
    const s = await start({
      faults: [
        { match: { path: /\/pods$/ }, kind: 'status', code: 500, times: 2 },
        { match: { path: /^\/api\/v1\/namespaces\/rec-ordering\/events$/ }, kind: 'truncate', bytes: 100, times: 1 },
      ],
    });
    const g = await gather(options(s, { logs: 'off' }), fast);
    expect(g.pods).toHaveLength(1);
    expect(reqs(s, /\/pods$/)).toHaveLength(3);
    expect(reqs(s, /^\/api\/v1\/namespaces\/rec-ordering\/events$/)).toHaveLength(2);
    expect(g.pods[0].sources.events).toBe('ok');
    await s.close();
    const s2 = await start({ faults: [{ match: { path: /\/pods$/ }, kind: 'status', code: 503, times: 10 }] });
    const e = await gather(options(s2, { logs: 'off' }), fast).catch((x) => x);
    expect(reqs(s2, /\/pods$/)).toHaveLength(4);
    expect(e.oneLine()).toMatch(/^error: the API server answered 503 ServiceUnavailable to list pods after 4 attempts: /);
  });

  test('410 on a continue token restarts the list once', async () => {
    // the pods list's continue token (the events, listed first, page too)
    const s = await start({ scenarios: ['deployment-mesh'], snapshot: 'running', faults: [{ match: { path: /\/pods\?.*continue=/ }, kind: 'status', code: 410, times: 1 }] });
    const g = await gather(options(s, { chunk: 2, logs: 'off' }));
    expect(names(g)).toHaveLength(3);
    // page 1, continue → 410, page 1 again, page 2
    expect(reqs(s, /\/pods$/).map((r) => r.status)).toEqual([200, 410, 200, 200]);
  });

  test('--request-timeout: a stalled server fails with the flag named', async () => {
    const s = await start({ faults: [{ match: { path: /\/pods$/ }, kind: 'stall', ms: 3000, times: 1 }] });
    const o = options(s, { logs: 'off' });
    o.connection.requestTimeoutMs = 300;
    const e = await gather(o).catch((x) => x);
    expect(e.oneLine()).toBe(`error: request to ${s.url}/api/v1/namespaces/rec-ordering/pods timed out after 0.3s (--request-timeout)`);
  });
});
