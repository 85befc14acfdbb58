// The benchmark behind `npm run bench` (see docs/performance.md): synthetic clusters made of real
// recorded objects, served over HTTPS by the local test API server; kubectl-sidecars measured side
// by side with kubectl (v1.32) on the same server, medians over several runs.
//   npm run bench             everything (about 8 minutes on 2 cores)
//   npm run bench -- --scale  describe -A at 100,000 pods and ~2,000,000 events only (opt-in)
//   npm run bench -- --quick  describe -A at 1,000 pods and describe POD; the last two lines:
//                             "ratio describe/kubectl at 1000 pods: R", "ratio describe-pod/kubectl: R"
// kubectl-sidecars is measured as krew installs it: the single executable for this platform
// (KS_BENCH_SEA, built by run.mjs with scripts/package.mjs), beside the npm launcher (node
// bin/kubectl-sidecars). Every ratio is the median of the per-run ratios of interleaved runs
// (executable, launcher, kubectl, again), with their range: the machine is shared.
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../../test/apiserver/server.js';
import { makeCluster, EVENTS_PER_POD, EVENTS_PER_POD_REAL } from './cluster.js';
import { cleanupMeasure, HAVE_GNU_TIME, median, run, type Run } from './measure.js';
import { benchWatch, type WatchFigures } from './watch.js';

const ROOT = process.cwd();
const PLUGIN = join(ROOT, 'bin', 'kubectl-sidecars');
const NODE = process.execPath;
/** The npm launcher. */
const LAUNCHER = [NODE, PLUGIN];
/** What krew installs: the single executable, when run.mjs could build it; else the launcher. */
const SEA = process.env.KS_BENCH_SEA ? [process.env.KS_BENCH_SEA] : null;
const OURS = SEA ?? LAUNCHER;
const OURS_NAME = SEA ? 'single executable' : 'npm launcher (no single executable built)';
const runOurs = (exe: string[], args: string[], opts?: Parameters<typeof run>[2]) => run(exe[0], [...exe.slice(1), ...args], opts);
/** kubectl to compare with (KUBECTL=/path/to/kubectl to choose one). */
const KUBECTL = process.env.KUBECTL || 'kubectl';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const only = (name: string) => !argv.some((a) => a.startsWith('--only=')) || argv.includes(`--only=${name}`);

const log = (s: string) => process.stderr.write(s + '\n');
const rows: string[][] = [];
const misses: string[] = [];

function row(what: string, ours: string, launcher: string, theirs: string, ratio: string, target: string, verdict: string): void {
  rows.push([what, ours, launcher, theirs, ratio, target, verdict]);
}

/** "10", or "20.4 (mix)" for the realistic mix (events per pod on average). */
function eventsLabel(events: number, pods: number, perPod: number): string {
  return perPod === EVENTS_PER_POD_REAL ? `${(events / pods).toFixed(1)} (mix)` : String(perPod);
}

