// The local API server must answer like the real one did: these tests compare its answers with the
// recorded files and with the real Status bodies, and drive it with kubectl, the reference client.
import { request } from 'node:https';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { startApiServer, CERTS_DIR, type RunningApiServer } from './server.js';
import { RECORDINGS_DIR, toEventsV1 } from './recordings.js';

const CA = readFileSync(join(CERTS_DIR, 'ca.crt'));
const rec = (...p: string[]) => join(RECORDINGS_DIR, ...p);

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  text: string;
  json: any;
}

function get(srv: RunningApiServer, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(srv.url + path, { ca: CA, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const text = body.toString('utf8');
        let json: any;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads a watch stream until it ends (or the socket breaks), returning the parsed lines and the raw text. */
function watch(srv: RunningApiServer, path: string): Promise<{ lines: string[]; events: any[]; error?: Error }> {
  return new Promise((resolve) => {
    let text = '';
    const done = (error?: Error) => {
      const lines = text.split('\n').filter((l) => l !== '');
      resolve({ lines, events: lines.map((l) => JSON.parse(l)), error });
    };
    const req = request(srv.url + path, { ca: CA }, (res) => {
      res.setEncoding('utf8');
      res.on('data', (c) => (text += c));
      res.on('end', () => done());
      res.on('error', (e) => done(e));
    });
    req.on('error', (e) => done(e));
    req.end();
  });
}

describe('snapshot mode', () => {
  let srv: RunningApiServer;
  beforeAll(async () => {
    srv = await startApiServer({
      scenarios: ['ordering', 'deployment-mesh', 'sidecar-startup-slow', 'cronjob', 'init-interleaved'],
      deny: [{ verb: 'list', resource: 'pods', namespace: 'rec-cronjob' }, { verb: 'get', resource: 'pods', subresource: 'log', namespace: 'rec-deployment-mesh' }],
    });
  });
  afterAll(() => srv.close());

  test('version and list bodies are the recorded bytes', async () => {
    const v = await get(srv, '/version');
    expect(v.body.equals(readFileSync(rec('ordering', 'version.json')))).toBe(true);
    expect(v.headers['content-type']).toBe('application/json');
    for (const [path, file] of [
      ['/api/v1/namespaces/rec-ordering/pods', 'ordering/snapshots/running/pods.json'],
      ['/api/v1/namespaces/rec-ordering/events', 'ordering/snapshots/running/events.json'],
      ['/apis/events.k8s.io/v1/namespaces/rec-ordering/events', 'ordering/snapshots/running/events.k8s.io.json'],
      ['/apis/apps/v1/namespaces/rec-deployment-mesh/replicasets', 'deployment-mesh/snapshots/running/replicasets.json'],
      // default snapshot: the first that is not last-seen, alphabetically ("ready" before "waiting-for-sidecar")
      ['/api/v1/namespaces/rec-sidecar-startup-slow/pods', 'sidecar-startup-slow/snapshots/ready/pods.json'],
      ['/apis/batch/v1/namespaces/rec-cronjob/jobs', 'cronjob/snapshots/completed/jobs.json'],
    ]) {
      const r = await get(srv, path);
      expect([path, r.status, r.body.equals(readFileSync(rec(file)))]).toEqual([path, 200, true]);
    }
  });

  test('all-namespace lists merge the scenarios in key order; a foreign namespace is empty', async () => {
    const all = await get(srv, '/apis/apps/v1/deployments');
    expect(all.json.kind).toBe('DeploymentList');
    expect(all.json.items.map((d: any) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(['rec-deployment-mesh/web']);
    const pods = await get(srv, '/api/v1/pods');
    const keys = pods.json.items.map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toContain('rec-ordering/ordering');
    expect(keys.filter((k: string) => k.startsWith('rec-deployment-mesh/'))).toHaveLength(3);
    const none = await get(srv, '/api/v1/namespaces/nowhere/pods');
    expect([none.status, none.json.kind, none.json.items]).toEqual([200, 'PodList', []]);
  });

  test('single GET returns the item with kind and apiVersion; missing → the real 404', async () => {
    const p = await get(srv, '/api/v1/namespaces/rec-ordering/pods/ordering');
    const listed = JSON.parse(readFileSync(rec('ordering/snapshots/running/pods.json'), 'utf8')).items[0];
    expect(p.json).toEqual({ kind: 'Pod', apiVersion: 'v1', ...listed });
    expect(Object.keys(p.json).slice(0, 2)).toEqual(['kind', 'apiVersion']);
    const x = await get(srv, '/api/v1/namespaces/rec-ordering/pods/x');
    expect(x.status).toBe(404);
    expect(x.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"x\\" not found","reason":"NotFound","details":{"name":"x","kind":"pods"},"code":404}');
    const j = await get(srv, '/apis/batch/v1/namespaces/rec-ordering/jobs/nope');
    expect(j.json).toMatchObject({ message: 'jobs.batch "nope" not found', details: { name: 'nope', group: 'batch', kind: 'jobs' } });
  });

  test('CronJob: manifest metadata and spec, uid from its Jobs, no status', async () => {
    const cj = await get(srv, '/apis/batch/v1/namespaces/rec-cronjob/cronjobs/cleanup');
    const owner = JSON.parse(readFileSync(rec('cronjob/snapshots/completed/jobs.json'), 'utf8')).items[0].metadata.ownerReferences[0];
    expect(cj.status).toBe(200);
    expect(cj.json.metadata).toEqual({ name: 'cleanup', namespace: 'rec-cronjob', uid: owner.uid });
    expect(cj.json.spec.schedule).toBe('*/1 * * * *');
    expect(cj.json.status).toBeUndefined();
  });

  test('label selectors: =, ==, !=, in, notin, exists, !exists and comma-joined terms select as the API server does; a malformed one is its 400', async () => {
    const path = '/api/v1/namespaces/rec-deployment-mesh/pods?labelSelector=';
    const names = async (sel: string) => (await get(srv, path + encodeURIComponent(sel))).json.items.map((p: any) => p.metadata.name);
    const all = await names('');
    expect(all).toHaveLength(3);
    expect(await names('app=web')).toEqual(all);
    expect(await names('app==web')).toEqual(all);
    expect(await names('app!=web')).toEqual([]);
    expect(await names('app in (db,web)')).toEqual(all);
    expect(await names('app notin (web)')).toEqual([]);
    expect(await names('app')).toEqual(all);
    expect(await names('!app')).toEqual([]);
    expect(await names('nosuch!=x')).toEqual(all);
    const hash = (await get(srv, '/api/v1/namespaces/rec-deployment-mesh/pods/' + all[0])).json.metadata.labels['pod-template-hash'];
    expect(await names(`app=web,pod-template-hash=${hash}`)).toEqual(all);
    expect(await names(`app=web,pod-template-hash!=${hash}`)).toEqual([]);
    const bad = await get(srv, path + encodeURIComponent('a b c'));
    expect([bad.status, bad.json.reason]).toEqual([400, 'BadRequest']);
  });

  test('field selectors on pods, core events and events.k8s.io', async () => {
    const pods = await get(srv, '/api/v1/pods?fieldSelector=' + encodeURIComponent('metadata.namespace=rec-ordering,status.phase=Running'));
    expect(pods.json.items.map((p: any) => p.metadata.name)).toEqual(['ordering']);
    const node = (await get(srv, '/api/v1/namespaces/rec-ordering/pods/ordering')).json.spec.nodeName;
    expect((await get(srv, '/api/v1/namespaces/rec-ordering/pods?fieldSelector=spec.nodeName%3D' + node)).json.items).toHaveLength(1);
    expect((await get(srv, '/api/v1/namespaces/rec-ordering/pods?fieldSelector=spec.nodeName!%3D' + node)).json.items).toHaveLength(0);

    const recorded = JSON.parse(readFileSync(rec('ordering/snapshots/running/events.json'), 'utf8')).items;
    const fp = 'spec.initContainers{first-sidecar}';
    const want = recorded.filter((e: any) => e.involvedObject.fieldPath === fp && e.type === 'Normal').map((e: any) => e.metadata.name);
    expect(want.length).toBeGreaterThan(1);
    const core = await get(srv, '/api/v1/namespaces/rec-ordering/events?fieldSelector=' + encodeURIComponent(`involvedObject.fieldPath=${fp},type=Normal`));
    expect(core.json.items.map((e: any) => e.metadata.name)).toEqual(want);
    const v1 = await get(srv, '/apis/events.k8s.io/v1/namespaces/rec-ordering/events?fieldSelector=' + encodeURIComponent(`regarding.fieldPath=${fp},type=Normal`));
    expect(v1.json.items.map((e: any) => e.metadata.name)).toEqual(want);
    const reason = await get(srv, '/api/v1/namespaces/rec-ordering/events?fieldSelector=reason%3DKilling');
    expect(reason.json.items.map((e: any) => e.reason)).toEqual(recorded.filter((e: any) => e.reason === 'Killing').map(() => 'Killing'));

    const bad = await get(srv, '/api/v1/pods?fieldSelector=spec.containers%3Dx');
    expect(bad.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"field label not supported: spec.containers","reason":"BadRequest","code":400}');
  });

  test('pagination returns every item exactly once, keeps the list envelope, the last page has no continue', async () => {
    const full = (await get(srv, '/api/v1/events')).json.items.map((e: any) => e.metadata.uid);
    expect(full.length).toBeGreaterThan(20);
    const seen: string[] = [];
    let token = '';
    let pages = 0;
    for (;;) {
      const r = await get(srv, `/api/v1/events?limit=7${token ? '&continue=' + encodeURIComponent(token) : ''}`);
      expect([r.json.kind, r.json.apiVersion]).toEqual(['EventList', 'v1']);
      expect(r.json.metadata.resourceVersion).toMatch(/^\d+$/);
      seen.push(...r.json.items.map((e: any) => e.metadata.uid));
      pages++;
      if (!r.json.metadata.continue) break;
      expect(r.json.items).toHaveLength(7);
      expect(r.json.metadata.remainingItemCount).toBe(full.length - seen.length);
      token = r.json.metadata.continue;
    }
    expect(seen).toEqual(full);
    expect(pages).toBe(Math.ceil(full.length / 7));
    const bad = await get(srv, '/api/v1/events?limit=7&continue=garbage');
    expect([bad.status, bad.json.reason]).toEqual([400, 'BadRequest']);
  });

  test('logs: timestamps, tailLines, limitBytes, previous and the recorded 400', async () => {
    const base = '/api/v1/namespaces/rec-ordering/pods/ordering/log?container=init-config';
    const file = readFileSync(rec('ordering/snapshots/running/logs/ordering.init-config.log'), 'utf8');
    expect((await get(srv, base + '&timestamps=true')).text).toBe(file);
    const plain = file
      .split('\n')
      .filter((l) => l)
      .map((l) => l.replace(/^\S+ /, '') + '\n');
    expect((await get(srv, base)).text).toBe(plain.join(''));
    expect((await get(srv, base + '&tailLines=1')).text).toBe(plain[plain.length - 1]);
    expect((await get(srv, base + '&limitBytes=5')).text).toBe(plain.join('').slice(0, 5));
    const since = file.split('\n')[1].split(' ')[0];
    expect((await get(srv, base + '&sinceTime=' + since)).text).toBe(plain.slice(1).join(''));
    const prev = await get(srv, base + '&previous=true');
    expect(prev.status).toBe(400);
    expect(prev.body.equals(readFileSync(rec('ordering/snapshots/running/logs/ordering.init-config.previous.log')))).toBe(true);
    expect(prev.json.message).toBe('previous terminated container "init-config" in pod "ordering" not found');
    // one app container: it is the default, as on the real server; two: the real 400
    expect((await get(srv, '/api/v1/namespaces/rec-ordering/pods/ordering/log')).text).toBe(
      readFileSync(rec('ordering/snapshots/running/logs/ordering.app.log'), 'utf8').replace(/^\S+ /gm, ''),
    );
    const noContainer = await get(srv, '/api/v1/namespaces/rec-init-interleaved/pods/interleaved/log');
    expect([noContainer.status, noContainer.json.message]).toEqual([
      400,
      'a container name must be specified for pod interleaved, choose one of: [api worker] or one of the init containers: [fetch-config vault-agent migrate log-shipper]',
    ]);
    // a container still waiting: the recorded Status with its code
    const waiting = await get(srv, '/api/v1/namespaces/rec-sidecar-startup-slow/pods/slow-start/log?container=app');
    const recorded = readFileSync(rec('sidecar-startup-slow/snapshots/ready/logs/slow-start.app.log'), 'utf8');
    if (recorded.startsWith('{')) expect([waiting.status, waiting.text]).toEqual([JSON.parse(recorded).code, recorded]);
    else expect(waiting.text).toBe(recorded.replace(/^\S+ /gm, ''));
  });

  test('403, 401 and 405: the real Status bodies (403 and 401 byte for byte); a wrong token is a 401', async () => {
    const list = await get(srv, '/api/v1/namespaces/rec-cronjob/pods');
    expect(list.status).toBe(403);
    expect(list.text).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods is forbidden: User \\"system:serviceaccount:test:viewer\\" cannot list resource \\"pods\\" in API group \\"\\" in the namespace \\"rec-cronjob\\"","reason":"Forbidden","details":{"kind":"pods"},"code":403}',
    );
    const pod = (await get(srv, '/api/v1/namespaces/rec-deployment-mesh/pods')).json.items[0].metadata.name;
    const log = await get(srv, `/api/v1/namespaces/rec-deployment-mesh/pods/${pod}/log?container=app`);
    expect(log.status).toBe(403);
    expect(log.json.message).toBe(
      `pods "${pod}" is forbidden: User "system:serviceaccount:test:viewer" cannot get resource "pods/log" in API group "" in the namespace "rec-deployment-mesh"`,
    );
    const post = await get(srv, '/api/v1/namespaces/rec-ordering/pods', { 'content-type': 'application/json' }, 'POST');
    expect([post.status, post.json.reason]).toEqual([405, 'MethodNotAllowed']);
    expect(srv.requests.find((r) => r.method === 'POST')).toMatchObject({ path: '/api/v1/namespaces/rec-ordering/pods', status: 405 });

    const authed = await startApiServer({ scenarios: ['ordering'], auth: { token: 's3cret' } });
    try {
      const no = await get(authed, '/api/v1/namespaces/rec-ordering/pods');
      expect(no.status).toBe(401);
      expect(no.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}');
      expect((await get(authed, '/api/v1/namespaces/rec-ordering/pods', { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await get(authed, '/api/v1/namespaces/rec-ordering/pods', { authorization: 'Bearer s3cret' })).status).toBe(200);
      expect(readFileSync(authed.kubeconfigPath, 'utf8')).toContain('token: "s3cret"');
    } finally {
      await authed.close();
    }
  });

  test('a snapshot-mode watch from a resourceVersion streams nothing and ends at timeoutSeconds', async () => {
    const t0 = Date.now();
    const w = await watch(srv, '/api/v1/namespaces/rec-ordering/pods?watch=true&resourceVersion=801&timeoutSeconds=1');
    expect(w.events).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
  });
});

test('events.k8s.io conversion of core events matches every recorded pair', () => {
  // replay mode derives events.k8s.io/v1 from the core event stream; check the conversion on real pairs
  for (const scenario of ['ordering', 'sidecar-crashloop', 'job-retries', 'istio-native']) {
    const dir = rec(scenario, 'snapshots');
    for (const snap of ['running', 'crashlooping', 'failed', 'terminating']) {
      if (!existsSync(join(dir, snap, 'events.json'))) continue;
      const core = JSON.parse(readFileSync(join(dir, snap, 'events.json'), 'utf8')).items;
      const v1 = JSON.parse(readFileSync(join(dir, snap, 'events.k8s.io.json'), 'utf8')).items;
      expect(JSON.stringify(core.map(toEventsV1))).toBe(JSON.stringify(v1));
    }
  }
});

const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
(kubectl ? test : test.skip)('kubectl get pods, get events and logs work against it', async () => {
  const srv = await startApiServer({ scenarios: ['ordering'] });
  try {
    // async: the server runs in this process, a sync exec would block it
    const k = async (...args: string[]) =>
      (
        await promisify(execFile)('kubectl', ['--kubeconfig', srv.kubeconfigPath, '--cache-dir', join(srv.kubeconfigPath, '..', 'cache'), ...args], {
          encoding: 'utf8',
          timeout: 20000,
        })
      ).stdout;
    expect(await k('get', 'pods', '-n', 'rec-ordering')).toMatch(/^NAME\s.*\nordering\s/);
    const pods = JSON.parse(await k('get', 'pods', '-o', 'json'));
    expect(pods.items.map((p: any) => p.metadata.name)).toEqual(['ordering']);
    const events = await k('get', 'events');
    expect(events).toContain('ordering');
    const logs = await k('logs', 'ordering', '-c', 'init-config');
    expect(logs).toBe(readFileSync(rec('ordering/snapshots/running/logs/ordering.init-config.log'), 'utf8').replace(/^\S+ /gm, ''));
    await expect(k('logs', 'ordering', '-c', 'app', '--previous')).rejects.toThrow(/previous terminated container "app" in pod "ordering" not found/);
    expect(srv.requests.every((r) => r.method === 'GET')).toBe(true);
  } finally {
    await srv.close();
  }
});

const recordedLines = (scenario: string, stream: string) =>
  readFileSync(rec(scenario, `${stream}.watch.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l)
    .map((l) => l.slice(l.indexOf('\t') + 1));

describe('replay mode', () => {
  test('a watch of ordering delivers every recorded pod event, in order, byte for byte, as the clock reaches it', async () => {
    const srv = await startApiServer({ scenarios: ['ordering'], mode: 'replay', speed: 20 });
    try {
      const want = recordedLines('ordering', 'pods');
      const t0 = Date.now();
      const w = await watch(srv, '/api/v1/namespaces/rec-ordering/pods?watch=true&resourceVersion=1&allowWatchBookmarks=true&timeoutSeconds=2');
      expect(w.lines).toEqual(want);
      const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
      expect(rvs).toEqual([...rvs].sort((a, b) => a - b));
      expect(w.events.map((e) => e.type)).toEqual(['ADDED', ...Array(want.length - 2).fill('MODIFIED'), 'DELETED']);
      // the recording spans ~18.5 s; at 20x that is ~0.9 s of streaming, then the watch times out at 2 s
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1900);
    } finally {
      await srv.close();
    }
  });

  test('list then watch: the list is the state at the clock, the watch from its resourceVersion brings the rest', async () => {
    // speed 1: the clock must not reach the next line (22:56:20.34) while the test reads
    const srv = await startApiServer({ scenarios: ['ordering'], mode: 'replay', speed: 1 });
    try {
      srv.advanceTo('2026-11-21T22:56:20Z');
      const list = (await get(srv, '/api/v1/namespaces/rec-ordering/pods')).json;
      // the last pod line received by 22:56:20 is RV 756 (22:56:19.20); a later event line may be newer
      expect(list.items.map((p: any) => [p.metadata.name, p.metadata.resourceVersion, p.status.phase])).toEqual([['ordering', '756', 'Pending']]);
      expect(Number(list.metadata.resourceVersion)).toBeGreaterThanOrEqual(756);
      expect(list.items[0].kind).toBeUndefined();
      // before the first snapshot (22:56:25.69), a log is the container-waiting answer
      const log = await get(srv, '/api/v1/namespaces/rec-ordering/pods/ordering/log?container=app');
      expect([log.status, log.json.message]).toEqual([400, 'container "app" in pod "ordering" is waiting to start: PodInitializing']);
      const pending = watch(srv, `/api/v1/namespaces/rec-ordering/pods?watch=1&resourceVersion=${list.metadata.resourceVersion}&timeoutSeconds=1`);
      srv.finish();
      const w = await pending;
      const want = recordedLines('ordering', 'pods').filter((l) => Number(JSON.parse(l).object.metadata.resourceVersion) > Number(list.metadata.resourceVersion));
      expect(w.lines).toEqual(want);
      expect((await get(srv, '/api/v1/namespaces/rec-ordering/pods')).json.items).toEqual([]);
      // after the end the pod is gone, so its log is a 404 like on the real server
      const after = await get(srv, '/api/v1/namespaces/rec-ordering/pods/ordering/log?container=app&timestamps=true');
      expect(after.status).toBe(404);
      const ev = (await get(srv, '/apis/events.k8s.io/v1/namespaces/rec-ordering/events')).json;
      expect(ev.items.length).toBe(recordedLines('ordering', 'events').length);
      expect(ev.items.every((e: any) => e.regarding && e.note !== undefined)).toBe(true);
    } finally {
      await srv.close();
    }
  });

  test('logs follow the snapshot taken by the clock', async () => {
    const srv = await startApiServer({ scenarios: ['ordering'], mode: 'replay', speed: 1 });
    try {
      srv.advanceTo('2026-11-21T22:56:26Z'); // after "running" (22:56:25.69), before the pod is deleted
      const log = await get(srv, '/api/v1/namespaces/rec-ordering/pods/ordering/log?container=app&timestamps=true');
      expect(log.text).toBe(readFileSync(rec('ordering/snapshots/running/logs/ordering.app.log'), 'utf8'));
      srv.advanceTo('2026-11-21T22:56:29Z');
      const later = await get(srv, '/api/v1/namespaces/rec-ordering/pods/ordering/log?container=app&timestamps=true');
      expect(later.text).toBe(readFileSync(rec('ordering/snapshots/terminating/logs/ordering.app.log'), 'utf8'));
    } finally {
      await srv.close();
    }
  });

  test('a field-selector watch sees ADDED when the pod starts matching and DELETED when it stops', async () => {
    const srv = await startApiServer({ scenarios: ['ordering'], mode: 'replay', speed: 50 });
    try {
      srv.finish();
      const w = await watch(srv, '/api/v1/namespaces/rec-ordering/pods?watch=1&resourceVersion=1&timeoutSeconds=0.2&fieldSelector=status.phase%3DRunning');
      expect(w.events.map((e) => [e.type, e.object.metadata.resourceVersion, e.object.status.phase])).toEqual([
        ['ADDED', '789', 'Running'],
        ['MODIFIED', '802', 'Running'],
        ['DELETED', '826', 'Succeeded'],
      ]);
    } finally {
      await srv.close();
    }
  });

  test('pagination in replay lists the state as of the first page', async () => {
    const srv = await startApiServer({ scenarios: ['ordering'], mode: 'replay', speed: 1 });
    try {
      srv.advanceTo('2026-11-21T22:56:20Z');
      const first = (await get(srv, '/api/v1/namespaces/rec-ordering/events?limit=3')).json;
      srv.finish();
      const seen = [...first.items];
      let token = first.metadata.continue;
      while (token) {
        const page = (await get(srv, `/api/v1/namespaces/rec-ordering/events?limit=3&continue=${encodeURIComponent(token)}`)).json;
        expect(page.metadata.resourceVersion).toBe(first.metadata.resourceVersion);
        seen.push(...page.items);
        token = page.metadata.continue;
      }
      const rv = Number(first.metadata.resourceVersion);
      const names = new Set(recordedLines('ordering', 'events').map((l) => JSON.parse(l).object).filter((o) => Number(o.metadata.resourceVersion) <= rv).map((o) => o.metadata.name));
      expect(seen.map((e) => e.metadata.name).sort()).toEqual([...names].sort());
    } finally {
      await srv.close();
    }
  });
});

describe('faults', () => {
  test('status faults are taken in order, times counts, 429 carries Retry-After', async () => {
    const srv = await startApiServer({
      scenarios: ['ordering'],
      faults: [
        { match: { path: /\/pods$/, watch: false }, kind: 'status', code: 429, retryAfterSeconds: 2 },
        { match: { path: /\/pods$/ }, kind: 'status', code: 500, times: 2 },
        { match: { path: /\/pods$/ }, kind: 'status', code: 503 },
        { match: { path: /limit=1/ }, kind: 'status', code: 410 },
      ],
    });
    try {
      const p = '/api/v1/namespaces/rec-ordering/pods';
      const r = await get(srv, p);
      expect([r.status, r.headers['retry-after'], r.json.reason, r.json.details]).toEqual([429, '2', 'TooManyRequests', { retryAfterSeconds: 2 }]);
      expect((await get(srv, p)).json.reason).toBe('InternalError');
      expect((await get(srv, p)).status).toBe(500);
      expect((await get(srv, p)).json.reason).toBe('ServiceUnavailable');
      expect((await get(srv, p)).status).toBe(200);
      const expired = await get(srv, p + '?limit=1&continue=x');
      expect([expired.status, expired.json.reason]).toEqual([410, 'Expired']);
      expect(srv.requests.map((q) => q.status)).toEqual([429, 500, 500, 503, 200, 410]);
    } finally {
      await srv.close();
    }
  });

  test('watch faults: 410 ERROR event, closeAfter, bookmark', async () => {
    const srv = await startApiServer({
      scenarios: ['ordering'],
      mode: 'replay',
      faults: [
        { match: { path: /\/pods/, watch: true }, kind: 'status', code: 410 },
        { match: { path: /\/pods/, watch: true }, kind: 'closeAfter', events: 2 },
        { match: { path: /\/pods/, watch: true }, kind: 'bookmark' },
      ],
    });
    try {
      srv.finish();
      const p = '/api/v1/namespaces/rec-ordering/pods?watch=true&resourceVersion=700&timeoutSeconds=0.3';
      const gone = await watch(srv, p);
      expect(gone.events).toHaveLength(1);
      expect(gone.events[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', status: 'Failure', reason: 'Expired', code: 410 } });
      expect(gone.events[0].object.message).toMatch(/^too old resource version: 700 \(\d+\)$/);
      const two = await watch(srv, p);
      expect(two.lines).toEqual(recordedLines('ordering', 'pods').slice(2, 4));
      const bm = await watch(srv, p);
      expect(bm.events[0]).toEqual({ type: 'BOOKMARK', object: { kind: 'Pod', apiVersion: 'v1', metadata: { resourceVersion: expect.stringMatching(/^\d+$/), creationTimestamp: null } } });
      expect(bm.lines.slice(1)).toEqual(recordedLines('ordering', 'pods').slice(2));
    } finally {
      await srv.close();
    }
  });

  test('truncate cuts the body and breaks the connection; stall delays the answer', async () => {
    const srv = await startApiServer({
      scenarios: ['ordering'],
      faults: [
        { match: { path: /\/pods$/ }, kind: 'truncate', bytes: 100 },
        { match: { path: /\/pods$/ }, kind: 'stall', ms: 300 },
      ],
    });
    try {
      const p = '/api/v1/namespaces/rec-ordering/pods';
      const cut = await new Promise<{ got: number; err?: Error }>((resolve) => {
        let got = 0;
        const req = request(srv.url + p, { ca: CA }, (res) => {
          res.on('data', (c) => (got += c.length));
          res.on('end', () => resolve({ got }));
          res.on('error', (err) => resolve({ got, err }));
          res.on('aborted', () => resolve({ got, err: new Error('aborted') }));
        });
        req.on('error', (err) => resolve({ got: -1, err }));
        req.end();
      });
      expect(cut.got).toBe(100);
      expect(cut.err).toBeDefined();
      const t0 = Date.now();
      const slow = await get(srv, p);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
      expect(slow.body.equals(readFileSync(rec('ordering/snapshots/running/pods.json')))).toBe(true);
    } finally {
      await srv.close();
    }
  });

  test('close() ends open watches promptly', async () => {
    const srv = await startApiServer({ scenarios: ['ordering'] });
    const w = watch(srv, '/api/v1/namespaces/rec-ordering/pods?watch=true&resourceVersion=801');
    await new Promise((r) => setTimeout(r, 100));
    const t0 = Date.now();
    await srv.close();
    await w;
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});

test('extra pods join the lists; a big list is streamed and still parses; pages cover it exactly once', async () => {
  // the recorded ordering pod, copied under new names in a namespace of its own (only metadata changed)
  const pod = JSON.parse(readFileSync(rec('ordering/snapshots/running/pods.json'), 'utf8')).items[0];
  const extra = Array.from({ length: 1500 }, (_, i) => ({ ...pod, metadata: { ...pod.metadata, name: `copy-${String(i).padStart(4, '0')}`, namespace: 'bench', uid: `copy-${i}` } }));
  const srv = await startApiServer({ scenarios: ['ordering'], extra: { pods: extra } });
  try {
    const all = await get(srv, '/api/v1/pods');
    expect(all.body.length).toBeGreaterThan(1 << 20);
    expect(all.headers['transfer-encoding']).toBe('chunked');
    expect(all.json.items.map((p: any) => p.metadata.name)).toEqual([...extra.map((p) => p.metadata.name), 'ordering']);
    const names: string[] = [];
    let token = '';
    do {
      const page = (await get(srv, `/api/v1/namespaces/bench/pods?limit=400${token ? '&continue=' + encodeURIComponent(token) : ''}`)).json;
      names.push(...page.items.map((p: any) => p.metadata.name));
      token = page.metadata.continue;
    } while (token);
    expect(names).toEqual(extra.map((p) => p.metadata.name));
    expect((await get(srv, '/api/v1/namespaces/bench/pods/copy-0042')).json.metadata.uid).toBe('copy-42');
  } finally {
    await srv.close();
  }
});

test('TLS: the kubeconfig carries the test CA; expired and unrelated-CA setups fail the way clients report them', async () => {
  const tlsError = (srv: RunningApiServer, ca: Buffer) =>
    new Promise<string>((resolve) => {
      const req = request(srv.url + '/version', { ca }, (res) => {
        res.resume();
        resolve(`status ${res.statusCode}`);
      });
      req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      req.end();
    });
  const good = await startApiServer({ scenarios: ['ordering'] });
  const expired = await startApiServer({ scenarios: ['ordering'], certificate: 'expired' });
  const other = await startApiServer({ scenarios: ['ordering'], kubeconfigCa: 'other' });
  const plain = await startApiServer({ scenarios: ['ordering'], tls: false });
  try {
    const kcCa = (srv: RunningApiServer) => Buffer.from(/certificate-authority-data: (\S+)/.exec(readFileSync(srv.kubeconfigPath, 'utf8'))![1], 'base64');
    expect(await tlsError(good, kcCa(good))).toBe('status 200');
    expect(await tlsError(expired, kcCa(expired))).toBe('CERT_HAS_EXPIRED');
    expect(await tlsError(other, kcCa(other))).toBe('UNABLE_TO_VERIFY_LEAF_SIGNATURE');
    expect(plain.url).toMatch(/^http:\/\//);
    const v = await fetch(plain.url + '/version');
    expect(Buffer.from(await v.arrayBuffer()).equals(readFileSync(rec('ordering', 'version.json')))).toBe(true);
    expect(readFileSync(plain.kubeconfigPath, 'utf8')).not.toContain('certificate-authority-data');
  } finally {
    await Promise.all([good.close(), expired.close(), other.close(), plain.close()]);
  }
});

test('replay: an events.k8s.io watch carries every recorded core event, converted', async () => {
  const srv = await startApiServer({ scenarios: ['ordering'], mode: 'replay' });
  try {
    srv.finish();
    const w = await watch(srv, '/apis/events.k8s.io/v1/namespaces/rec-ordering/events?watch=1&resourceVersion=1&timeoutSeconds=0.2');
    const core = recordedLines('ordering', 'events').map((l) => JSON.parse(l));
    expect(w.events.map((e) => [e.type, e.object.apiVersion, e.object.metadata.uid, e.object.note])).toEqual(
      core.map((e) => [e.type, 'events.k8s.io/v1', e.object.metadata.uid, e.object.message]),
    );
  } finally {
    await srv.close();
  }
});

test('@kubernetes/client-node reads through the generated kubeconfig (lists, logs, the Status of a 404)', async () => {
  const { KubeConfig, CoreV1Api } = await import('@kubernetes/client-node');
  const srv = await startApiServer({ scenarios: ['ordering'] });
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(srv.kubeconfigPath);
    expect(kc.getContextObject(kc.getCurrentContext())?.namespace).toBe('rec-ordering');
    const core = kc.makeApiClient(CoreV1Api);
    const pods = await core.listNamespacedPod({ namespace: 'rec-ordering' });
    expect(pods.items.map((p) => [p.metadata?.name, p.metadata?.resourceVersion])).toEqual([['ordering', '789']]);
    const log = await core.readNamespacedPodLog({ name: 'ordering', namespace: 'rec-ordering', container: 'first-sidecar', timestamps: true });
    expect(log).toBe(readFileSync(rec('ordering/snapshots/running/logs/ordering.first-sidecar.log'), 'utf8'));
    await expect(core.readNamespacedPod({ name: 'nope', namespace: 'rec-ordering' })).rejects.toMatchObject({ code: 404 });
  } finally {
    await srv.close();
  }
});
