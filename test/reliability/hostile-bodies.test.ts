// What a server sends is bounded and named for what it is (issue 13 #6, #9): an HTML page with
// status 200 is "an HTML page", not a cut body, and is asked for once; a body over the limit stops
// the reading at the limit (once, one error line, --max-response-size to raise it); a gzip bomb is
// bounded after decompression; log requests all carry limitBytes, and a server that ignores it is
// cut there. The hostile server is plain http (no credentials go to it) and sits in front of the
// test API server for what it does not fake.
import type http from 'node:http';
import zlib from 'node:zlib';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { expectOneErrorLine, run } from './helpers.js';
import { hostile as hostileServer, type Handler } from './hostile-server.js';

let api: RunningApiServer;
beforeAll(async () => {
  api = await startApiServer({ scenarios: ['ordering'], snapshot: 'running' });
});
afterAll(() => api.close());

/** A plain-http server (hostile-server.ts) in front of the test API server. */
const hostile = (fake: Handler) => hostileServer(api, fake);

const isList = (req: http.IncomingMessage) => /^\/api\/v1\/namespaces\/rec-ordering\/pods(\?|$)/.test(req.url ?? '');

test('an HTML page with status 200 is named as such, asked for once', async () => {
  const h = await hostile((req, res) => {
    if (!isList(req)) return false;
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!DOCTYPE html><html><head><title>Sign in \u001b[31m- Corp SSO</title></head><body>login</body></html>');
    return true;
  });
  try {
    const line = expectOneErrorLine(await run(['describe', '--kubeconfig', h.kubeconfig]), /an HTML page \("Sign in \\x1b\[31m- Corp SSO"\), not JSON/);
    expect(line).not.toMatch(/cut short|attempts/);
    expect(h.paths.filter((p) => /\/pods\?/.test(p))).toHaveLength(1);
  } finally {
    await h.close();
  }
});

test('a valid body over --max-response-size: one request, one line saying the limit', async () => {
  const big = JSON.stringify({ kind: 'PodList', apiVersion: 'v1', metadata: {}, items: Array.from({ length: 20000 }, (_, i) => ({ metadata: { name: `p${i}`, namespace: 'rec-ordering', uid: `u${i}` } })) });
  expect(big.length).toBeGreaterThan(1024 * 1024);
  const h = await hostile((req, res) => {
    if (!isList(req)) return false;
    res.writeHead(200, { 'content-type': 'application/json' }); // chunked: no content-length to judge by
    res.end(big);
    return true;
  });
  try {
    expectOneErrorLine(await run(['describe', '--kubeconfig', h.kubeconfig, '--max-response-size', '1Mi']), /^error: list pods: the response body is larger than 1Mi: stopped reading \(--max-response-size raises the limit; --chunk-size pages lists\)$/m);
    expect(h.paths.filter((p) => /\/pods\?/.test(p))).toHaveLength(1);
    // under the limit it is read
    const ok = await run(['describe', '--kubeconfig', h.kubeconfig, '--max-response-size', '8Mi', '-o', 'json', '--no-logs']);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  } finally {
    await h.close();
  }
});

test('a gzip bomb is bounded after decompression', async () => {
  const bomb = zlib.gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x20)); // 64 MiB of spaces in ~64 KiB
  expect(bomb.length).toBeLessThan(200 * 1024);
  const h = await hostile((req, res) => {
    if (!isList(req)) return false;
    res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': bomb.length });
    res.end(bomb);
    return true;
  });
  try {
    expectOneErrorLine(await run(['describe', '--kubeconfig', h.kubeconfig, '--max-response-size', '4Mi']), /larger than 4Mi: stopped reading/);
    expect(h.paths.filter((p) => /\/pods\?/.test(p))).toHaveLength(1);
  } finally {
    await h.close();
  }
});

test('--max-response-size is checked', async () => {
  expectOneErrorLine(await run(['describe', '--max-response-size', 'lots']), /invalid --max-response-size "lots"/);
  expectOneErrorLine(await run(['describe', '--max-response-size', '1Gi']), /over 512Mi/);
  expectOneErrorLine(await run(['describe', '--max-response-size', '513Mi']), /over 512Mi/);
  // "up to 512Mi", as the help says: taken (the run goes on to the next problem, no kubeconfig)
  const r = await run(['describe', '--max-response-size', '512Mi']);
  expect(r.stderr).not.toMatch(/max-response-size/);
  expect(r.stderr).toMatch(/^error: no kubeconfig found/);
});

