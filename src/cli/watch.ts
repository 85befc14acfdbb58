// `kubectl sidecars watch`: the current state of each matching pod, then one line per transition,
// until Ctrl-C (130), SIGTERM (143), --until CONDITION (0) or --timeout (3 with --until, else 0).
// options → sources/watch (list-watch engine) → model/transitions (pure: model/watch/store.ts keeps the
// evidence, model/watch/identity.ts tells new lines, as facts) → render/words/watch.ts → render/watch-lines.
import type { ConnectionOptions, TargetOptions } from '../options.js';
import { connect, type GatherDeps } from '../sources/gather.js';
import { EvidenceWatch, type WatchTiming, type WatchUpdate } from '../sources/watch.js';
import { WatchTracker, type WatchCondition, type WatchFact } from '../model/transitions.js';
import { wordVerdict } from '../render/words/verdict.js';
import { timedOutText, unreachableText, type JobWait } from '../render/words/watch.js';
import { escapeTerminal } from '../render/sanitize.js';
import { WatchLineFormatter, type WatchOutput } from '../render/watch-lines.js';
import type { ServerVersion } from '../model/k8s.js';
import { describeWorkloads } from '../model/workloads.js';
import { parseTarget, watchTargets } from '../sources/selection.js';
import { UsageError } from './errors.js';
import type { Io } from './io.js';
import { keepHeapNearLive } from './memory.js';
import { startTicker } from './watch-ticker.js';
import { preciseKey } from '../model/time.js';
import { StatusLine } from './status-line.js';
import { OrderedOutput, readLastWords } from './watch-output.js';
import { WatchLogs } from './watch-logs.js';
import { LastWordsReader } from '../sources/last-words.js';
import type { Pod } from '../model/k8s.js';
import { watchStatusText, type WatchStatus } from '../render/words/watch-status.js';

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
  /** stdout is a terminal: the screen's layout (render/watch-terminal.ts) instead of whole lines. */
  terminal?: boolean;
  until?: WatchCondition;
  /** --timeout in ms (0 or undefined: none). */
  timeoutMs?: number;
  /** Hidden --now: a fixed start; the model's clock then follows the evidence (replays, tests). */
  now?: string;
  timing?: Partial<WatchTiming>;
  /** --logs: follow the containers' logs in the same stream (cli/watch-logs.ts); --max-log-requests. */
  logs?: { maxStreams: number };
  /** How often time-driven blockers are re-evaluated on the wall clock. */
  tickMs?: number;
}

export function untilOption(v: string | undefined): WatchCondition | undefined {
  if (v === undefined) return undefined;
  if ((UNTIL as string[]).includes(v)) return v as WatchCondition;
  throw new UsageError(`invalid --until "${v}": use ${UNTIL.join(', ')}`);
}

