// Advice sentences: the facts of model/advice.ts (model/findings.ts AdviceFacts) in the words of
// the contract's `message`: what was seen on this pod, then what to change.
import type { AdviceFacts, AdviceFinding } from '../../model/findings.js';
import type { Advice } from '../../model/types.js';
import { nativeSidecarSwitch } from './legacy.js';
import { joinNames, humanDuration } from '../format.js';
import { failuresText, howOften, legacyText } from './evidence.js';

type Facts<K extends AdviceFacts['kind']> = Extract<AdviceFacts, { kind: K }>;

/** The advice with its sentence (the contract's shape: code, container, message, then facts). */
export function wordAdvice(a: AdviceFinding): Advice {
  return { code: a.code, container: a.container, message: adviceMessage(a), facts: a.facts };
}

/** One advice's sentence: what was seen on this pod, then what to change. */
export function adviceMessage({ container, facts: f }: AdviceFinding): string {
  const c = container ?? '?';
  switch (f.kind) {
    case 'nativeSidecarsUnsupported': {
      const names = joinNames(f.sidecars);
      return f.minor < 28
        ? `the API server is ${f.server}, older than 1.28: it does not know restartPolicy: Always on init containers, so ${names} would run as regular init containers that never exit and block initialization forever; upgrade to 1.29+ or run ${f.sidecars.length === 1 ? 'it' : 'them'} as plain containers`
        : `the API server is ${f.server}: native sidecars there are alpha (feature gate SidecarContainers, off by default) and stopped without ordering, so ${names} may stop before or with the app containers at shutdown; upgrade to 1.29+ for ordered termination`;
    }
    case 'legacySidecar': return legacySidecar(c, f);
    case 'sidecarWithoutRequests': {
      const shown = f.peers.map((p) => `${p.name} requests ${p.requests.map(([k, v]) => `${v} ${k}`).join(', ')}`);
      return `${c} requests no cpu or memory although it runs for the pod's whole life, while ${joinNames(shown)}: the scheduler reserves nothing for it and it is first in line for eviction pressure; set resources.requests (and limits) on it`;
    }
    case 'slowStartup': return slowStartup(c, f);
    case 'readinessGatesPod': {
      const evidence = f.failures ? `its ${failuresText(f.failures, 'failed')}` : 'it is running but not ready';
      const n = f.readyApps.length;
      const despite = n ? `, even while ${joinNames(f.readyApps)} ${n === 1 ? 'is' : 'are'} ready` : '';
      return `${evidence}, and a sidecar's readiness counts for the whole pod: each failure takes the pod out of every Service's endpoints${despite}; keep the readinessProbe only if traffic must stop when ${c} is unhealthy, and use a startupProbe for start ordering`;
    }
    case 'graceKilled': return graceKilled(c, f);
    case 'graceNearlyUsed':
      return `shutdown took ${humanDuration(f.tookSeconds)} of the shared ${f.gracePeriodSeconds}s grace period (${f.lastStopped} stopped last, at ${f.at}): one slower stop and the remaining sidecars get SIGKILL; raise terminationGracePeriodSeconds or make the containers stop faster`;
    case 'preStopTooLong':
      return `the preStop hook of ${c} sleeps ${f.sleepSeconds}s but the whole pod has only terminationGracePeriodSeconds ${f.gracePeriodSeconds}${f.sidecars.length ? `, leaving the sidecars ${joinNames(f.sidecars)} no time to stop in order` : ''}: raise terminationGracePeriodSeconds above ${Math.ceil(f.sleepSeconds) + 5}s or shorten the hook`;
    case 'shutdownNeedsMemory': {
      const limit = f.memoryLimit.value ? `raise its memory limit (${f.memoryLimit.value}${f.memoryLimit.from === 'pod' ? ', the pod-level limit' : ''}) to cover` : 'give it a memory request and limit that cover';
      return `${c} ran out of memory while the pod shut down: its shutdown path (buffers flushed, connections drained, data uploaded on SIGTERM) needs memory too; ${limit} what it uses while it stops, not only while it runs, or make it flush in smaller pieces`;
    }
  }
}

