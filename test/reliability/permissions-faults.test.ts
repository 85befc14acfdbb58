// RBAC and server faults through the executable, against the local API server's real 403 Status
// texts and injected faults: a source the user may not (or cannot) read degrades with one notice
// line; what the run cannot do without is one error line naming the verb and resource, or the fault.
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../apiserver/server.js';
import type { PodLifecycleList } from '../../src/model/types.js';
import { expectOneErrorLine, run } from './helpers.js';

let srv: RunningApiServer | undefined;
afterEach(async () => {
  await srv?.close();
  srv = undefined;
});
const server = async (o: Partial<ApiServerOptions>) => (srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', ...o }));
const NOW = ['--now', '2026-11-21T22:56:40Z'];
const paths = (s: RunningApiServer, re: RegExp) => s.requests.filter((r) => re.test(r.path));

describe('permissions (403 from RBAC)', () => {
  const denyEventsAndLogs: ApiServerOptions['deny'] = [
    { verb: 'list', resource: 'events' },
    { verb: 'get', resource: 'pods', subresource: 'log' },
  ];

  test('pods allowed, events and logs not: json says which sources were unavailable', async () => {
    const s = await server({ deny: denyEventsAndLogs });
    const r = await run(['describe', 'ordering', '--kubeconfig', s.kubeconfigPath, '-o', 'json', '--logs', ...NOW]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout) as PodLifecycleList;
    expect(list.items[0].sources).toEqual({ events: 'forbidden', logs: 'forbidden' });
    // still described from the status alone
    expect(list.items[0].containers.map((c) => c.state)).toEqual(['terminated', 'running', 'running', 'running']);
    expect(r.stderr.trim().split('\n')).toEqual([
      'note: events unavailable: forbidden (needs "list" on "events")',
      'note: logs unavailable: forbidden (needs "get" on "pods/log")',
    ]);
  });

  test('text output: one notice line per missing source, the description still printed', async () => {
    const s = await server({ deny: [{ verb: 'list', resource: 'events' }] });
    const r = await run(['describe', 'ordering', '--kubeconfig', s.kubeconfigPath, '--no-logs', '--color', 'never', ...NOW]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('note: events unavailable: forbidden (needs "list" on "events")\n');
    expect(r.stdout).toMatch(/^rec-ordering\/ordering /);
    expect(r.stdout.split('\n').filter((l) => /note: events/.test(l))).toEqual(['  note: events forbidden (RBAC): timeline and restart causes are partial']);
  });

  test('watch with events forbidden still follows the pods and says so once', async () => {
    const s = await server({ deny: [{ verb: 'list', resource: 'events' }, { verb: 'watch', resource: 'events' }] });
    const r = await run(['watch', 'ordering', '--kubeconfig', s.kubeconfigPath, '--timeout', '1500ms', '-o', 'json']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; container: string | null; source: string });
    // every container followed from the pod status alone
    expect([...new Set(lines.map((l) => l.container).filter((c) => c !== null))].sort()).toEqual(['app', 'first-sidecar', 'init-config', 'second-sidecar']);
    expect(lines.filter((l) => l.source === 'event')).toEqual([]);
    const notes = r.stderr.trim().split('\n').filter((l) => /events/.test(l));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^note: .*forbidden/);
  });

  test('no permission on pods: one line naming the verb and the resource', async () => {
    let s = await server({ deny: [{ verb: 'get', resource: 'pods' }] });
    expectOneErrorLine(await run(['describe', 'ordering', '--kubeconfig', s.kubeconfigPath]),
      /^error: forbidden: cannot get pods "ordering" in namespace "rec-ordering" \(RBAC\): ask for "get" on "pods"$/m);
    await s.close();
    s = await server({ deny: [{ verb: 'list', resource: 'pods' }] });
    expectOneErrorLine(await run(['describe', '--kubeconfig', s.kubeconfigPath]),
      /^error: forbidden: cannot list pods in namespace "rec-ordering" \(RBAC\): ask for "list" on "pods"$/m);
    await s.close();
    s = await server({ deny: [{ verb: 'list', resource: 'pods' }] });
    expectOneErrorLine(await run(['describe', '-A', '--kubeconfig', s.kubeconfigPath]),
      /^error: forbidden: cannot list pods at the cluster scope \(RBAC\): ask for "list" on "pods"$/m);
  });
});

