// Advice: what to change in the spec so sidecars behave, each backed by one sentence of evidence
// from this pod (its spec, statuses, events, logs, the server version). Never a blocker: a pod can be
// healthy and still deserve advice.
import type { PodAnalysis } from './analysis.js';
import type { ClassifiedContainer } from './classify.js';
import type { Container, LifecycleHandler } from './k8s.js';
import type { Advice, AdviceCode } from './types.js';
import { describeFailures, eventsOf, earliest, howOften, joinNames, probeFailures } from './blockers.js';
import { containerResources, formatMap } from './resources.js';
import { isKnownInitStep, looksLikeSidecar } from './legacy.js';
// Until the advice wording moves to render/words (issue 14, engineer A): the legacy words live there.
import { legacySidecarReason, nativeSidecarSwitch } from '../render/words/legacy.js';
import { ms, secondsBetween, shortDuration, addSeconds } from './time.js';
import { lastLineTime } from './logs.js';
import { serverVersion, WARMUP_SECONDS } from './facts.js';

/** A sidecar that holds later containers this long is worth speeding up. */
export const SLOW_STARTUP_SECONDS = 5;

type Push = (code: AdviceCode, c: ClassifiedContainer | null, message: string) => void;

// ---------------------------------------------------------------- when did a container first start

interface StartTime {
  time: string;
  /** Refined by a log timestamp (sub-second). */
  precise: boolean;
}

function firstLogTime(a: PodAnalysis, c: ClassifiedContainer): string | null {
  const s = a.logs?.[c.name]?.current;
  if (!s || s.error) return null;
  const times = [...(Array.isArray(s.head) ? s.head : []), ...(Array.isArray(s.tail) ? s.tail : [])].map((l) => l?.time).filter((t): t is string => typeof t === 'string' && ms(t) !== null);
  times.sort((x, y) => ms(x)! - ms(y)!);
  return times[0] ?? null;
}

/** First start of the container: Started event (dedup keeps the first time) or status, refined by its first log line. */
function firstStart(a: PodAnalysis, c: ClassifiedContainer): StartTime | null {
  const s = c.status;
  const started = eventsOf(a.events, c.name, 'Started').map((e) => e.firstTime);
  const fromStatus = (s?.restartCount ?? 0) === 0 ? s?.state?.running?.startedAt ?? s?.state?.terminated?.startedAt : null;
  const t = earliest(...started, fromStatus);
  if (!t) return null;
  // Only the first instance's log refines the first start, and only within the same second.
  const log = (s?.restartCount ?? 0) === 0 ? firstLogTime(a, c) : null;
  if (log && Math.floor(ms(log)! / 1000) === Math.floor(ms(t)! / 1000)) return { time: log, precise: true };
  return { time: t, precise: false };
}

function seconds(from: StartTime, to: StartTime): { value: number; text: string } | null {
  const v = secondsBetween(from.time, to.time);
  if (v === null) return null;
  return { value: v, text: from.precise && to.precise && v < 60 ? `${v.toFixed(1)}s` : shortDuration(v) };
}

// ---------------------------------------------------------------- rules

function sidecarWithoutRequests(a: PodAnalysis, push: Push): void {
  const res = containerResources(a.pod);
  const byName = new Map(res.map((r) => [r.name, r]));
  const others = res.filter((r) => r.requests.has('cpu') || r.requests.has('memory'));
  for (const c of a.classified) {
    if (c.kind !== 'sidecar' && !c.legacySidecar) continue;
    const r = byName.get(c.name);
    if (!r || r.requests.has('cpu') || r.requests.has('memory')) continue;
    const peers = others.filter((o) => o.name !== c.name);
    if (!peers.length) continue; // a pod that requests nothing anywhere is BestEffort by choice
    const shown = peers.slice(0, 2).map((p) => {
      const m = formatMap(new Map([...p.requests].filter(([k]) => k === 'cpu' || k === 'memory')));
      return `${p.name} requests ${Object.entries(m).map(([k, v]) => `${v} ${k}`).join(', ')}`;
    });
    push('SidecarWithoutRequests', c,
      `${c.name} requests no cpu or memory although it runs for the pod's whole life, while ${joinNames(shown)}: the scheduler reserves nothing for it and it is first in line for eviction pressure; set resources.requests (and limits) on it`);
  }
}

