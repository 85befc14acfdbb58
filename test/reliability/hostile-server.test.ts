// A hostile or broken API server cannot make the plugin hammer it, loop forever or print an empty
// place: 410s that never end are re-listed with client-go's back-off (sources/retry.ts) and said
// once, continue tokens that never end are bounded (sources/api.ts list), a watch ERROR without a
// usable code names the URL. Through the executable, against the hostile server of hostile-server.ts.
import type http from 'node:http';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { expectOneErrorLine, run } from './helpers.js';
import { hostile } from './hostile-server.js';

let api: RunningApiServer;
beforeAll(async () => {
  api = await startApiServer({ scenarios: ['ordering'], snapshot: 'running' });
});
afterAll(() => api.close());

const isWatch = (req: http.IncomingMessage) => /[?&]watch=true/.test(req.url ?? '');
const status = (code: number, reason: string, message: string) => ({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });

describe('a watch answered 410 Gone every time', () => {
  // client-go's reflector: 0.8 s doubling to 30 s, jittered; each round is a list and a watch per stream
  test.each([
    ['as an in-stream ERROR', (res: http.ServerResponse) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: status(410, 'Expired', 'too old resource version: 1 (2)') })}\n`);
    }],
    ['as HTTP 410', (res: http.ServerResponse) => {
      res.writeHead(410, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status(410, 'Gone', 'too old resource version: 1 (2)')));
    }],
  ])('%s: re-lists with back-off, at most 60 requests in 8 s, said once', async (_, answer) => {
    const h = await hostile(api, (req, res) => {
      if (!isWatch(req)) return false;
      answer(res);
      return true;
    });
    try {
      const r = await run(['watch', '--kubeconfig', h.kubeconfig, '--timeout', '8s', '-o', 'json'], { timeoutMs: 20000 });
      expect(r.code).toBe(0);
      expect(h.paths.length).toBeGreaterThan(4); // it did re-list
      expect(h.paths.length).toBeLessThanOrEqual(60);
      const notes = r.stderr.split('\n').filter((l) => /410 Gone/.test(l));
      // once per stream
      expect(notes.sort()).toEqual(['note: the events watch keeps answering 410 Gone: re-listing with back-off (up to every 30s)', 'note: the pods watch keeps answering 410 Gone: re-listing with back-off (up to every 30s)']);
    } finally {
      await h.close();
    }
  }, 30000);
});

describe('a watch ERROR without a usable code', () => {
  test.each([
    [0, /^note: watch reconnecting \(pods: 500 InternalError: boom\)$/m],
    [404, /^error: the server could not find pods \(404 on http:\/\/127\.0\.0\.1:\d+\/api\/v1\/namespaces\/rec-ordering\/pods\): boom$/m],
  ])('code %s: one line that names what failed', async (code, re) => {
    const h = await hostile(api, (req, res) => {
      if (!isWatch(req) || !/\/pods\?/.test(req.url ?? '')) return false;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`${JSON.stringify({ type: 'ERROR', object: status(code, code ? 'NotFound' : '', 'boom') })}\n`);
      return true;
    });
    try {
      const r = await run(['watch', '--kubeconfig', h.kubeconfig, '--timeout', '6s', '-o', 'json', '--reconnect-notice', '1s'], { timeoutMs: 20000 });
      if (code === 0) {
        // the server's failure: retried with back-off, never "from  failed"
        expect(r.stderr).toMatch(re);
        expect(r.stderr).not.toMatch(/from {2}failed/);
        expect(h.paths.filter((p) => isWatch({ url: p } as http.IncomingMessage) && /\/pods\?/.test(p)).length).toBeLessThanOrEqual(12);
      } else expectOneErrorLine(r, re);
    } finally {
      await h.close();
    }
  }, 30000);
});

describe('continue tokens that never end', () => {
  const isPodList = (req: http.IncomingMessage) => /^\/api\/v1\/namespaces\/rec-ordering\/pods\?/.test(req.url ?? '') && !isWatch(req);
  const page = (res: http.ServerResponse, token: string) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1', continue: token }, items: [] }));
  };

  test('the same token again: describe stops at once, one line', async () => {
    const h = await hostile(api, (req, res) => {
      if (!isPodList(req)) return false;
      page(res, 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhIn0');
      return true;
    });
    try {
      expectOneErrorLine(await run(['describe', '--kubeconfig', h.kubeconfig], { timeoutMs: 20000 }),
        /^error: list pods: the server sent a continue token it had sent before \(after 2 pages\): stopped paging$/m);
      expect(h.paths.filter((p) => isPodList({ url: p } as http.IncomingMessage))).toHaveLength(2);
    } finally {
      await h.close();
    }
  }, 30000);

  test('a new token every time: describe and watch stop at the page bound, one line', async () => {
    let n = 0;
    const h = await hostile(api, (req, res) => {
      if (!isPodList(req)) return false;
      page(res, `token-${n++}`);
      return true;
    });
    try {
      // --chunk-size 10000: 1,000,000 objects are 100 pages
      for (const cmd of ['describe', 'watch']) {
        const before = n;
        expectOneErrorLine(await run([cmd, '--kubeconfig', h.kubeconfig, '--chunk-size', '10000'], { timeoutMs: 30000 }),
          /^error: list pods: the server had more pages after 100 \(1,000,000 objects at this --chunk-size\): stopped paging$/m);
        expect(n - before).toBe(100);
      }
    } finally {
      await h.close();
    }
  }, 60000);
});
