// Words for the timeline (model/timeline.ts): each entry's `detail` and an estimate's `basis`, from
// the entry's facts. Here, not in the model, so the JSON, the text and the watch (which calls
// timelineDetail) say one thing, and a rule can change without touching its wording.
import type { EstimateFacts, TimelineEntry, TimelineFact } from '../../model/types.js';
import { probePhrase, repeats } from './events.js';

function exitPhrase(exitCode: number | null, reason: string | null, signal: number | null): string {
  const parts = [exitCode !== null ? `exit ${exitCode}` : 'exit ?'];
  if (reason) parts.push(reason);
  if (signal) parts.push(`signal ${signal}`);
  return parts.join(' ');
}

const GATE = { startupProbe: ['startup probe passed', 'startup probe'], postStart: ['postStart completed', 'postStart'] } as const;

/** The contract's `detail` of one timeline entry. */
export function timelineDetail(e: Pick<TimelineFact, 'type' | 'source' | 'facts'>): string {
  const f = e.facts;
  switch (f.kind) {
    case 'event':
      if (e.type === 'Scheduled') return f.message.replace(/^Successfully assigned /, 'assigned ');
      if (e.type === 'BackOff') return (f.restartBackOff ? 'back-off restarting failed container' : probePhrase(f.message)) + repeats(f);
      if (e.type === 'ProbeFailed') return probePhrase(f.message) + repeats(f);
      if (e.type === 'Started') return (f.count > 1 ? 'first start' : f.message) + repeats(f);
      return f.message + repeats(f);
    case 'condition':
      if (e.type === 'PodInitialized') return `Initialized=True${f.reason ? ` (${f.reason})` : ''}`;
      if (e.type === 'NotReady' && (f.reason === 'PodCompleted' || f.reason === 'PodFailed')) return `Ready=False ${f.reason}: the app containers finished`;
      if (e.type === 'NotReady') return `Ready=False${f.reason ? ` ${f.reason}` : ''}${f.message !== null ? `: ${f.message}` : ''}`;
      return `${f.condition}=${f.status}`;
    case 'phase':
      return `phase ${f.phase} (estimated: reported once the last container stopped, at its exit)`;
    case 'deletion':
      return e.source === 'event'
        ? `grace period ${f.gracePeriodSeconds}s (time of the first "Stopping container" of an app; deletionTimestamp was updated later)`
        : `grace period ${f.gracePeriodSeconds}s`;
    case 'start': {
      const own = f.instance === 'previous' ? 'previous instance' : f.restart > 0 ? `restart ${f.restart}` : '';
      return [own, ...(f.startedEvents ?? []).map((s) => `Started event${repeats(s)}`)].filter(Boolean).join('; ');
    }
    case 'exit':
      return `${f.instance === 'previous' ? 'previous instance: ' : ''}${exitPhrase(f.exitCode, f.reason, f.signal)}`;
    case 'startup':
      if (f.basis === 'ungated') return 'no startup probe or postStart: started as soon as it ran';
      if (f.basis === 'nextStarted') {
        return `${GATE[f.gate ?? 'postStart'][0]} by the time ${f.next} started (the status records no time for it)${f.lastFailure ? `; last startup probe failure at ${f.lastFailure}` : ''}`;
      }
      if (f.basis === 'lastFailure') return 'after the last startup probe failure (estimate: the status records no time for it)';
      return `${GATE[f.gate ?? 'postStart'][1]} passed; time not recorded, shown at the start`;
    case 'ready': {
      const after = f.after === 'start' ? 'once started' : 'after its startup probe passed (estimate)';
      if (f.basis === 'noProbe') return `no readiness probe: ready ${after}`;
      if (f.basis === 'afterFailure') return 'readiness probe passing after its last failure (estimate)';
      return `readiness probe passing; first success not recorded, shown ${f.after === 'start' ? 'at the start' : after}`;
    }
    case 'notReady':
      return f.message === null ? 'readiness probe not passing (no failure event available)' : `${probePhrase(f.message)}${f.failures > 1 ? ` (×${f.failures})` : ''}`;
  }
}

/** The contract's `estimate.basis`: what an estimated time was taken from. */
export function estimateBasis(f: EstimateFacts): string {
  switch (f.from) {
    case 'nextStart': return `${f.container}'s ${f.source === 'log' ? 'first log line' : `start (${f.source})`}`;
    case 'startupFailure': return 'its last startup probe failure (event)';
    case 'readinessFailure': return 'its last readiness probe failure (event)';
    case 'firstSuccessUnrecorded': return 'the first success is not recorded';
  }
}

/** One entry as the contract has it: `detail` and `estimate.basis` where they were, the facts after them. */
export function wordTimelineEntry(e: TimelineFact): TimelineEntry {
  const { time, container, type, source, facts, estimate, exitCode } = e;
  return {
    time, container, type, source, detail: timelineDetail(e),
    ...(estimate ? { estimate: { basis: estimateBasis(estimate) } } : {}), ...(exitCode !== undefined ? { exitCode } : {}),
    facts, ...(estimate ? { estimateFacts: estimate } : {}),
  };
}
