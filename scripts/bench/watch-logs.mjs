// `node scripts/bench/watch-logs.mjs [seconds]` (after `npm run build`): `watch --logs -o json`
// against a local plain-HTTP API stand-in serving 20 running pods × 3 containers whose followed logs
// write 1,000 lines a second in all, each stamped with the moment it is sent. Reports the line
// latency (receive − stamp: p50, p99), the maximum RSS and the CPU per 1,000 lines (GNU time, the
// whole process tree), and the same for `kubectl logs -f --all-containers --prefix` on the same server.
// A benchmark, not a test: figures go into docs/performance.md by hand.
import http from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SECONDS = Number(process.argv[2] ?? 30);
const PODS = 20;
const CONTAINERS = ['proxy', 'app', 'agent'];
const RATE = 1000; // lines a second, all streams together
const NS = 'bench';
const T0 = new Date().toISOString().replace(/\.\d+Z$/, 'Z');

const pod = (i) => ({
  metadata: { name: `web-${i}`, namespace: NS, uid: `uid-${i}`, resourceVersion: '1', creationTimestamp: T0, labels: { app: 'bench' } },
  spec: { nodeName: 'n', initContainers: [{ name: 'proxy', image: 'x', restartPolicy: 'Always' }], containers: [{ name: 'app', image: 'x' }, { name: 'agent', image: 'x' }] },
  status: {
    phase: 'Running',
    conditions: ['PodScheduled', 'Initialized', 'ContainersReady', 'Ready'].map((type) => ({ type, status: 'True', lastTransitionTime: T0 })),
    initContainerStatuses: [{ name: 'proxy', ready: true, started: true, restartCount: 0, image: 'x', imageID: 'x', containerID: 'c://p', state: { running: { startedAt: T0 } } }],
    containerStatuses: ['app', 'agent'].map((name) => ({ name, ready: true, started: true, restartCount: 0, image: 'x', imageID: 'x', containerID: `c://${name}`, state: { running: { startedAt: T0 } } })),
  },
});

const streams = new Set();
let seq = 0;
const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  const json = (o) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(o));
  if (p === '/version') return json({ major: '1', minor: '33', gitVersion: 'v1.33.0' });
  if (p === '/api') return json({ kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] });
  if (p === '/apis') return json({ kind: 'APIGroupList', groups: [] });
  if (p === '/api/v1') return json({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'pods', namespaced: true, kind: 'Pod', verbs: ['get', 'list', 'watch'] }, { name: 'pods/log', namespaced: true, kind: 'Pod', verbs: ['get'] }] });
  if (/\/log$/.test(p)) {
    res.writeHead(200, { 'content-type': 'text/plain' });
    streams.add(res);
    res.on('close', () => streams.delete(res));
    return;
  }
  if (url.searchParams.get('watch') === 'true') {
    res.writeHead(200, { 'content-type': 'application/json' });
    return; // nothing changes: the logs are the load
  }
  if (/\/pods\/[^/]+$/.test(p)) return json(pod(Number(p.split('-').pop())));
  if (/\/pods$/.test(p)) return json({ kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: Array.from({ length: PODS }, (_, i) => pod(i)) });
  if (/\/events$/.test(p)) return json({ kind: 'EventList', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] });
  res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound', message: 'not found' }));
});
// every 10 ms, RATE/100 lines spread over the open streams
const tick = setInterval(() => {
  const open = [...streams];
  if (!open.length) return;
  for (let n = 0; n < RATE / 100; n++) {
    const s = open[seq % open.length];
    s.write(`${new Date().toISOString()} line ${seq++} ${'x'.repeat(60)}\n`);
  }
}, 10);
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const dir = mkdtempSync(join(tmpdir(), 'bench-logs-'));
const kubeconfig = join(dir, 'kubeconfig');
writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: b\nclusters: [{ name: c, cluster: { server: "http://127.0.0.1:${server.address().port}" } }]\nusers: [{ name: u, user: {} }]\ncontexts: [{ name: b, context: { cluster: c, user: u, namespace: ${NS} } }]\n`);

/** Runs a command under GNU time for SECONDS, counting the lines it prints and their latency. */
function measure(label, argv, stampOf) {
  return new Promise((resolve) => {
    const timeFile = join(dir, `${label}.time`);
    const child = spawn('/usr/bin/time', ['-v', '-o', timeFile, ...argv], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir }, detached: true });
    const lat = [];
    let carry = '';
    let lines = 0;
    const startAt = Date.now();
    let maxStreams = 0;
    const counter = setInterval(() => (maxStreams = Math.max(maxStreams, streams.size)), 200);
    child.stdout.on('data', (d) => {
      const now = Date.now();
      const parts = (carry + d).split('\n');
      carry = parts.pop();
      for (const l of parts) {
        const t = stampOf(l);
        if (t === null) continue;
        lines++;
        if (now - startAt > 3000) lat.push(now - t); // after the streams opened
      }
    });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    // GNU time waits through SIGINT: the signal goes to the whole group, as Ctrl-C would
    setTimeout(() => process.kill(-child.pid, 'SIGINT'), SECONDS * 1000);
    child.on('close', () => {
      clearInterval(counter);
      const t = readFileSync(timeFile, 'utf8');
      const num = (re) => Number(re.exec(t)?.[1] ?? NaN);
      const cpu = (num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/)) * 1000;
      lat.sort((a, b) => a - b);
      const q = (x) => lat[Math.min(lat.length - 1, Math.floor(lat.length * x))];
      resolve({ label, lines, streamsOpen: maxStreams, p50: q(0.5), p99: q(0.99), maxRssMB: Math.round(num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024), cpuMsPer1000: Math.round((cpu / Math.max(1, lines)) * 1000), stderr: err.trim().split('\n').slice(0, 2).join(' | ') });
    });
  });
}

const out = [];
out.push(await measure('kubectl-sidecars watch --logs -o json', [process.execPath, join(root, 'bin', 'kubectl-sidecars'), 'watch', '--logs', '-o', 'json', '--max-log-requests', '60'], (l) => {
  if (!l.includes('"type":"Log"')) return null;
  const m = /"time":"([^"]+)"/.exec(l);
  return m ? Date.parse(m[1]) : null;
}));
out.push(await measure('kubectl logs -f --all-containers --prefix --timestamps', ['kubectl', 'logs', '-f', '-l', 'app=bench', '--all-containers', '--prefix', '--timestamps', '--max-log-requests', '60'], (l) => {
  const m = /^\[[^\]]+\] (\S+) line /.exec(l);
  return m ? Date.parse(m[1]) : null;
}));
clearInterval(tick);
for (const s of streams) s.destroy();
server.close();
console.log(JSON.stringify({ seconds: SECONDS, pods: PODS, containers: CONTAINERS.length, linesPerSecond: RATE, results: out }, null, 2));
