// `kubectl sidecars watch`: the current state of each matching pod, then one line per transition,
// until Ctrl-C (130), SIGTERM (143), --until CONDITION (0) or --timeout (3 with --until, else 0).
// options → sources/watch (list-watch engine) → model/transitions (pure: model/watch/store.ts keeps the
// evidence, model/watch/identity.ts tells new lines, as facts) → render/words/watch.ts → render/watch-lines.
import type { Ora } from 'ora';
import type { ConnectionOptions, TargetOptions } from '../options.js';
import { connect, type GatherDeps } from '../sources/gather.js';
import { EvidenceWatch, type WatchTiming, type WatchUpdate } from '../sources/watch.js';
import { WatchTracker, type WatchCondition, type WatchFact } from '../model/transitions.js';
import { wordVerdict } from '../render/words/verdict.js';
import { timedOutText, unreachableText, type JobWait } from '../render/words/watch.js';
import { WatchLineFormatter, type WatchOutput } from '../render/watch-lines.js';
import type { ServerVersion } from '../model/k8s.js';
import { describeWorkloads } from '../model/workloads.js';
import { parseTarget, watchTargets } from '../sources/selection.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import { collectGarbage, keepHeapNearLive } from './memory.js';
import { escapeTerminal } from '../render/sanitize.js';

/** Pods re-derived by the clock between two updates (~0.1-0.2 ms each). */
const TICK_SLICE = 50;
/** Pods re-derived by the clock per second, at most (~50 ms of CPU). */
const TICK_BUDGET = 250;

/** What the connection's requests resolve to when the watch stopped before they answered. */
const STOPPED = Symbol('stopped');

export const UNTIL: WatchCondition[] = ['initialized', 'ready', 'complete', 'deleted'];

export interface WatchOptions {
  connection: ConnectionOptions;
  targets: TargetOptions;
  chunkSize: number;
  output: WatchOutput;
  color: boolean;
  /** --utc: times in UTC instead of the local time zone. */
  utc?: boolean;
  /** Terminal width (lines wrap); Infinity or unset when piped: whole lines. */
  width?: number;
  until?: WatchCondition;
  /** --timeout in ms (0 or undefined: none). */
  timeoutMs?: number;
  /** Hidden --now: a fixed start; the model's clock then follows the evidence (replays, tests). */
  now?: string;
  timing?: Partial<WatchTiming>;
  /** How often time-driven blockers are re-evaluated on the wall clock. */
  tickMs?: number;
}

export function untilOption(v: string | undefined): WatchCondition | undefined {
  if (v === undefined) return undefined;
  if ((UNTIL as string[]).includes(v)) return v as WatchCondition;
  throw new UsageError(`invalid --until "${v}": use ${UNTIL.join(', ')}`);
}

export function watchOutput(o: string | undefined): WatchOutput {
  const v = o ?? 'text';
  if (v === 'text' || v === 'wide' || v === 'json') return v;
  throw new UsageError(`output format "${v}" is not available for watch: use text, wide or json (one object per line)`);
}

function waitText(cond: WatchCondition): string {
  return cond === 'complete' ? 'complete' : cond === 'deleted' ? 'deleted' : cond;
}