/** --max-log-requests: a whole number from 1. */
export function maxLogRequests(v: unknown): number {
  const n = Number(v ?? 5);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid --max-log-requests "${String(v)}": use a whole number from 1`);
  return n;
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
  const formatter = new WatchLineFormatter({
    output: opts.output, color: opts.color, width: opts.width, utc: opts.utc, now: () => opts.now ?? io.now(),
    terminal: opts.terminal && opts.width !== undefined ? { width: opts.width, ...screenNames(opts.targets, config.namespace) } : undefined,
  });
  const controller = new AbortController();
  const status = new StatusLine(io, !!opts.terminal && io.stderrIsTTY);
  // what the status line says (status-line.ts): the phase, and when the API server last answered
  const phase: WatchStatus = { phase: 'connect', since: Date.now(), lastUpdate: 0, notice: null as string | null };
  const where = opts.targets.allNamespaces ? 'all namespaces' : config.namespace;
  let counts = () => ({ pods: 0, blocked: 0 });
  const showStatus = () => {
    if (status.active) status.set(watchStatusText(phase, counts(), where, config.server, Date.now()));
  };
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
    status.out(text);
  };
  // a failed instance's line waits (HOLD_MS at most) for its last words, and the lines after it too
  const output = new OrderedOutput((facts) => {
    if (buffered === '') setImmediate(flush);
    buffered += formatter.format(facts);
  });
  const lastWords = new LastWordsReader(api, (m) => status.err(`note: the last log lines of failed containers are not read: ${m}`));
  try {
    await status.start(`connecting to ${config.server}…`);
    if (status.active) timers.push(setInterval(showStatus, 1000));
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
    const logs = opts.logs ? new WatchLogs({
      api, maxStreams: opts.logs.maxStreams, signal: controller.signal, clock,
      emit: (facts, wait) => output.push(facts, wait),
      note: (text) => status.err(`note: ${text}`),
    }) : null;
    phase.phase = 'list';
    phase.since = Date.now();
    showStatus();
    const tracker = new WatchTracker({ version, followEvidence: opts.now !== undefined, history: opts.output === 'json' });
    counts = () => tracker.counts();
    /** `pods`: the objects the facts were derived from (their last words are read: watch-output.ts). */
    const print = (lines: WatchFact[], pods?: Pod[]) => {
      if (lines.length === 0 || st.exit !== null) return;
      const podOf = (f: WatchFact) => pods?.find((p) => p?.metadata?.name === f.pod && p.metadata?.namespace === f.namespace);
      const wait = pods ? readLastWords(lines, podOf, lastWords) : null;
      // with --logs, in the time-order window with the log lines (watch-logs.ts)
      if (logs) logs.lifecycle(lines, wait);
      else output.push(lines, wait);
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
          status.err(failed.map((o) => `job/${o.name} failed: ${o.reason ?? 'Failed'}${o.message ? ` (${o.message})` : ''}`).join('\n'));
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
        status.err(p.failed.map((f) => `${f.namespace}/${f.pod} failed: ${wordVerdict(f.verdict).summary}`).join('\n'));
        return finish(2);
      }
      finish(0);
    };
    const sink = (u: WatchUpdate) => {
      if (st.exit !== null) return;
      const now = clock();
      if (u.kind !== 'notice') {
        phase.lastUpdate = Date.now();
        phase.notice = null;
      }
      switch (u.kind) {
        case 'synced': {
          const seeded = tracker.seed(u.pods, u.events, now);
          // the initial state in time order on a screen or a pipe (the JSON history keeps the model's order)
          print(opts.output === 'json' ? seeded : inTimeOrder(seeded), u.pods);
          for (const p of u.pods) logs?.pod(p);
          if (phase.phase === 'list') phase.since = Date.now();
          phase.phase = 'watch';
          if (u.pods.length === 0 && !status.active) {
            const where = scope.namespace === undefined ? 'in any namespace' : `in namespace "${scope.namespace}"`;
            io.err(`note: no matching pods ${where} yet: waiting for them`);
          }
          showStatus();
          break;
        }
        case 'pod':
          print(u.change === 'deleted' ? tracker.deleted(u.pod, now) : tracker.pod(u.pod, now, u.text), [u.pod]);
          if (u.change === 'deleted') logs?.deleted(u.pod);
          else logs?.pod(u.pod);
          break;
        case 'event':
          print(tracker.event(u.event, now));
          break;
        case 'eventsUnavailable':
          tracker.setEventsState(u.reason);
          status.err(`note: ${u.message}`);
          break;
        case 'notice':
          if (status.active) {
            phase.notice = u.message;
            showStatus();
          } else io.err(`note: ${u.message}`);
          break;
      }
      check();
    };
    if (opts.now === undefined) {
      timers.push(startTicker(tracker, { everyMs: opts.tickMs ?? 5000, clock, print, check, live: () => st.exit === null && !stopped }));
    }
    const engine = new EvidenceWatch(api, scope, filter, sink, opts.timing);
    await engine.run(controller.signal);
    logs?.flushAll();
    output.flushAll();
    flush();
    const code = st.exit ?? 0;
    if (code === 3 && opts.until) {
      // What `kubectl wait` cannot tell: what still blocks each pod.
      const p = tracker.progress(opts.until);
      status.stop();
      io.out(formatter.format(tracker.blockersNow(opts.until, clock())));
      io.err(escapeTerminal(timedOutText(formatMs(opts.timeoutMs ?? 0), waitText(opts.until), p,
        // a Job asked but not answered yet (its GET still retrying) is named too, never left out
        jobsSaid.length ? jobsSaid : jobs.map((j) => ({ name: j.name, state: null, reason: null, error: null })))));
    }
    return code;
  } finally {
    stopped = true;
    output.flushAll();
    flush();
    for (const t of timers) clearTimeout(t);
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    status.stop();
    controller.abort();
    api.http.close();
  }
}

/** Stable: facts of one moment keep the model's order (the pod's state before its containers'). */
function inTimeOrder(facts: WatchFact[]): WatchFact[] {
  return facts.map((f, i) => ({ f, i, k: preciseKey(f.time) })).sort((a, b) => a.k - b.k || a.i - b.i).map((x) => x.f);
}

/** What the screen need not repeat on every line: the one namespace, the one pod. */
function screenNames(t: TargetOptions, namespace: string): { namespace?: string; pod?: { namespace: string; name: string } } {
  if (t.allNamespaces) return {};
  const single = t.names.length === 1 && !t.selector && !t.fieldSelector ? parseTarget(t.names[0]) : null;
  return { namespace, ...(single?.kind === 'pod' ? { pod: { namespace, name: single.name } } : {}) };
}

function formatMs(ms: number): string {
  if (ms % 60000 === 0 && ms >= 60000) return `${ms / 60000}m`;
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