describe('server faults', () => {
  test('429 with Retry-After: waited for, then the list succeeds', async () => {
    const s = await server({ faults: [{ match: { path: /\/pods$/ }, kind: 'status', code: 429, retryAfterSeconds: 1, times: 1 }] });
    const t0 = Date.now();
    const r = await run(['describe', '--kubeconfig', s.kubeconfigPath, '-o', 'json', '--no-logs', ...NOW]);
    expect(r.code).toBe(0);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1000);
    expect(paths(s, /\/pods$/).map((q) => q.status)).toEqual([429, 200]);
  });

  test('500 and 503 retried with back-off; a lasting 503 ends in one error line after 4 attempts', async () => {
    let s = await server({ faults: [{ match: { path: /\/pods$/ }, kind: 'status', code: 500, times: 1 }, { match: { path: /\/pods$/ }, kind: 'status', code: 503, times: 1 }] });
    const ok = await run(['describe', '--kubeconfig', s.kubeconfigPath, '-o', 'json', '--no-logs', ...NOW]);
    expect(ok.code).toBe(0);
    expect(paths(s, /\/pods$/).map((q) => q.status)).toEqual([500, 503, 200]);
    await s.close();
    s = await server({ faults: [{ match: { path: /\/pods$/ }, kind: 'status', code: 503, times: 100 }] });
    const t0 = Date.now();
    expectOneErrorLine(await run(['describe', '--kubeconfig', s.kubeconfigPath]), /^error: the API server answered 503 ServiceUnavailable to list pods after 4 attempts: /m);
    expect(paths(s, /\/pods$/)).toHaveLength(4); // bounded
    expect(Date.now() - t0).toBeLessThan(12000); // waits of 0.8-1.6, 1.6-3.2 and 3.2-5 s (sources/retry.ts)
  });

  test('a truncated body is retried; one that stays truncated is a clear error', async () => {
    let s = await server({ faults: [{ match: { path: /\/pods$/ }, kind: 'truncate', bytes: 200, times: 1 }] });
    expect((await run(['describe', '--kubeconfig', s.kubeconfigPath, '-o', 'json', '--no-logs', ...NOW])).code).toBe(0);
    await s.close();
    s = await server({ faults: [{ match: { path: /\/pods$/ }, kind: 'truncate', bytes: 200, times: 100 }] });
    expectOneErrorLine(await run(['describe', '--kubeconfig', s.kubeconfigPath]), /^error: list pods from https:\/\/127.0.0.1:\d+ failed: .*(cut short|reset).* \(after 4 attempts\)$/m);
  });

  test('--request-timeout on the pod list: one line naming the flag', async () => {
    const s = await server({ faults: [{ match: { path: /\/pods$/ }, kind: 'stall', ms: 5000, times: 1 }] });
    const t0 = Date.now();
    expectOneErrorLine(await run(['describe', '--kubeconfig', s.kubeconfigPath, '--request-timeout', '500ms']),
      /^error: request to https:\/\/127.0.0.1:\d+\/api\/v1\/namespaces\/rec-ordering\/pods timed out after 0.5s \(--request-timeout\)$/m);
    expect(Date.now() - t0).toBeLessThan(4000);
  });

  test('a slow (stalled) event list under --request-timeout degrades events, the pod is still described', async () => {
    const s = await server({ faults: [{ match: { path: /\/events$/ }, kind: 'stall', ms: 5000, times: 2 }] });
    const r = await run(['describe', 'ordering', '--kubeconfig', s.kubeconfigPath, '--request-timeout', '500ms', '-o', 'json', '--logs', ...NOW]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items[0].sources).toEqual({ events: 'unavailable', logs: 'ok' });
    expect(r.stderr).toBe('note: events unavailable: the request timed out after 0.5s (raise --request-timeout)\n');
  });

  test('stalled and truncated log reads degrade logs only', async () => {
    const s = await server({
      faults: [
        { match: { path: /\/log$/ }, kind: 'stall', ms: 5000, times: 1 },
        { match: { path: /\/log$/ }, kind: 'truncate', bytes: 10, times: 100 },
      ],
    });
    const r = await run(['describe', 'ordering', '--kubeconfig', s.kubeconfigPath, '--request-timeout', '500ms', '-o', 'json', '--logs', ...NOW]);
    expect(r.code).toBe(0);
    const item = JSON.parse(r.stdout).items[0];
    expect(item.sources).toEqual({ events: 'ok', logs: 'unavailable' });
    expect(item.timeline.length).toBeGreaterThan(5);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^note: logs unavailable for some containers: /);
  });
});