function slowSidecarStartup(a: PodAnalysis, push: Push): void {
  const ordered = a.classified.filter((c) => c.kind !== 'ephemeral');
  for (const c of ordered) {
    if (c.kind !== 'sidecar') continue;
    const probe = c.spec.startupProbe;
    const hook = c.spec.lifecycle?.postStart;
    if (!probe && !hook) continue;
    const start = firstStart(a, c);
    if (!start) continue;
    const rest = ordered.filter((x) => x.order > c.order);
    const next = rest[0]?.kind === 'app' ? rest.filter((x) => x.kind === 'app') : rest.slice(0, 1);
    if (!next.length) continue;
    const starts = next.map((x) => firstStart(a, x)).filter((t): t is StartTime => !!t);
    const gate = probe && hook ? 'its startup probe and postStart hook' : probe ? 'its startup probe' : 'its postStart hook';
    const f = probeFailures(a.events, c.name, 'Startup');
    const names = joinNames(next.map((x) => x.name));
    const fix = probe ? startupFix(probe) : 'keep its postStart hook short, or gate on a startupProbe instead';
    if (starts.length) {
      starts.sort((x, y) => ms(x.time)! - ms(y.time)!);
      const wait = seconds(start, starts[0]);
      if (!wait || wait.value < SLOW_STARTUP_SECONDS) continue;
      const fails = f ? `, which failed ${howOften(f.count, f.first, f.last)} before passing` : '';
      push('SlowSidecarStartup', c,
        `${names} started ${wait.text} after ${c.name}, held back by ${gate}${fails}; every later container waits for it on each pod start: ${fix}`);
    } else if (c.status?.state?.running && c.status.started === false) {
      // ongoing: measured from the status start, like the SidecarNotStarted blocker
      const wait = secondsBetween(c.status.state.running.startedAt ?? start.time, a.ctx.now);
      if (wait === null || wait < SLOW_STARTUP_SECONDS) continue;
      const fails = f ? `, which has failed ${howOften(f.count, f.first, f.last)}` : '';
      push('SlowSidecarStartup', c,
        `${names} ${next.length === 1 ? 'has' : 'have'} waited ${shortDuration(wait)} so far for ${c.name}, held back by ${gate}${fails}: ${fix}`);
    }
  }
}

function sidecarReadinessGatesPod(a: PodAnalysis, push: Push): void {
  for (const c of a.classified) {
    if (c.kind !== 'sidecar' || !c.spec.readinessProbe) continue;
    const f = probeFailures(a.events, c.name, 'Readiness');
    const age = secondsBetween(c.status?.state?.running?.startedAt, a.ctx.now);
    const notReady = c.status?.state?.running && c.status.started === true && c.status.ready === false && age !== null && age >= WARMUP_SECONDS;
    if (!f && !notReady) continue;
    const evidence = f ? `its ${describeFailures(f).replace(/failing/, 'failed')}` : 'it is running but not ready';
    const apps = a.classified.filter((x) => x.kind === 'app' && x.status?.ready === true).map((x) => x.name);
    const despite = apps.length ? `, even while ${joinNames(apps)} ${apps.length === 1 ? 'is' : 'are'} ready` : '';
    push('SidecarReadinessGatesPod', c,
      `${evidence}, and a sidecar's readiness counts for the whole pod: each failure takes the pod out of every Service's endpoints${despite}; keep the readinessProbe only if traffic must stop when ${c.name} is unhealthy, and use a startupProbe for start ordering`);
  }
}

/** Seconds a preStop hook is known to take: a sleep action, or a `sleep N` in its exec command. */
export function preStopSeconds(c: Container): number | null {
  const h: LifecycleHandler | null | undefined = c.lifecycle?.preStop;
  if (!h || typeof h !== 'object') return null;
  if (typeof h.sleep?.seconds === 'number') return h.sleep.seconds;
  const cmd = Array.isArray(h.exec?.command) ? h.exec!.command.join(' ') : '';
  let total = 0;
  for (const m of cmd.matchAll(/\bsleep\s+(\d+(?:\.\d+)?)\b/g)) total += Number(m[1]);
  return total > 0 ? total : null;
}

/**
 * The signal the kubelet sent: the runtime's report (status.stopSignal), else SIGTERM. A configured
 * lifecycle.stopSignal the runtime does not report was likely not sent (docs/lifecycle.md, stop signals).
 */
/**
 * A startup probe adds up to periodSeconds (and initialDelaySeconds) to the wait; when it already
 * probes every 1-2 s, only a faster start helps.
 */
function startupFix(probe: NonNullable<Container['startupProbe']>): string {
  const period = typeof probe.periodSeconds === 'number' ? probe.periodSeconds : 10;
  const delay = typeof probe.initialDelaySeconds === 'number' ? probe.initialDelaySeconds : 0;
  const knobs: string[] = [];
  if (period > 2) knobs.push(`probe more often (periodSeconds ${period})`);
  if (delay > 0) knobs.push(`lower initialDelaySeconds (${delay})`);
  return knobs.length ? `start it faster or ${knobs.join(' and ')}` : `start it faster (its startup probe already runs every ${period}s with no initial delay: the wait is its own start time)`;
}

