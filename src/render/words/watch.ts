// The words of watch lines: the model's facts (src/model/watch/facts.ts) → the contract's line
// {time, namespace, pod, container, type, detail, source} with its extras, in the key order the
// JSON lines keep (docs/output-contract.md). Timeline marks, blockers and the termination order are
// worded as describe words them (timeline.ts, blockers.ts, termination.ts), and only when printed:
// the model never words a lifecycle for the watch. The sentences of the watch itself are made here.
import { disruptedBy } from './evidence.js';
import type { WatchFact, WatchHead } from '../../model/watch/facts.js';
import { probePhrase } from './events.js';
import { blockerMessage } from './blockers.js';
import { wordTermination } from './termination.js';
import { wordTimelineEntry } from './timeline.js';
import { BACKOFF_RESTART } from '../../model/facts.js';
import type { BlockerCode, Termination, TimelineSource } from '../../model/types.js';
import type { VerdictFinding } from '../../model/findings.js';
import { verdictSummary } from './verdict.js';

/** One printed line: the contract's {time, namespace, pod, container, type, detail, source} plus extras. */
export interface WatchLine extends WatchHead {
  detail: string;
  source: TimelineSource | 'watch';
  /** The time is inferred (TimelineEntry.estimate). */
  estimate?: { basis: string };
  // Blocker lines
  code?: BlockerCode;
  since?: string | null;
  message?: string;
  cleared?: boolean;
  // State lines (the compact current state printed first)
  state?: string;
  ready?: boolean | string | null;
  restarts?: number;
  // Termination lines
  trigger?: Termination['trigger'];
  order?: string[];
  ordered?: boolean;
  violations?: Termination['violations'];
  killed?: string[];
}

export function wordWatch(facts: WatchFact[]): WatchLine[] {
  return facts.map(wordFact);
}

export function wordFact(f: WatchFact): WatchLine {
  const { time, namespace, pod, container, type } = f;
  // optional keys set in place, in the same order, rather than spread: a line per fact, thousands a second
  switch (f.fact) {
    case 'mark': {
      const e = wordTimelineEntry(f.entry);
      const l: WatchLine = { time, namespace, pod, container, type, detail: e.detail, source: e.source };
      if (f.kind) l.kind = f.kind;
      if (e.estimate) l.estimate = e.estimate;
      return l;
    }
    case 'occurrence': {
      const l: WatchLine = { time, namespace, pod, container, type, detail: `${occurrence(f.type, f.message)}${f.count > 1 ? ` (×${f.count})` : ''}`, source: 'event' };
      if (f.kind) l.kind = f.kind;
      return l;
    }
    case 'blocker': {
      const b = f.blocker;
      const message = blockerMessage(b);
      const l: WatchLine = {
        time, namespace, pod, container, type, detail: f.cleared ? `${b.code} cleared` : `${b.code}: ${message}`, source: 'watch',
        code: b.code, since: b.since, message,
      };
      if (f.cleared) l.cleared = true;
      return l;
    }
    case 'termination': {
      const term = wordTermination(f.termination);
      return {
        time, namespace, pod, container, type, detail: termination(term), source: 'status',
        trigger: term.trigger, order: term.order, ordered: term.ordered, violations: term.violations, killed: term.killed,
      };
    }
    case 'deleted':
      return { time, namespace, pod, container, type, detail: 'the pod object was removed', source: 'watch' };
    case 'podState': {
      const p = f.state;
      return {
        time, namespace, pod, container, type, detail: `${p.status}, READY ${p.ready}, RESTARTS ${p.restarts}${p.deletionTimestamp && p.status !== 'Terminating' ? ', terminating' : ''}`,
        source: 'status', state: p.phase, ready: p.ready, restarts: p.restarts,
      };
    }
    case 'containerState': {
      const c = f.state;
      const parts: string[] = [c.state + (c.reason ? ` (${c.reason}${c.exitCode !== null && c.state === 'terminated' ? `, exit ${c.exitCode}` : ''})` : '')];
      if (c.kind === 'sidecar' && c.started !== null) parts.push(c.started ? 'started' : 'not started');
      if (c.ready !== null && c.kind !== 'init') parts.push(c.ready ? 'ready' : 'not ready');
      if (c.restartCount) parts.push(`${c.restartCount} restart${c.restartCount > 1 ? 's' : ''}`);
      if (f.ahead) parts.push(`events already say ${f.ahead.type} at ${f.ahead.time.slice(11, 19)}Z`);
      return { time, namespace, pod, container, type, detail: parts.join(', '), source: 'status', kind: c.kind, state: c.state, ready: c.ready, restarts: c.restartCount };
    }
  }
}