/** Runs the watch; resolves with the exit code. Errors (unreachable, forbidden, not found) throw. */
export async function runWatch(opts: WatchOptions, io: Io, deps: GatherDeps = {}): Promise<number> {
  if (opts.targets.files?.length) throw new UsageError('watch needs a cluster: -f/--filename works with describe only');
  keepHeapNearLive();
  const { config, api } = connect(opts.connection, { warn: io.err, ...deps });
  const versionP: Promise<ServerVersion | null> = api.getVersion().catch(() => null);
  const formatter = new WatchLineFormatter({ output: opts.output, color: opts.color, width: opts.width, utc: opts.utc, now: () => opts.now ?? io.now() });
  const controller = new AbortController();
  let spinner: Ora | null = null;
  const st = { exit: null as number | null };
  const timers: NodeJS.Timeout[] = [];
  const clock = () => opts.now ?? io.now();
  const finish = (code: number) => {
    if (st.exit === null) st.exit = code;
    controller.abort();
  };
  const onInt = () => finish(130);
  const onTerm = () => finish(143);
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  // The lines of the updates of one read are written at once: a write per update was a system
  // call per update at full speed (stdout is synchronous on pipes and files).
  let buffered = '';
  let stopped = false;
  const flush = () => {
    if (buffered === '') return;
    const text = buffered;
    buffered = '';
    io.out(text);
  };
  try {
    if (io.stderrIsTTY) {
      // imported here: ora and its chalk cost ~5 ms of every start, and only a terminal shows it
      const { default: ora } = await import('ora');
      spinner = ora({ text: 'connecting…', stream: process.stderr, isEnabled: true, discardStdin: false }).start();
    }
    // --timeout counts from the start: a server that takes the connection and never answers held
    // the watch past it (nothing bounds a request by default, as in kubectl: --request-timeout).
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timers.push(setTimeout(() => finish(opts.until ? 3 : 0), opts.timeoutMs));
    }
    const aborted = new Promise<typeof STOPPED>((resolve) => {
      if (controller.signal.aborted) resolve(STOPPED); // a signal during the spinner's import
      else controller.signal.addEventListener('abort', () => resolve(STOPPED), { once: true });
    });
    const connecting = <T>(p: Promise<T>): Promise<T | typeof STOPPED> => Promise.race([p, aborted]);
    const targets = await connecting(watchTargets(api, {
      names: opts.targets.names,
      namespace: config.namespace,
      allNamespaces: opts.targets.allNamespaces,
      selector: opts.targets.selector,
      fieldSelector: opts.targets.fieldSelector,
      chunkSize: opts.chunkSize,
    }));
    const version = targets === STOPPED ? STOPPED : await connecting(versionP);
    if (targets === STOPPED || version === STOPPED) {
      const code = st.exit ?? 0;
      if (code === 3 && opts.until) io.err(`timed out after ${formatMs(opts.timeoutMs ?? 0)} waiting for pods to be ${waitText(opts.until)}: the API server has not answered`);
      return code;
    }
    const { scope, filter } = targets;
    const tracker = new WatchTracker({ version, followEvidence: opts.now !== undefined, history: opts.output === 'json' });
    const print = (lines: WatchFact[]) => {
      if (lines.length === 0 || st.exit !== null) return;
      if (spinner) {
        spinner.stop();
        spinner = null;
      }
      if (buffered === '') setImmediate(flush);
      buffered += formatter.format(lines);
    };
    // --until complete: a pod that ended Failed did not complete (exit 2). A Job's outcome is on the
    // Job: with job/NAME targets, once every pod so far has ended, the Job says whether a retry
    // comes (keep watching), it completed (0) or it failed (2, with its reason).
    const jobs = opts.until === 'complete' ? opts.targets.names.map(parseTarget).filter((t) => t.kind === 'job') : [];
    const namedPods = new Set(opts.targets.names.map(parseTarget).filter((t) => t.kind === 'pod').map((t) => t.name));
    let askingJobs = false;
    // what each Job said last (or why it could not be read): the timeout names it
    let jobsSaid: JobWait[] = [];
    const askJobs = () => {
      if (askingJobs || st.exit !== null) return;
      askingJobs = true;
      Promise.all(jobs.map((j) => api.getWorkload('jobs', config.namespace, j.name))).then((ws) => {
        askingJobs = false;
        const outcomes = describeWorkloads(ws.map((w) => ({ workload: { ...w, kind: 'Job' }, pods: [] })));
        jobsSaid = outcomes.map((o) => ({ name: o.name, state: o.state, reason: o.reason ?? null, error: null }));
        const failed = outcomes.filter((o) => o.state === 'Failed');
        if (failed.length) {
          io.err(failed.map((o) => `job/${o.name} failed: ${o.reason ?? 'Failed'}${o.message ? ` (${o.message})` : ''}`).join('\n'));
          finish(2);
        } else if (outcomes.every((o) => o.state === 'Complete')) finish(0);
        else timers.push(setTimeout(check, 1000)); // a retry pod is on its way, or the controller lags
      }, (e: unknown) => {
        askingJobs = false;
        const error = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        jobsSaid = jobs.map((j) => ({ name: j.name, state: null, reason: null, error }));
        timers.push(setTimeout(check, 1000));
      });
    };
    const check = () => {
      if (!opts.until || st.exit !== null) return;
      const p = tracker.progress(opts.until);
      // A pod that can no longer reach the state fails the wait now, not at the timeout: one that
      // ended, or a pod named on the command line that is deleted (a selected one is replaced by its
      // controller; a Job's retries are its own: with job/NAME the Job decides).
      const lost = jobs.length ? [] : p.unreachable.filter((u) => u.why === 'failed' || u.why === 'succeeded' || namedPods.has(u.pod));
      if (lost.length) {
        io.err(lost.map((u) => escapeTerminal(unreachableText(u, waitText(opts.until!)))).join('\n'));
        return finish(2);
      }
      if (!p.done) return;
      if (jobs.length) return askJobs();
      if (opts.until === 'complete' && p.failed.length) {
        io.err(p.failed.map((f) => `${f.namespace}/${f.pod} failed: ${wordVerdict(f.verdict).summary}`).join('\n'));
        return finish(2);
      }
      finish(0);
    };
    const sink = (u: WatchUpdate) => {
      if (st.exit !== null) return;
      const now = clock();
      switch (u.kind) {
        case 'synced': {
          print(tracker.seed(u.pods, u.events, now));
          if (u.pods.length === 0) {
            const where = scope.namespace === undefined ? 'in any namespace' : `in namespace "${scope.namespace}"`;
            if (spinner) spinner.text = `no matching pods ${where} yet: waiting…`;
            else io.err(`note: no matching pods ${where} yet: waiting for them`);
          } else if (spinner) {
            spinner.text = 'waiting for changes…';
          }
          break;
        }
        case 'pod':
          print(u.change === 'deleted' ? tracker.deleted(u.pod, now) : tracker.pod(u.pod, now, u.text));
          break;
        case 'event':
          print(tracker.event(u.event, now));
          break;
        case 'eventsUnavailable':
          tracker.setEventsState(u.reason);
          io.err(`note: ${u.message}`);
          break;
        case 'notice':
          if (spinner) spinner.text = escapeTerminal(u.message);
          else io.err(`note: ${u.message}`);
          break;
      }
      check();
    };
    // Time-driven blockers (overdue termination, a long-running init step) need a clock tick. Each
    // pod is re-derived when its last derivation is a tick old, a few pods at a time between the
    // updates, and at most TICK_BUDGET a second: re-deriving thousands of pods at once held the
    // event loop for seconds, and every 5 s doubled the work of a 1,000 updates/s watch (the p99
    // and p50 of update-to-line in scripts/bench/watch.ts). With more unsettled pods than that,
    // each is re-judged less often (5,000 pods: every 20 s).
    if (opts.now === undefined) {
      const every = opts.tickMs ?? 5000;
      const interval = Math.min(every, 1000);
      let ticks = 0;
      let budget = 0;
      let slicing = false;
      const slice = () => {
        slicing = false;
        if (st.exit !== null || stopped || budget <= 0) return;
        const n = Math.min(TICK_SLICE, budget);
        budget -= n;
        print(tracker.tick(clock(), { minAgeMs: every, limit: n }));
        if (tracker.tickUnfinished && budget > 0) {
          slicing = true;
          setImmediate(slice);
        }
      };
      const tick = setInterval(() => {
        budget = Math.max(1, Math.round((TICK_BUDGET * interval) / 1000));
        if (!slicing) slice();
        check();
        if (++ticks % 5 === 0) collectGarbage(64); // RSS stays flat over 100,000 updates (memory.ts)
      }, interval);
      timers.push(tick);
    }
    const engine = new EvidenceWatch(api, scope, filter, sink, opts.timing);
    await engine.run(controller.signal);
    flush();
    const code = st.exit ?? 0;
    if (code === 3 && opts.until) {
      // What `kubectl wait` cannot tell: what still blocks each pod.
      const p = tracker.progress(opts.until);
      if (spinner) {
        spinner.stop();
        spinner = null;
      }
      io.out(formatter.format(tracker.blockersNow(opts.until, clock())));
      io.err(escapeTerminal(timedOutText(formatMs(opts.timeoutMs ?? 0), waitText(opts.until), p, jobsSaid)));
    }
    return code;
  } finally {
    stopped = true;
    flush();
    for (const t of timers) clearTimeout(t);
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    spinner?.stop();
    controller.abort();
    api.http.close();
  }
}

function formatMs(ms: number): string {
  if (ms % 60000 === 0 && ms >= 60000) return `${ms / 60000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
