// The benchmark behind `npm run bench` (see README "Benchmarks"): synthetic clusters made of real
// recorded objects, served over HTTPS by the local test API server; kubectl-sidecars measured side
// by side with kubectl (v1.32) on the same server, medians over several runs.
//   npm run bench             everything (about 8 minutes on 2 cores)
//   npm run bench -- --quick  only describe -A at 1,000 pods; last line: "ratio describe/kubectl at 1000 pods: R"
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../test/apiserver/server.js';
import { makeCluster, EVENTS_PER_POD } from './cluster.js';
import { cleanupMeasure, HAVE_GNU_TIME, median, run, type Run } from './measure.js';
import { benchWatch, type WatchFigures } from './watch.js';

const ROOT = process.cwd();
const PLUGIN = join(ROOT, 'bin', 'kubectl-sidecars');
const NODE = process.execPath;
/** kubectl to compare with (KUBECTL=/path/to/kubectl to choose one). */
const KUBECTL = process.env.KUBECTL || 'kubectl';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = (name: string) => !argv.some((a) => a.startsWith('--only=')) || argv.includes(`--only=${name}`);

const log = (s: string) => process.stderr.write(s + '\n');
const rows: string[][] = [];
const misses: string[] = [];

function row(what: string, ours: string, theirs: string, ratio: string, target: string, verdict: string): void {
  rows.push([what, ours, theirs, ratio, target, verdict]);
}

function check(ok: boolean, miss: string): string {
  if (!ok) misses.push(miss);
  return ok ? 'met' : 'MISSED';
}

const fmtMs = (ms: number) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtMB = (mb: number) => `${Math.round(mb)} MB`;