/** An event occurrence: the kubelet's message, a probe's output quoted as the timeline quotes it. */
function occurrence(type: string, message: string): string {
  if (type === 'ProbeFailed' || (type === 'BackOff' && !BACKOFF_RESTART.test(message))) return probePhrase(message);
  return type === 'BackOff' ? 'back-off restarting failed container' : message;
}

function termination(term: Termination): string {
  const order = term.order.length ? term.order.join(' → ') : 'no container ran';
  const how = term.serverPromise === 'unordered' ? 'the server (<1.29) does not order termination'
    : term.ordered ? 'apps first, sidecars in reverse order' : `out of order: ${term.violations.map((v) => v.message).join('; ')}`;
  const killed = term.killed.length ? `; SIGKILLed at the end of the grace period: ${term.killed.join(', ')}` : '';
  const running = term.running?.length ? `; still running when removed: ${term.running.join(', ')}` : '';
  const what = term.trigger !== 'deletion' ? 'completed' : term.disruption ? disruptedBy(term.disruption) : 'deleted';
  return `${what}: ${order} (${how})${killed}${running}`;
}

/** Why a pod can no longer reach what `watch --until` waits for (exit 2 at once). */
export function unreachableText(u: { namespace: string; pod: string; why: 'failed' | 'succeeded' | 'deleted' | 'deleting'; verdict: VerdictFinding | null }, waitFor: string): string {
  const why = u.why === 'failed' ? `it failed${u.verdict ? ` (${verdictSummary(u.verdict.facts)})` : ''}`
    : u.why === 'succeeded' ? 'it succeeded: its containers ended and will not run again'
    : u.why === 'deleted' ? 'it was deleted' : 'it is being deleted';
  return `${u.namespace}/${u.pod} can no longer be ${waitFor}: ${why}`;
}

/** What a Job waited on by `watch --until complete` last said (or why it could not be read). */
export interface JobWait { name: string; state: string | null; reason: string | null; error: string | null }

/**
 * The timeout's one line: the pods still waited on with their blockers; or, when every pod seen has
 * ended, those pods and what their Jobs say; or that no pod appeared at all.
 */
export function timedOutText(after: string, waitFor: string, p: {
  pending: { namespace: string; pod: string; status: string; blockers: { code: string; container: string | null }[] }[];
  ended: { namespace: string; pod: string; status: string }[];
}, jobs: JobWait[]): string {
  const head = `timed out after ${after} waiting for pods to be ${waitFor}: `;
  if (p.pending.length) {
    return head + p.pending.map((x) => `${x.namespace}/${x.pod} (${x.status}${x.blockers.length ? `; ${x.blockers.map((b) => `${b.code}${b.container ? ` ${b.container}` : ''}`).join(', ')}` : '; no blocker detected'})`).join(', ');
  }
  if (!p.ended.length) return `${head}no matching pod appeared`;
  const pods = p.ended.map((x) => `${x.namespace}/${x.pod} ${x.status}`).join(', ');
  const jobText = jobs.map((j) => (j.error ? `job/${j.name} could not be read (${j.error})`
    : j.state ? `job/${j.name} is ${j.state}${j.reason ? ` (${j.reason})` : ''}, with no Complete or Failed condition yet` : `job/${j.name} has not been read yet`));
  return `${head}every matching pod so far has ended (${pods})${jobText.length ? `, but ${jobText.join(', ')}` : ''}`;
}