function signal(c: ClassifiedContainer): string {
  if (typeof c.status?.stopSignal === 'string' && c.status.stopSignal) return c.status.stopSignal;
  return 'SIGTERM';
}

/**
 * What to change for a container SIGKILLed at the grace deadline. One that logged nothing after the
 * signal most likely ignores it, and more grace cannot help; one still logging needed more time.
 */
function killRemedy(a: PodAnalysis, c: ClassifiedContainer, t0: string | null): string {
  const sig = signal(c);
  const configured = c.spec.lifecycle?.stopSignal;
  const unsent = configured && configured !== sig ? ` (its configured stopSignal ${configured} is not reported by the runtime, so ${sig} was sent)` : '';
  const last = lastLineTime(a.logs?.[c.name]?.current);
  const quietAfter = last && t0 ? (ms(last) ?? 0) < (ms(t0) ?? 0) : null;
  if (quietAfter === true) {
    return `it logged nothing after shutdown began (last log line at ${last}), so it most likely ignores ${sig}${unsent} and more grace would not help: make it exit on ${sig} (a PID-1 process without a handler ignores it)`;
  }
  if (quietAfter === false) {
    return `it was still logging after shutdown began (last log line at ${last}): make it stop faster after ${sig}${unsent} or raise terminationGracePeriodSeconds`;
  }
  return `make it exit on ${sig}${unsent} (a PID-1 process without a handler ignores it; then more grace would not help), or, if it only needs longer to drain, raise terminationGracePeriodSeconds`;
}

function gracePeriodTooShort(a: PodAnalysis, push: Push): void {
  const md = a.pod.metadata ?? {};
  const specGrace = a.pod.spec?.terminationGracePeriodSeconds ?? 30;
  // A deletion may shorten the budget; 0 is the API's final removal of a finished pod, not a budget.
  const grace = typeof md.deletionGracePeriodSeconds === 'number' && md.deletionGracePeriodSeconds > 0 && md.deletionTimestamp
    ? md.deletionGracePeriodSeconds
    : specGrace;
  const done = new Set<string>();

  // Observed: the kubelet stamps every Killing event of a pod shutdown at its start (t0).
  const stopping = a.events.filter((e) => e.reason === 'Killing' && /^Stopping container/.test(e.message));
  // Else a deletion began grace seconds before its deletionTimestamp (not after the final grace-0 removal).
  const finalRemoval = md.deletionGracePeriodSeconds === 0;
  // Without events (expired, forbidden) the status still shows when the apps finished.
  const fromEvents = earliest(...stopping.map((e) => e.firstTime))
    ?? (md.deletionTimestamp && !finalRemoval ? addSeconds(md.deletionTimestamp, -grace) : null);
  const t0FromStatus = !fromEvents && a.termination?.trigger === 'completion' && !!a.termination.startedAt;
  const t0 = fromEvents ?? (t0FromStatus ? a.termination!.startedAt : null);
  const killedByTermination = new Set(a.termination?.killed ?? []);
  if (t0) {
    for (const c of a.classified) {
      const t = c.status?.state?.terminated;
      if (!t || t.exitCode !== 137) continue;
      const took = secondsBetween(t0, t.finishedAt);
      if (!killedByTermination.has(c.name) && (took === null || took < grace - 1)) continue;
      done.add(c.name);
      const role = c.kind === 'sidecar' ? `, and as a sidecar it only got ${signal(c)} after the app containers exited, from the same budget` : '';
      push('GracePeriodTooShort', c,
        `${c.name} was killed with SIGKILL (exit code 137) at ${t.finishedAt}, ${took !== null ? `${shortDuration(took)} after shutdown began at ${t0}${t0FromStatus ? ' (when the app containers finished, from the status: an estimate to the second)' : ''}` : 'at the end of shutdown'}, when the shared ${grace}s grace period ran out${role}: ${killRemedy(a, c, t0)}`);
    }
  }

  // Observed, not killed yet: a shutdown that used most of the budget will be cut short next time.
  if (t0) {
    const ends = a.classified
      .filter((c) => c.kind !== 'ephemeral' && c.kind !== 'init' && !done.has(c.name))
      .map((c) => ({ c, t: c.status?.state?.terminated?.finishedAt ?? null }))
      .filter((x) => x.t && (secondsBetween(t0, x.t) ?? -1) >= 0);
    const stillRunning = a.classified.some((c) => c.status?.state?.running);
    if (ends.length && !stillRunning && !done.size) {
      ends.sort((x, y) => ms(x.t)! - ms(y.t)!);
      const last = ends[ends.length - 1];
      const took = secondsBetween(t0, last.t)!;
      if (took >= 0.8 * grace) {
        done.add(last.c.name);
        push('GracePeriodTooShort', last.c,
          `shutdown took ${shortDuration(took)} of the shared ${grace}s grace period (${last.c.name} stopped last, at ${last.t}): one slower stop and the remaining sidecars get SIGKILL; raise terminationGracePeriodSeconds or make the containers stop faster`);
      }
    }
  }

  // Declared: preStop sleeps run at shutdown start and are deducted from the one shared budget.
  const apps = a.classified.filter((c) => c.kind === 'app');
  const sidecars = a.classified.filter((c) => c.kind === 'sidecar');
  for (const c of [...apps, ...sidecars]) {
    if (done.has(c.name)) continue;
    const s = preStopSeconds(c.spec);
    if (s === null) continue;
    // Sidecars are stopped after the apps and get at least 2s; a preStop that leaves less is cut short.
    if (s + 2 <= specGrace) continue;
    push('GracePeriodTooShort', c,
      `the preStop hook of ${c.name} sleeps ${s}s but the whole pod has only terminationGracePeriodSeconds ${specGrace}${sidecars.length && c.kind === 'app' ? `, leaving the sidecars ${joinNames(sidecars.map((x) => x.name))} no time to stop in order` : ''}: raise terminationGracePeriodSeconds above ${Math.ceil(s) + 5}s or shorten the hook`);
  }
}