function must<T extends Run>(r: T, what: string): T {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}: ${r.stderr.slice(0, 500)}`);
  return r;
}

interface Side {
  ms: number[];
  rss: number[];
}

async function describeAll(pods: number, runs: number): Promise<number> {
  log(`describe -A: generating ${pods} pods × ${EVENTS_PER_POD} events…`);
  const cluster = makeCluster(pods);
  const server = await startApiServer({ scenarios: ['ordering'], extra: { pods: cluster.pods, events: cluster.events } });
  const total = pods + 1; // and the recorded pod of the scenario the server needs
  try {
    const kc = ['--kubeconfig', server.kubeconfigPath];
    const ours = () => run(NODE, [PLUGIN, 'describe', '-A', '-o', 'json', ...kc]);
    const kPods = () => run(KUBECTL, ['get', 'pods', '-A', '-o', 'json', ...kc]);
    const kEvents = () => run(KUBECTL, ['get', 'events', '-A', '-o', 'json', ...kc]);
    // Warm-up: kubectl's discovery cache (an empty namespace: cheap), the page cache; and a check
    // that the answer is whole.
    must(await run(KUBECTL, ['get', 'pods', '-n', 'bench-warm-up', '-o', 'json', ...kc]), 'kubectl get pods');
    must(await run(KUBECTL, ['get', 'events', '-n', 'bench-warm-up', '-o', 'json', ...kc]), 'kubectl get events');
    const before = server.requests.length;
    const first = must(await run(NODE, [PLUGIN, 'describe', '-A', '-o', 'json', ...kc], { keepStdout: pods <= 1000 }), 'describe -A');
    const reqs = server.requests.slice(before);
    if (first.stdout !== undefined) {
      const n = JSON.parse(first.stdout).items.length;
      if (n !== total) throw new Error(`describe -A returned ${n} pods, expected ${total}`);
    }
    const a: Side = { ms: [], rss: [] };
    const k: Side = { ms: [], rss: [] };
    const ratios: number[] = [];
    for (let i = 0; i < runs; i++) {
      const o = must(await ours(), 'describe -A');
      const p = must(await kPods(), 'kubectl get pods');
      const e = must(await kEvents(), 'kubectl get events');
      a.ms.push(o.ms);
      a.rss.push(o.rssMB);
      k.ms.push(p.ms + e.ms);
      k.rss.push(Math.max(p.rssMB, e.rssMB));
      ratios.push(o.ms / (p.ms + e.ms));
      log(`  run ${i + 1}/${runs}: describe ${fmtMs(o.ms)} ${fmtMB(o.rssMB)} | kubectl pods ${fmtMs(p.ms)} ${fmtMB(p.rssMB)} + events ${fmtMs(e.ms)} ${fmtMB(e.rssMB)}`);
    }
    const ratio = median(ratios);
    const label = pods.toLocaleString('en-US');
    const timeOk = ratio <= 1.2;
    row(`describe -A -o json, ${label} pods: wall`, fmtMs(median(a.ms)), fmtMs(median(k.ms)), `${ratio.toFixed(2)}×`, '≤ 1.2×',
      check(timeOk, `describe -A at ${label} pods: ${ratio.toFixed(2)}× the kubectl floor (target 1.2×, ${((ratio / 1.2 - 1) * 100).toFixed(0)}% over)`));
    const rss = median(a.rss);
    const rssTarget = pods >= 10000 ? 250 : undefined;
    row(`describe -A -o json, ${label} pods: peak RSS`, fmtMB(rss), fmtMB(median(k.rss)), `${(rss / median(k.rss)).toFixed(2)}×`, rssTarget ? `≤ ${rssTarget} MB` : '-',
      rssTarget ? check(rss <= rssTarget, `describe -A at ${label} pods: ${fmtMB(rss)} peak RSS (target ${rssTarget} MB, ${Math.round(rss - rssTarget)} MB over)`) : '-');
    const byPath = new Map<string, number>();
    for (const r of reqs) byPath.set(r.path, (byPath.get(r.path) ?? 0) + 1);
    const pages = Math.ceil(total / 500) + Math.ceil((pods * EVENTS_PER_POD + 16) / 500);
    row(`describe -A -o json, ${label} pods: HTTP requests`, String(reqs.length), `${pages} (pages of 500)`, '-', 'O(pages)',
      check(reqs.length <= pages * 2 + 4, `describe -A at ${label} pods sent ${reqs.length} requests`));
    log(`  requests: ${[...byPath].map(([p, n]) => `${p} ×${n}`).join(', ')}`);
    return ratio;
  } finally {
    await server.close();
  }
}

/**
 * Peak RSS of describe -A in every output format at realistic event density (issue 13 #7: the
 * evidence of every pod held for text, one YAML string of the whole list).
 */
async function memory(pods: number, eventsPerPod: number): Promise<void> {
  log(`memory: generating ${pods} pods × ${eventsPerPod} events…`);
  const cluster = makeCluster(pods, 20, 0xbe7c4, eventsPerPod);
  const server = await startApiServer({ scenarios: ['ordering'], extra: { pods: cluster.pods, events: cluster.events } });
  try {
    const label = `${pods.toLocaleString('en-US')} pods × ${eventsPerPod} events`;
    for (const o of ['json', 'yaml', 'text', 'wide']) {
      const r = must(await run(NODE, [PLUGIN, 'describe', '-A', '-o', o, '--kubeconfig', server.kubeconfigPath]), `describe -A -o ${o}`);
      log(`  -o ${o}: ${fmtMs(r.ms)} ${fmtMB(r.rssMB)}`);
      row(`describe -A -o ${o}, ${label}: peak RSS`, fmtMB(r.rssMB), '-', '-', '≤ 300 MB', check(r.rssMB <= 300, `describe -A -o ${o} at ${label}: ${fmtMB(r.rssMB)} peak RSS (target 300 MB)`));
    }
  } finally {
    await server.close();
  }
}

async function singlePod(runs: number): Promise<void> {
  log('single pod: describe vs kubectl describe pod (1,000-pod cluster)…');
  const cluster = makeCluster(1000);
  const server = await startApiServer({ scenarios: ['ordering'], extra: { pods: cluster.pods, events: cluster.events } });
  try {
    const pod = cluster.pods[8] as { metadata: { name: string; namespace: string } }; // a native-sidecar pod
    const kc = ['--kubeconfig', server.kubeconfigPath, '-n', pod.metadata.namespace];
    const ours = () => run(NODE, [PLUGIN, 'describe', pod.metadata.name, ...kc]);
    const theirs = () => run(KUBECTL, ['describe', 'pod', pod.metadata.name, ...kc]);
    must(await theirs(), 'kubectl describe pod');
    must(await ours(), 'describe POD');
    const a: number[] = [];
    const k: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < runs; i++) {
      const o = must(await ours(), 'describe POD');
      const t = must(await theirs(), 'kubectl describe pod');
      a.push(o.ms);
      k.push(t.ms);
      ratios.push(o.ms / t.ms);
    }
    const ratio = median(ratios);
    row('describe POD (one pod, logs read): wall', fmtMs(median(a)), fmtMs(median(k)), `${ratio.toFixed(2)}×`, '≤ 1.5×',
      check(ratio <= 1.5, `single-pod describe: ${ratio.toFixed(2)}× kubectl describe pod (target 1.5×)`));
  } finally {
    await server.close();
  }
}

async function startup(runs: number): Promise<void> {
  log('startup: version…');
  const ours = () => run(NODE, [PLUGIN, 'version']);
  const theirs = () => run(KUBECTL, ['version', '--client']);
  must(await ours(), 'version');
  must(await theirs(), 'kubectl version');
  const a: Run[] = [];
  const k: Run[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(must(await ours(), 'version'));
    k.push(must(await theirs(), 'kubectl version'));
  }
  const am = median(a.map((r) => r.ms));
  const km = median(k.map((r) => r.ms));
  row('version (startup): wall', fmtMs(am), fmtMs(km), `${(am / km).toFixed(2)}×`, '-', '-');
  row('version (startup): peak RSS', fmtMB(median(a.map((r) => r.rssMB))), fmtMB(median(k.map((r) => r.rssMB))), '-', '-', '-');
}

function watchRows(w: WatchFigures | string): void {
  if (typeof w === 'string') {
    row('watch', 'not measured', '-', '-', '-', w);
    return;
  }
  row('watch, full speed: updates/s', String(Math.round(w.fullRate)), '-', '-', '≥ 2,000/s',
    check(w.fullRate >= 2000, `watch: ${Math.round(w.fullRate)} updates/s at full speed (target 2,000/s)`));
  row('watch at 200 updates/s: event-to-line p50 / p99', `${w.p50.toFixed(1)} / ${w.p99.toFixed(1)} ms`, '-', '-', 'p99 ≤ 50 ms',
    check(w.p99 <= 50, `watch: p99 ${w.p99.toFixed(1)} ms at 200/s (target 50 ms)`));
  row(`watch RSS after ${w.rssAt.map((x) => x.updates.toLocaleString('en-US')).join(' / ')} updates`, w.rssAt.map((x) => fmtMB(x.rssMB)).join(' / '), '-', '-', 'flat',
    check(w.flat, `watch: RSS grows (${w.rssAt.map((x) => fmtMB(x.rssMB)).join(' → ')})`));
}

function machine(): string {
  let kubectl = '';
  try {
    kubectl = execFileSync(KUBECTL, ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
    kubectl = (JSON.parse(kubectl).clientVersion?.gitVersion as string) ?? '';
  } catch {
    kubectl = 'unknown';
  }
  const c = cpus();
  return `${c.length} CPU (${c[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, node ${process.version}, kubectl ${kubectl}, peak RSS from ${HAVE_GNU_TIME ? '/usr/bin/time' : '/proc VmHWM'}`;
}

function table(): string {
  const head = ['measure', 'kubectl-sidecars', 'kubectl', 'ratio', 'target', 'verdict'];
  const all = [head, ...rows];
  const w = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(w[i])).join(' | ')} |`;
  return [line(head), `|${w.map((n) => '-'.repeat(n + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const serve = argv.find((a) => a.startsWith('--serve='));
  if (serve) {
    // For profiling by hand: serve a synthetic cluster until killed.
    const perPod = argv.find((a) => a.startsWith('--events-per-pod='));
    const c = makeCluster(Number(serve.slice('--serve='.length)), 20, 0xbe7c4, perPod ? Number(perPod.slice('--events-per-pod='.length)) : undefined);
    const s = await startApiServer({ scenarios: ['ordering'], extra: { pods: c.pods, events: c.events } });
    log(`serving ${c.pods.length} pods, ${c.events.length} events; KUBECONFIG=${s.kubeconfigPath}`);
    await new Promise(() => {});
  }
  log(machine());
  let ratio1k: number | undefined;
  if (quick) {
    ratio1k = await describeAll(1000, 5);
  } else {
    if (only('describe')) {
      ratio1k = await describeAll(1000, 5);
      await describeAll(10000, 3);
    }
    if (only('memory')) await memory(10000, 20);
    if (only('single')) await singlePod(7);
    if (only('watch')) watchRows(await benchWatch(NODE, PLUGIN, log).catch((e: Error) => `failed: ${e.message}`));
    if (only('startup')) await startup(11);
  }
  const out = process.stdout;
  out.write(`\n${machine()}\nkubectl floor = kubectl get pods -A -o json + kubectl get events -A -o json (wall times added, RSS the larger)\n\n${table()}\n\n`);
  if (misses.length) out.write(`Targets missed:\n${misses.map((m) => `- ${m}`).join('\n')}\n\n`);
  out.write(`(${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  if (ratio1k !== undefined) out.write(`ratio describe/kubectl at 1000 pods: ${ratio1k.toFixed(2)}\n`);
}

main().then(
  () => cleanupMeasure(),
  (e) => {
    cleanupMeasure();
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);

export type { RunningApiServer };
