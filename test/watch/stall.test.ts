// A watch that goes silent without closing (a half-open connection, a stuck proxy) is re-watched
// after a bounded time without a byte (issue 13 #10), said once on stderr, instead of after
// timeoutSeconds + 30 s (~5 minutes) and silently. The snapshot-mode test server keeps a watch open
// and silent; the hidden --watch-stall shortens the 60 s default for the test.
import { startApiServer } from '../apiserver/server.js';
import { run } from '../cli/run.js';

test('silent watches are re-watched after --watch-stall, said once', async () => {
  const srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running' });
  try {
    const r = await run(['watch', 'ordering', '--kubeconfig', srv.kubeconfigPath, '--watch-stall', '700ms', '--timeout', '3s']);
    expect(r.code).toBe(0);
    const watches = (res: string) => srv.requests.filter((q) => q.query.watch === 'true' && q.path.endsWith(`/${res}`)).length;
    expect(watches('pods')).toBeGreaterThanOrEqual(3);
    expect(watches('events')).toBeGreaterThanOrEqual(3);
    // every re-watch goes on from where the last one was (no re-list)
    expect(srv.requests.filter((q) => q.query.watch === undefined && q.path.endsWith('/pods')).length).toBe(1);
    expect(r.stderr.match(/watch sent nothing for 1s: re-watching/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/^note: the (pods|events) watch sent nothing for 1s: re-watching\n$/);
  } finally {
    await srv.close();
  }
});