function legacySidecar(a: PodAnalysis, push: Push): void {
  // Network setup steps (istio-init…) must run before the proxy, as the mesh's own native layout keeps them.
  const inits = a.classified.filter((c) => c.kind === 'init').map((c) => c.name);
  const setup = inits.filter((n) => isKnownInitStep(n));
  const others = inits.filter((n) => !isKnownInitStep(n));
  const rp = a.pod.spec?.restartPolicy ?? 'Always';
  for (const c of a.classified) {
    if (c.kind !== 'app' || !c.legacySidecar) continue;
    const product = looksLikeSidecar(c.spec, a.pod)?.product ?? null;
    const evidence: string[] = [legacySidecarReason(c.legacySidecar)];
    if (c.spec.lifecycle?.postStart) evidence.push('its postStart hook holds the next containers back (the pre-1.28 ordering trick)');
    if (rp !== 'Always' && c.status?.state?.running) evidence.push(`it keeps this restartPolicy ${rp} pod from completing`);
    const place = [setup.length ? `after ${joinNames(setup)} (which ${setup.length === 1 ? 'prepares' : 'prepare'} its network)` : '', others.length ? `before any of ${joinNames(others)} that needs it` : ''].filter(Boolean);
    const before = place.length ? `, placed ${place.join(' and ')}` : '';
    const sw = product ? nativeSidecarSwitch(product) : null;
    push('LegacySidecar', c,
      `${c.name} is a sidecar run the pre-1.28 way as a plain container (${evidence.join('; ')}): move ${c.name} into initContainers${before}, add restartPolicy: Always, and replace sleep loops or postStart waits with a startupProbe${sw ? `; ${sw}` : ''}`);
  }
}


function nativeSidecarsUnsupported(a: PodAnalysis, push: Push): void {
  const sidecars = a.classified.filter((c) => c.kind === 'sidecar');
  const v = serverVersion(a.ctx.version);
  if (!sidecars.length || !v || v.major !== 1 || v.minor >= 29) return;
  const names = joinNames(sidecars.map((c) => c.name));
  if (v.minor < 28) {
    push('NativeSidecarsUnsupported', null,
      `the API server is ${v.text}, older than 1.28: it does not know restartPolicy: Always on init containers, so ${names} would run as regular init containers that never exit and block initialization forever; upgrade to 1.29+ or run ${sidecars.length === 1 ? 'it' : 'them'} as plain containers`);
  } else {
    push('NativeSidecarsUnsupported', null,
      `the API server is ${v.text}: native sidecars there are alpha (feature gate SidecarContainers, off by default) and stopped without ordering, so ${names} may stop before or with the app containers at shutdown; upgrade to 1.29+ for ordered termination`);
  }
}

export function advise(a: PodAnalysis): Advice[] {
  const out: Advice[] = [];
  const push: Push = (code, c, message) => out.push({ code, container: c ? c.name : null, message });
  nativeSidecarsUnsupported(a, push);
  legacySidecar(a, push);
  sidecarWithoutRequests(a, push);
  slowSidecarStartup(a, push);
  sidecarReadinessGatesPod(a, push);
  gracePeriodTooShort(a, push);
  return out;
}