describe('logs', () => {
  test('every log request carries limitBytes, the last-line one too', async () => {
    // logs longer than the head (4096 bytes): the last line is asked for by a request of its own
    const queries: URLSearchParams[] = [];
    const line = (i: number) => `2026-11-21T22:56:20.${String(i).padStart(9, '0')}Z line ${i} ${'x'.repeat(60)}\n`;
    const h = await hostile((req, res) => {
      const u = new URL(req.url ?? '', 'http://x');
      if (!u.pathname.endsWith('/log')) return false;
      queries.push(u.searchParams);
      res.writeHead(200, { 'content-type': 'text/plain' });
      const body = u.searchParams.get('tailLines') === '1' ? line(199) : Array.from({ length: 200 }, (_, i) => line(i)).join('');
      res.end(body.slice(0, Number(u.searchParams.get('limitBytes') ?? body.length)));
      return true;
    });
    try {
      const r = await run(['describe', 'ordering', '-n', 'rec-ordering', '--kubeconfig', h.kubeconfig, '-o', 'json']);
      expect(r.code).toBe(0);
      expect(queries.length).toBeGreaterThan(2);
      expect(queries.filter((q) => q.get('tailLines') === '1').length).toBe(queries.length / 2);
      expect(queries.filter((q) => !(Number(q.get('limitBytes')) > 0))).toEqual([]);
      // the last line read is the log's last line, not the head's
      expect(JSON.stringify(JSON.parse(r.stdout))).toContain('line 199');
    } finally {
      await h.close();
    }
  });

  test('a server that ignores limitBytes and sends one 64 MiB line: cut at the limit, the run goes on in bounded memory', async () => {
    let served = 0;
    const h = await hostile((req, res) => {
      if (!/\/log\?/.test(req.url ?? '')) return false;
      served++;
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(1024 * 1024, 0x61);
      res.write('2026-11-21T22:56:20.000000000Z ');
      let sent = 0;
      const more = () => {
        while (sent < 64 && res.write(chunk)) sent++;
        if (sent >= 64) res.end('\n');
        else res.once('drain', () => { sent++; more(); });
      };
      res.on('error', () => undefined);
      more();
      return true;
    });
    try {
      const r = await run(['describe', 'ordering', '--kubeconfig', h.kubeconfig, '-o', 'json', '--v=6'], { env: { NODE_OPTIONS: '--max-old-space-size=96' } });
      // --v=6: the requests, each on its line (request-log.ts), and nothing else: no error, no trace
      expect(r.stderr.split('\n').filter((l) => l && !/^I\d{4} [\d:.]+ +\d+ http\.ts:0\] "Response" /.test(l))).toEqual([]);
      expect(r.code).toBe(0);
      expect(served).toBeGreaterThan(0);
      expect(JSON.parse(r.stdout).items[0].pod.name).toBe('ordering');
    } finally {
      await h.close();
    }
  }, 60000);
});

test('a watch line that never ends is bounded: one error line', async () => {
  const h = await hostile((req, res) => {
    if (!/[?&]watch=true/.test(req.url ?? '') || !/\/pods\?/.test(req.url ?? '')) return false;
    res.writeHead(200, { 'content-type': 'application/json' });
    const chunk = Buffer.alloc(1024 * 1024, 0x61);
    res.write('{"type":"ADDED","object":{"x":"');
    let sent = 0;
    const more = () => {
      while (sent < 40 && res.write(chunk)) sent++;
      if (sent < 40) res.once('drain', () => { sent++; more(); });
    };
    res.on('error', () => undefined);
    more();
    return true;
  });
  try {
    // no flag changes this limit: none is suggested
    expectOneErrorLine(await run(['watch', '--kubeconfig', h.kubeconfig, '--timeout', '20s']), /^error: watch pods: one line of the watch stream is larger than 16Mi: stopped reading \(a watch line is one object; etcd keeps objects under 1\.5Mi by default\)$/m);
  } finally {
    await h.close();
  }
}, 30000);
