// `watch` under load: the test API server pushes pod updates into one namespace (pushWatch) while
// `kubectl sidecars watch -n bench-watch` prints lines. The updates are the recorded watch
// streams of whole pod lifecycles (ordering, istio-native: added, every status change, deleted),
// replayed again and again under new names and uids, SLOTS pods at a time, with increasing
// resourceVersions. Measured: updates per second at full speed (flow control: at most WINDOW
// updates ahead of the PodDeleted lines that close each lifecycle), update-to-line latency at
// 200 updates/s (from the push to the first line naming that pod), RSS of the watch process.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECORDINGS_DIR } from '../../test/apiserver/recordings.js';
import { startApiServer, type PushedWatchEvent, type RunningApiServer } from '../../test/apiserver/server.js';
import { percentile } from './measure.js';

export interface WatchFigures {
  fullRate: number;
  /**
   * Updates/s after the first 10,000 (a figure beside the target's, which counts from the first
   * update): those bring 5,000 new pods at once, each printing its history so far, and run on code
   * V8 has not optimised yet.
   */
  afterWarmup: number;
  p50: number;
  p99: number;
  rssAt: { updates: number; rssMB: number; anonMB: number; fileMB: number; filePmdMB: number }[];
  /** VmHWM of the watch process over the whole full-speed run. */
  peakMB: number;
  flat: boolean;
}

const NS = 'bench-watch';
/** Pods alive at once (issue 15: 100,000 updates of 5,000 pods). */
const SLOTS = 5000;
const FULL_UPDATES = 100_000;
const PACED_RATE = 1000;
const PACED_UPDATES = 10_000;

/** Updates ahead of the last acknowledged one: every live pod's lifecycle may be in flight. */
const WINDOW = SLOTS * 40;
/**
 * Bytes the server may hold for the watch beyond what its socket took. Unbounded, the server queued
 * all 100,000 updates (~1 GB) in its first seconds, and its own garbage collections of that heap
 * left the watch waiting for bytes ~6% of the run (the watch's CPU profile showed it idle).
 */
const BACKLOG_BYTES = 8 * 2 ** 20;