/** Median of the per-run ratios, with their range (how noisy the runs were). */
function ratioText(ratios: number[]): string {
  const s = [...ratios].sort((a, b) => a - b);
  return `${median(ratios).toFixed(2)}× (${s[0].toFixed(2)}–${s[s.length - 1].toFixed(2)})`;
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

async function describeAll(pods: number, runs: number, eventsPerPod = EVENTS_PER_POD): Promise<number> {
  log(`describe -A: generating ${pods} pods × ${eventsPerPod} events…`);
  const cluster = makeCluster(pods, 20, 0xbe7c4, eventsPerPod);
  const server = await startApiServer({ scenarios: ['ordering'], extra: { pods: cluster.pods, events: cluster.events } });
  const total = pods + 1; // and the recorded pod of the scenario the server needs
  try {
    const kc = ['--kubeconfig', server.kubeconfigPath];
    const args = ['describe', '-A', '-o', 'json', ...kc];
    const kPods = () => run(KUBECTL, ['get', 'pods', '-A', '-o', 'json', ...kc]);
    const kEvents = () => run(KUBECTL, ['get', 'events', '-A', '-o', 'json', ...kc]);
    // Warm-up: kubectl's discovery cache (an empty namespace: cheap), the page cache; and a check
    // that the answer is whole.
    must(await run(KUBECTL, ['get', 'pods', '-n', 'bench-warm-up', '-o', 'json', ...kc]), 'kubectl get pods');
    must(await run(KUBECTL, ['get', 'events', '-n', 'bench-warm-up', '-o', 'json', ...kc]), 'kubectl get events');
    const before = server.requests.length;
    const first = must(await runOurs(OURS, args, { keepStdout: pods <= 1000 }), 'describe -A');
    const reqs = server.requests.slice(before);
    if (first.stdout !== undefined) {
      const n = JSON.parse(first.stdout).items.length;
      if (n !== total) throw new Error(`describe -A returned ${n} pods, expected ${total}`);
    }
    const a = { ms: [] as number[], rss: [] as number[] };
    const l = { ms: [] as number[], rss: [] as number[] };
    const k = { ms: [] as number[], rss: [] as number[] };
    const ratios: number[] = [];
    for (let i = 0; i < runs; i++) {
      const o = must(await runOurs(OURS, args), 'describe -A');
      const n = SEA ? must(await runOurs(LAUNCHER, args), 'describe -A (launcher)') : o;
      const p = must(await kPods(), 'kubectl get pods');
      const e = must(await kEvents(), 'kubectl get events');
      a.ms.push(o.ms);
      a.rss.push(o.rssMB);
      l.ms.push(n.ms);
      l.rss.push(n.rssMB);
      k.ms.push(p.ms + e.ms);
      k.rss.push(Math.max(p.rssMB, e.rssMB));
      ratios.push(o.ms / (p.ms + e.ms));
      log(`  run ${i + 1}/${runs}: describe ${fmtMs(o.ms)} ${fmtMB(o.rssMB)} | launcher ${fmtMs(n.ms)} ${fmtMB(n.rssMB)} | kubectl pods ${fmtMs(p.ms)} ${fmtMB(p.rssMB)} + events ${fmtMs(e.ms)} ${fmtMB(e.rssMB)}`);
    }
    const ratio = median(ratios);
    const label = `${pods.toLocaleString('en-US')} pods × ${eventsLabel(cluster.events.length, pods, eventsPerPod)} events`;
    row(`describe -A -o json, ${label}: wall`, fmtMs(median(a.ms)), fmtMs(median(l.ms)), fmtMs(median(k.ms)), ratioText(ratios), '≤ 1.2×',
      check(ratio <= 1.2, `describe -A at ${label}: ${ratio.toFixed(2)}× the kubectl floor (target 1.2×, ${((ratio / 1.2 - 1) * 100).toFixed(0)}% over)`));
    const rss = median(a.rss);
    const rssTarget = pods >= 10000 ? 300 : undefined;
    row(`describe -A -o json, ${label}: peak RSS`, fmtMB(rss), fmtMB(median(l.rss)), fmtMB(median(k.rss)), `${(rss / median(k.rss)).toFixed(2)}×`, rssTarget ? `≤ ${rssTarget} MB` : '-',
      rssTarget ? check(rss <= rssTarget, `describe -A at ${label}: ${fmtMB(rss)} peak RSS (target ${rssTarget} MB, ${Math.round(rss - rssTarget)} MB over)`) : '-');
    const byPath = new Map<string, number>();
    for (const r of reqs) byPath.set(r.path, (byPath.get(r.path) ?? 0) + 1);
    const pages = Math.ceil(total / 500) + Math.ceil((cluster.events.length + 16) / 500);
    row(`describe -A -o json, ${label}: HTTP requests`, String(reqs.length), '-', `${pages} (pages of 500)`, '-', 'O(pages)',
      check(reqs.length <= pages * 2 + 4, `describe -A at ${label} sent ${reqs.length} requests`));
    log(`  requests: ${[...byPath].map(([p, n]) => `${p} ×${n}`).join(', ')}`);
    return ratio;
  } finally {
    await server.close();
  }
}

/**
 * Peak RSS of describe -A in every output format at realistic event density (crash loops with
 * the kubelet's spam-filter counts: cluster.ts), the single executable.
 */
async function memory(pods: number, eventsPerPod: number): Promise<void> {
  log(`memory: generating ${pods} pods × ${eventsPerPod === EVENTS_PER_POD_REAL ? 'the realistic mix of' : eventsPerPod} events…`);
  const cluster = makeCluster(pods, 20, 0xbe7c4, eventsPerPod);
  const server = await startApiServer({ scenarios: ['ordering'], extra: { pods: cluster.pods, events: cluster.events } });
  try {
    const label = `${pods.toLocaleString('en-US')} pods × ${eventsLabel(cluster.events.length, pods, eventsPerPod)} events`;
    for (const o of ['json', 'yaml', 'text', 'wide']) {
      const r = must(await runOurs(OURS, ['describe', '-A', '-o', o, '--kubeconfig', server.kubeconfigPath]), `describe -A -o ${o}`);
      log(`  -o ${o}: ${fmtMs(r.ms)} ${fmtMB(r.rssMB)}`);
      row(`describe -A -o ${o}, ${label}: peak RSS`, fmtMB(r.rssMB), '-', '-', '-', '≤ 300 MB', check(r.rssMB <= 300, `describe -A -o ${o} at ${label}: ${fmtMB(r.rssMB)} peak RSS (target 300 MB)`));
    }
  } finally {
    await server.close();
  }
}

/**
 * The client-node path for the same reads (the reason docs/performance.md gives for our own GET client
 * must be a figure): CoreV1Api list pages and the ListWatch informer, on Node like the launcher,
 * beside our whole `describe -A -o json` (reads, model and output). Ratios: client-node / launcher.
 */
async function clientNode(pods: number, runs: number): Promise<void> {
  log(`client-node: generating ${pods} pods × ${EVENTS_PER_POD} events…`);
  const cluster = makeCluster(pods, 20, 0xbe7c4, EVENTS_PER_POD);
  const server = await startApiServer({ scenarios: ['ordering'], extra: { pods: cluster.pods, events: cluster.events } });
  const probe = join(ROOT, 'scripts', 'bench', 'client-node-probe.mjs');
  const env = { ...process.env, KUBECONFIG: server.kubeconfigPath };
  const label = `${pods.toLocaleString('en-US')} pods × ${EVENTS_PER_POD} events`;
  try {
    const args = ['describe', '-A', '-o', 'json', '--kubeconfig', server.kubeconfigPath];
    const fig = { ours: [] as Run[], launcher: [] as Run[], list: [] as Run[], informer: [] as Run[] };
    for (let i = 0; i < runs; i++) {
      fig.ours.push(must(await runOurs(OURS, args), 'describe -A'));
      fig.launcher.push(SEA ? must(await runOurs(LAUNCHER, args), 'describe -A (launcher)') : fig.ours[i]);
      for (const mode of ['list', 'informer'] as const) {
        const r = must(await run(NODE, [probe, mode], { env, keepStdout: true }), `client-node ${mode}`);
        if (!r.stdout?.startsWith(`${pods + 1} pods`)) throw new Error(`client-node ${mode} read ${r.stdout?.trim()}, expected ${pods + 1} pods`);
        fig[mode].push(r);
      }
      log(`  run ${i + 1}/${runs}: describe ${fmtMs(fig.ours[i].ms)} ${fmtMB(fig.ours[i].rssMB)} | launcher ${fmtMs(fig.launcher[i].ms)} ${fmtMB(fig.launcher[i].rssMB)} | client-node list ${fmtMs(fig.list[i].ms)} ${fmtMB(fig.list[i].rssMB)} | informer ${fmtMs(fig.informer[i].ms)} ${fmtMB(fig.informer[i].rssMB)}`);
    }
    const med = (rs: Run[], f: (r: Run) => number) => median(rs.map(f));
    for (const mode of ['list', 'informer'] as const) {
      const what = mode === 'list' ? 'client-node list (pages of 500), reads only' : 'client-node informer, until synced';
      const ratios = fig[mode].map((r, i) => r.ms / fig.launcher[i].ms);
      const fmt = (rs: Run[]) => `${fmtMs(med(rs, (r) => r.ms))} / ${fmtMB(med(rs, (r) => r.rssMB))}`;
      row(`${what} vs our whole describe -A -o json, ${label}: wall / peak RSS`, fmt(fig.ours), fmt(fig.launcher),
        `${fmt(fig[mode])} (client-node)`, `${ratioText(ratios)} client-node/launcher`, '-', '-');
    }
  } finally {
    await server.close();
  }
}

/**
 * --scale (opt-in, issue 15): 100,000 pods with the realistic event mix (about 2,000,000 events),
 * one run per format of what krew installs. kubectl is not run at this size: its floor at 10,000
 * pods already takes about a minute and 1.6 GB, and at ten times that it would not fit beside the
 * server on this machine.
 */
async function scale(pods: number): Promise<void> {
  log(`scale: generating ${pods} pods × the realistic mix of events (list JSON only)…`);
  const t0 = Date.now();
  const cluster = makeCluster(pods, 20, 0xbe7c4, EVENTS_PER_POD_REAL, true);
  const server = await startApiServer({ scenarios: ['ordering'], extra: { pods: cluster.pods, events: cluster.events } });
  log(`  ${cluster.pods.length} pods, ${cluster.events.length} events served (${((Date.now() - t0) / 1000).toFixed(0)} s to build)`);
  const label = `${pods.toLocaleString('en-US')} pods × ${(cluster.events.length / 1e6).toFixed(2)} M events (${eventsLabel(cluster.events.length, pods, EVENTS_PER_POD_REAL)} per pod)`;
  try {
    // text keeps the details of the pods with a problem until the summary is written: with
    // --details none it keeps only the summary rows
    for (const o of ['json', 'text', 'text --details none']) {
      const before = server.requests.length;
      const r = must(await runOurs(OURS, ['describe', '-A', '-o', ...o.split(' '), '--kubeconfig', server.kubeconfigPath]), `describe -A -o ${o}`);
      const reqs = server.requests.length - before;
      log(`  -o ${o}: ${fmtMs(r.ms)} ${fmtMB(r.rssMB)}, ${reqs} requests, ${(r.stdoutBytes / 2 ** 20).toFixed(0)} MiB out`);
      row(`--scale: describe -A -o ${o}, ${label}: wall / peak RSS / requests`, `${fmtMs(r.ms)} / ${fmtMB(r.rssMB)} / ${reqs}`, '-', 'not run (see docs/performance.md)', '-', 'figures in docs/performance.md', '-');
    }
  } finally {
    await server.close();
  }
}

/** describe POD against kubectl describe pod on a 1,000-pod cluster; returns the median ratio. */
async function singlePod(runs: number): Promise<number> {
  log('single pod: describe vs kubectl describe pod (1,000-pod cluster)…');
  const cluster = makeCluster(1000);
  const server = await startApiServer({ scenarios: ['ordering'], extra: { pods: cluster.pods, events: cluster.events } });
  try {
    const pod = cluster.pods[8] as { metadata: { name: string; namespace: string } }; // a native-sidecar pod
    const kc = ['--kubeconfig', server.kubeconfigPath, '-n', pod.metadata.namespace];
    const args = ['describe', pod.metadata.name, ...kc];
    const theirs = () => run(KUBECTL, ['describe', 'pod', pod.metadata.name, ...kc]);
    must(await theirs(), 'kubectl describe pod');
    must(await runOurs(OURS, args), 'describe POD');
    const a: number[] = [];
    const l: number[] = [];
    const k: number[] = [];
    const ratios: number[] = [];
    for (let i = 0; i < runs; i++) {
      const o = must(await runOurs(OURS, args), 'describe POD');
      const n = SEA ? must(await runOurs(LAUNCHER, args), 'describe POD (launcher)') : o;
      const t = must(await theirs(), 'kubectl describe pod');
      a.push(o.ms);
      l.push(n.ms);
      k.push(t.ms);
      ratios.push(o.ms / t.ms);
    }
    log(`  describe POD ${a.map((x) => Math.round(x)).join(' ')} | launcher ${l.map((x) => Math.round(x)).join(' ')} | kubectl ${k.map((x) => Math.round(x)).join(' ')} ms`);
    const ratio = median(ratios);
    row('describe POD (one pod, logs read): wall', fmtMs(median(a)), fmtMs(median(l)), `${fmtMs(median(k))} (describe pod)`, ratioText(ratios), '≤ 1.0×',
      check(ratio <= 1.0, `single-pod describe: ${ratio.toFixed(2)}× kubectl describe pod (target 1.0×)`));
    return ratio;
  } finally {
    await server.close();
  }
}

async function startup(runs: number): Promise<void> {
  log('startup: version…');
  const theirs = () => run(KUBECTL, ['version', '--client']);
  must(await runOurs(OURS, ['version']), 'version');
  must(await theirs(), 'kubectl version');
  const a: Run[] = [];
  const l: Run[] = [];
  const k: Run[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    a.push(must(await runOurs(OURS, ['version']), 'version'));
    l.push(SEA ? must(await runOurs(LAUNCHER, ['version']), 'version (launcher)') : a[a.length - 1]);
    k.push(must(await theirs(), 'kubectl version'));
    ratios.push(a[a.length - 1].ms / k[k.length - 1].ms);
  }
  const ms = (rs: Run[]) => median(rs.map((r) => r.ms));
  const mb = (rs: Run[]) => median(rs.map((r) => r.rssMB));
  const ratio = median(ratios);
  row('version (startup): wall', fmtMs(ms(a)), fmtMs(ms(l)), `${fmtMs(ms(k))} (version --client)`, ratioText(ratios), '≤ 1.5×',
    check(ratio <= 1.5, `version: ${ratio.toFixed(2)}× kubectl version --client (target 1.5×)`));
  row('version (startup): peak RSS', fmtMB(mb(a)), fmtMB(mb(l)), fmtMB(mb(k)), `${(mb(a) / mb(k)).toFixed(2)}×`, '-', '-');
}

function watchRows(w: WatchFigures | string): void {
  if (typeof w === 'string') {
    row('watch', 'not measured', '-', '-', '-', '-', w);
    return;
  }
  row('watch, 5,000 live pods, full speed: updates/s (after the first 10,000)', `${Math.round(w.fullRate)} (${Math.round(w.afterWarmup)})`, '-', '-', '-', '≥ 5,000/s',
    check(w.fullRate >= 5000, `watch: ${Math.round(w.fullRate)} updates/s at full speed (target 5,000/s)`));
  row('watch at 1,000 updates/s: update-to-line p50 / p99', `${w.p50.toFixed(1)} / ${w.p99.toFixed(1)} ms`, '-', '-', '-', 'p99 ≤ 50 ms',
    check(w.p99 <= 50, `watch: p99 ${w.p99.toFixed(1)} ms at 1,000/s (target 50 ms)`));
  row(`watch RSS after ${w.rssAt.map((x) => x.updates.toLocaleString('en-US')).join(' / ')} updates (peak)`, `${w.rssAt.map((x) => fmtMB(x.rssMB)).join(' / ')} (${fmtMB(w.peakMB)})`, '-', '-', '-', '≤ 120 MB, flat',
    check(w.flat && w.peakMB <= 120, `watch: RSS ${w.rssAt.map((x) => fmtMB(x.rssMB)).join(' → ')}, peak ${fmtMB(w.peakMB)} (target ≤ 120 MB, flat)`));
  // the target is RSS; its split says what the watch holds (anonymous) and what is the runtime's own code (file)
  row('  of which anonymous / file-backed (the executable\'s pages; in 2 MB pages)', w.rssAt.map((x) => `${fmtMB(x.anonMB)} / ${fmtMB(x.fileMB)} (${fmtMB(x.filePmdMB)})`).join(', '), '-', '-', '-', '-', '-');
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
  const head = ['measure', SEA ? 'single executable' : 'npm launcher', 'npm launcher', 'kubectl', 'ratio (median, range)', 'target', 'verdict'];
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
  log(`measuring: ${OURS_NAME}${SEA ? ` (${SEA[0]})` : ''}, npm launcher, kubectl`);
  let ratio1k: number | undefined;
  let ratioPod: number | undefined;
  if (argv.includes('--scale')) {
    await scale(100000);
  } else if (quick) {
    ratio1k = await describeAll(1000, 5);
    ratioPod = await singlePod(9);
  } else {
    if (only('describe')) {
      ratio1k = await describeAll(1000, 5);
      await describeAll(10000, 3);
    }
    if (only('memory')) await memory(10000, EVENTS_PER_POD_REAL);
    if (only('single')) ratioPod = await singlePod(11);
    if (only('client-node')) {
      await clientNode(1000, 3);
      await clientNode(10000, 2);
    }
    if (only('watch')) watchRows(await benchWatch(OURS, log).catch((e: Error) => `failed: ${e.message}`));
    if (only('startup')) await startup(11);
  }
  const out = process.stdout;
  out.write(`\n${machine()}\nmeasured: ${OURS_NAME}; ratios are ${SEA ? 'single executable' : 'launcher'} / kubectl\nkubectl floor = kubectl get pods -A -o json + kubectl get events -A -o json (wall times added, RSS the larger)\n\n${table()}\n\n`);
  if (misses.length) out.write(`Targets missed:\n${misses.map((m) => `- ${m}`).join('\n')}\n\n`);
  out.write(`(${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
  if (ratio1k !== undefined) out.write(`ratio describe/kubectl at 1000 pods: ${ratio1k.toFixed(2)}\n`);
  if (ratioPod !== undefined) out.write(`ratio describe-pod/kubectl: ${ratioPod.toFixed(2)}\n`);
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