function legacySidecar(c: string, f: Facts<'legacySidecar'>): string {
  const evidence = [legacyText(f.legacy)];
  if (f.postStart) evidence.push('its postStart hook holds the next containers back (the pre-1.28 ordering trick)');
  if (f.holdsCompletion) evidence.push(`it keeps this restartPolicy ${f.holdsCompletion} pod from completing`);
  const place = [
    f.setupSteps.length ? `after ${joinNames(f.setupSteps)} (which ${f.setupSteps.length === 1 ? 'prepares' : 'prepare'} its network)` : '',
    f.otherInits.length ? `before any of ${joinNames(f.otherInits)} that needs it` : '',
  ].filter(Boolean);
  const before = place.length ? `, placed ${place.join(' and ')}` : '';
  const sw = f.product ? nativeSidecarSwitch(f.product) : null;
  return `${c} is a sidecar run the pre-1.28 way as a plain container (${evidence.join('; ')}): move ${c} into initContainers${before}, add restartPolicy: Always, and replace sleep loops or postStart waits with a startupProbe${sw ? `; ${sw}` : ''}`;
}

function slowStartup(c: string, f: Facts<'slowStartup'>): string {
  const names = joinNames(f.next);
  const gate = f.gate.startupProbe && f.gate.postStart ? 'its startup probe and postStart hook' : f.gate.startupProbe ? 'its startup probe' : 'its postStart hook';
  let fix: string;
  if ('hook' in f.fix) fix = 'keep its postStart hook short, or gate on a startupProbe instead';
  else {
    const p = f.fix.probe;
    const knobs: string[] = [];
    if (p.faster) knobs.push(`probe more often (periodSeconds ${p.periodSeconds})`);
    if (p.earlier) knobs.push(`lower initialDelaySeconds (${p.initialDelaySeconds})`);
    fix = knobs.length ? `start it faster or ${knobs.join(' and ')}` : `start it faster (its startup probe already runs every ${p.periodSeconds}s with no initial delay: the wait is its own start time)`;
  }
  if (f.ongoing) {
    const fails = f.startupFailures ? `, which has failed ${howOften(f.startupFailures)}` : '';
    return `${names} ${f.next.length === 1 ? 'has' : 'have'} waited ${humanDuration(f.waitedSeconds)} so far for ${c}, held back by ${gate}${fails}: ${fix}`;
  }
  const wait = f.precise && f.waitedSeconds < 60 ? `${f.waitedSeconds.toFixed(1)}s` : humanDuration(f.waitedSeconds);
  const fails = f.startupFailures ? `, which failed ${howOften(f.startupFailures)} before passing` : '';
  return `${names} started ${wait} after ${c}, held back by ${gate}${fails}; every later container waits for it on each pod start: ${fix}`;
}

function graceKilled(c: string, f: Facts<'graceKilled'>): string {
  const when = f.tookSeconds !== null
    ? `${humanDuration(f.tookSeconds)} after shutdown began at ${f.shutdownStartedAt}${f.fromStatus ? ' (when the app containers finished, from the status: an estimate to the second)' : ''}`
    : 'at the end of shutdown';
  const role = f.sidecar ? `, and as a sidecar it only got ${f.signal} after the app containers exited, from the same budget` : '';
  return `${c} was killed with SIGKILL (exit code 137) at ${f.finishedAt ?? '?'}, ${when}, when the shared ${f.gracePeriodSeconds}s grace period ran out${role}: ${killRemedy(f)}`;
}

/**
 * What to change for a container SIGKILLed at the grace deadline. One that logged nothing after the
 * signal most likely ignores it, and more grace cannot help; one still logging needed more time.
 */
function killRemedy(f: Facts<'graceKilled'>): string {
  const sig = f.signal;
  const unsent = f.configuredStopSignal ? ` (its configured stopSignal ${f.configuredStopSignal} is not reported by the runtime, so ${sig} was sent)` : '';
  if (f.quietAfter === true) {
    return `it logged nothing after shutdown began (last log line at ${f.lastLogAt}), so it most likely ignores ${sig}${unsent} and more grace would not help: make it exit on ${sig} (a PID-1 process without a handler ignores it)`;
  }
  if (f.quietAfter === false) {
    return `it was still logging after shutdown began (last log line at ${f.lastLogAt}): make it stop faster after ${sig}${unsent} or raise terminationGracePeriodSeconds`;
  }
  return `make it exit on ${sig}${unsent} (a PID-1 process without a handler ignores it; then more grace would not help), or, if it only needs longer to drain, raise terminationGracePeriodSeconds`;
}