function lifecycle(scenario: string): { type: PushedWatchEvent['type']; object: { metadata: Record<string, unknown> } }[] {
  return readFileSync(join(RECORDINGS_DIR, scenario, 'pods.watch.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('\t'))
    .map((l) => JSON.parse(l.slice(l.indexOf('\t') + 1)))
    .map((e) => ({ type: e.type, object: e.object }));
}

/** An endless stream of pod updates: SLOTS lifecycles interleaved, each a new pod. */
function* updates(): Generator<{ event: PushedWatchEvent; pod: string; last: boolean }> {
  const seqs = [lifecycle('ordering'), lifecycle('istio-native')];
  const slots: { seq: number; at: number; name: string; uid: string }[] = [];
  let pods = 0;
  let rv = 100000;
  const fresh = (i: number) => {
    const n = pods++;
    return { seq: n % seqs.length, at: 0, name: `w${i}-${n}`, uid: `0000beef-0000-4000-8000-${n.toString(16).padStart(12, '0')}` };
  };
  for (let i = 0; i < SLOTS; i++) slots.push(fresh(i));
  // a random start in each lifecycle, so the 5,000 pods do not all begin (and end) together
  for (const s of slots) s.at = (s.seq * 7919 + slots.indexOf(s) * 104729) % (seqs[s.seq].length - 1);
  for (;;) {
    for (let i = 0; i < SLOTS; i++) {
      const s = slots[i];
      const seq = seqs[s.seq];
      const u = seq[s.at++];
      // a shallow copy with its own metadata (pushWatch serialises it): a JSON copy of the whole
      // pod per update was the bench's own CPU, on the core beside the watch
      const obj = { ...u.object, metadata: { ...u.object.metadata, name: s.name, namespace: NS, uid: s.uid, resourceVersion: String(++rv) } };
      const last = s.at >= seq.length;
      yield { event: { type: u.type, object: obj }, pod: s.name, last };
      if (last) slots[i] = fresh(i);
    }
  }
}

function rssMB(pid: number, field = 'VmRSS'): number {
  const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

/**
 * RSS and its two parts: anonymous (the heaps: what the watch holds) and file-backed (pages of the
 * executable itself: the Node runtime's code and read-only data, shared and reclaimable; ~51 MB of
 * the single executable before the first update), with the file-backed part mapped as 2 MB pages
 * (FilePmdMapped: the executable's page cache held as 2 MB folios, run.mjs installLikeKrew).
 */
function rssParts(pid: number, updates: number): { updates: number; rssMB: number; anonMB: number; fileMB: number; filePmdMB: number } {
  const pmd = /FilePmdMapped:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return { updates, rssMB: rssMB(pid), anonMB: rssMB(pid, 'RssAnon'), fileMB: rssMB(pid, 'RssFile'), filePmdMB: pmd ? Number(pmd[1]) / 1024 : NaN };
}


interface Watcher {
  child: ChildProcess;
  /** Per line: the pod it names and its type, with the arrival time. */
  onLine: (f: (pod: string, type: string, t: number) => void) => void;
  stop(): Promise<void>;
}

async function startWatch(exe: string[], server: RunningApiServer): Promise<Watcher> {
  // text lines, as a user sees them (-o json leaves out the PodDeleted lines the flow control counts)
  const child = spawn(exe[0], [...exe.slice(1), 'watch', '-n', NS, '--color', 'never', '--kubeconfig', server.kubeconfigPath], { stdio: ['ignore', 'pipe', 'pipe'] });
  let handler: (pod: string, type: string, t: number) => void = () => {};
  let partial = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    const t = performance.now();
    partial += chunk;
    let nl: number;
    while ((nl = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, nl);
      partial = partial.slice(nl + 1);
      // TIME  NAMESPACE/POD  CONTAINER  TYPE  DETAIL
      const m = /^\S+\s+[^/\s]+\/(\S+)\s+\S+\s+(\S+)/.exec(line);
      if (m) handler(m[1], m[2], t);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  // wait until both of its watches are open
  const t0 = Date.now();
  while (server.openWatches('pods') < 1) {
    if (child.exitCode !== null) throw new Error(`watch exited ${child.exitCode}: ${stderr.slice(0, 300)}`);
    if (Date.now() - t0 > 15000) throw new Error(`watch did not open a pods watch in 15 s: ${stderr.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    child,
    onLine: (f) => (handler = f),
    stop: async () => {
      child.kill('SIGINT');
      await exited;
    },
  };
}

async function paced(exe: string[], server: RunningApiServer): Promise<number[]> {
  const w = await startWatch(exe, server);
  const pending = new Map<string, number>();
  const lat: number[] = [];
  w.onLine((pod, _type, t) => {
    const p = pending.get(pod);
    if (p !== undefined) {
      lat.push(t - p);
      pending.delete(pod);
    }
  });
  const gen = updates();
  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(PACED_UPDATES, Math.floor(((performance.now() - start) / 1000) * PACED_RATE));
      while (sent < due) {
        const u = gen.next().value!;
        pending.set(u.pod, performance.now());
        server.pushWatch('pods', [u.event]);
        sent++;
      }
      if (sent >= PACED_UPDATES) return resolve();
      setTimeout(tick, 1);
    };
    tick();
  });
  await new Promise((r) => setTimeout(r, 500));
  await w.stop();
  return lat;
}

async function fullSpeed(exe: string[], server: RunningApiServer, log: (s: string) => void): Promise<{ rate: number; afterWarmup: number; peakMB: number; rssAt: WatchFigures['rssAt'] }> {
  const w = await startWatch(exe, server);
  // updates pushed when each lifecycle's deletion was pushed: its PodDeleted line acknowledges them
  const closing = new Map<string, number>();
  let acked = 0;
  let wake: (() => void) | null = null;
  w.onLine((pod, type) => {
    if (type !== 'PodDeleted') return;
    const n = closing.get(pod);
    if (n === undefined) return;
    closing.delete(pod);
    acked = Math.max(acked, n);
    wake?.();
  });
  const gen = updates();
  const marks = [10_000, 50_000, FULL_UPDATES];
  const rssAt: WatchFigures['rssAt'] = [];
  let warm: { acked: number; at: number } | null = null;
  let sent = 0;
  const start = performance.now();
  while (acked < FULL_UPDATES) {
    // a pod's PodDeleted line comes after its whole lifecycle: SLOTS lifecycles may be in flight
    while (sent < FULL_UPDATES && sent - acked < WINDOW && server.watchBacklog('pods') < BACKLOG_BYTES) {
      const batch: PushedWatchEvent[] = [];
      while (batch.length < 100 && sent < FULL_UPDATES) {
        const u = gen.next().value!;
        batch.push(u.event);
        sent++;
        if (u.last) closing.set(u.pod, sent);
      }
      server.pushWatch('pods', batch);
      // let the server's socket write between batches: without it all 100,000 updates were made
      // and queued in one synchronous loop (WINDOW exceeds FULL_UPDATES) while the watch sat idle,
      // and that time counted against the watch's rate
      await new Promise<void>((r) => setImmediate(r));
    }
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, sent < FULL_UPDATES ? 2 : 50);
    });
    wake = null;
    if (!warm && acked >= 10_000) warm = { acked, at: performance.now() };
    while (marks.length && acked >= marks[0]) {
      const r = rssParts(w.child.pid!, marks.shift()!);
      rssAt.push(r);
      log(`  watch: ${r.updates} updates, RSS ${r.rssMB.toFixed(0)} MB (anonymous ${r.anonMB.toFixed(0)}, file ${r.fileMB.toFixed(0)}, of it in 2 MB pages ${r.filePmdMB.toFixed(0)}), ${Math.round((acked / (performance.now() - start)) * 1000)}/s`);
    }
    if (sent >= FULL_UPDATES && closing.size === 0) break;
    if (performance.now() - start > 240_000) throw new Error(`watch: only ${acked} of ${FULL_UPDATES} updates acknowledged in 240 s`);
  }
  const end = performance.now();
  const secs = (end - start) / 1000;
  const afterWarmup = warm && end > warm.at ? ((acked - warm.acked) / (end - warm.at)) * 1000 : NaN;
  if (rssAt.length < 3 || rssAt[rssAt.length - 1].updates < FULL_UPDATES) rssAt.push(rssParts(w.child.pid!, acked));
  const peakMB = rssMB(w.child.pid!, 'VmHWM');
  await w.stop();
  return { rate: acked / secs, afterWarmup, peakMB, rssAt };
}

/** exe: the command that runs kubectl-sidecars (the single executable, or node and the launcher). */
export async function benchWatch(exe: string[], log: (s: string) => void): Promise<WatchFigures | string> {
  log('watch: pushing recorded pod lifecycles into one namespace…');
  const server = await startApiServer({ scenarios: ['ordering'] });
  try {
    const lat = await paced(exe, server);
    log(`  watch at ${PACED_RATE}/s: ${lat.length} latencies, p50 ${percentile(lat, 50).toFixed(1)} ms, p99 ${percentile(lat, 99).toFixed(1)} ms`);
    const full = await fullSpeed(exe, server, log);
    const first = full.rssAt[0]?.rssMB ?? NaN;
    const lastRss = full.rssAt[full.rssAt.length - 1]?.rssMB ?? NaN;
    return { fullRate: full.rate, afterWarmup: full.afterWarmup, peakMB: full.peakMB, p50: percentile(lat, 50), p99: percentile(lat, 99), rssAt: full.rssAt, flat: lastRss <= first * 1.15 + 10 };
  } finally {
    await server.close();
  }
}
