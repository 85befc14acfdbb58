// Advice: what to change in the spec so sidecars behave, each backed by evidence from this pod (its
// spec, statuses, events, logs, the server version), returned as facts (src/render/words/advice.ts
// words them). Never a blocker: a pod can be healthy and still deserve advice.
import type { PodAnalysis } from './analysis.js';
import type { ClassifiedContainer } from './classify.js';
import type { Container, LifecycleHandler } from './k8s.js';
import type { AdviceCode } from './types.js';
import type { AdviceFacts, AdviceFinding, StartupFix } from './findings.js';
import { containerResources, formatMap } from './resources.js';
import { isKnownInitStep, looksLikeSidecar } from './legacy.js';
import { ms, sameSecond, secondsBetween, addSeconds } from './time.js';
import { lastLineTime } from './logs.js';
import { readState } from './containers.js';
import { earliest, eventsOf, often, probeFailures, serverVersion, WARMUP_SECONDS } from './facts.js';
import { shutdownOomKills } from './blockers.js';

/** A sidecar that holds later containers this long is worth speeding up. */
export const SLOW_STARTUP_SECONDS = 5;

type Push = (code: AdviceCode, c: ClassifiedContainer | null, facts: AdviceFacts) => void;

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
  const fromStatus = (s?.restartCount ?? 0) === 0 ? readState(s?.state).startedAt : null;
  const t = earliest(...started, fromStatus);
  if (!t) return null;
  // Only the first instance's log refines the first start, and only within the same second.
  const log = (s?.restartCount ?? 0) === 0 ? firstLogTime(a, c) : null;
  if (log && sameSecond(log, t)) return { time: log, precise: true };
  return { time: t, precise: false };
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
    const shown = peers.slice(0, 2).map((p) => ({
      name: p.name, requests: Object.entries(formatMap(new Map([...p.requests].filter(([k]) => k === 'cpu' || k === 'memory')))),
    }));
    push('SidecarWithoutRequests', c, { kind: 'sidecarWithoutRequests', peers: shown });
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
    const base = {
      kind: 'slowStartup' as const, next: next.map((x) => x.name), gate: { startupProbe: !!probe, postStart: !!hook },
      startupFailures: often(probeFailures(a.events, c.name, 'Startup')), fix: probe ? startupFix(probe) : { hook: true as const },
    };
    if (starts.length) {
      starts.sort((x, y) => ms(x.time)! - ms(y.time)!);
      const wait = secondsBetween(start.time, starts[0].time);
      if (wait === null || wait < SLOW_STARTUP_SECONDS) continue;
      push('SlowSidecarStartup', c, { ...base, waitedSeconds: wait, precise: start.precise && starts[0].precise, ongoing: false });
    } else if (c.status?.state?.running && c.status.started === false) {
      // ongoing: measured from the status start, like the SidecarNotStarted blocker
      const wait = secondsBetween(c.status.state.running.startedAt ?? start.time, a.ctx.now);
      if (wait === null || wait < SLOW_STARTUP_SECONDS) continue;
      push('SlowSidecarStartup', c, { ...base, waitedSeconds: wait, precise: false, ongoing: true });
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
    const apps = a.classified.filter((x) => x.kind === 'app' && x.status?.ready === true).map((x) => x.name);
    push('SidecarReadinessGatesPod', c, { kind: 'readinessGatesPod', failures: f, readyApps: apps });
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
 * A startup probe adds up to periodSeconds (and initialDelaySeconds) to the wait; when it already
 * probes every 1-2 s, only a faster start helps.
 */
function startupFix(probe: NonNullable<Container['startupProbe']>): StartupFix {
  const period = typeof probe.periodSeconds === 'number' ? probe.periodSeconds : 10;
  const delay = typeof probe.initialDelaySeconds === 'number' ? probe.initialDelaySeconds : 0;
  return { probe: { periodSeconds: period, initialDelaySeconds: delay, faster: period > 2, earlier: delay > 0 } };
}

/**
 * The signal the kubelet sent: the runtime's report (status.stopSignal), else SIGTERM. A configured
 * lifecycle.stopSignal the runtime does not report was likely not sent (docs/lifecycle.md, stop signals).
 */
function signal(c: ClassifiedContainer): string {
  if (typeof c.status?.stopSignal === 'string' && c.status.stopSignal) return c.status.stopSignal;
  return 'SIGTERM';
}

/**
 * What tells what to change for a container SIGKILLed at the grace deadline: one that logged nothing
 * after the signal most likely ignores it, and more grace cannot help; one still logging needed more time.
 */
function killFacts(a: PodAnalysis, c: ClassifiedContainer, t0: string | null) {
  const sig = signal(c);
  const configured = c.spec.lifecycle?.stopSignal;
  const last = lastLineTime(a.logs?.[c.name]?.current);
  const quietAfter = last && t0 ? (ms(last) ?? 0) < (ms(t0) ?? 0) : null;
  return { signal: sig, configuredStopSignal: configured && configured !== sig ? configured : null, lastLogAt: last ?? null, quietAfter };
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
      push('GracePeriodTooShort', c, {
        kind: 'graceKilled', finishedAt: t.finishedAt ?? null, tookSeconds: took, shutdownStartedAt: t0, fromStatus: t0FromStatus,
        gracePeriodSeconds: grace, sidecar: c.kind === 'sidecar', ...killFacts(a, c, t0),
      });
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
        push('GracePeriodTooShort', last.c, { kind: 'graceNearlyUsed', tookSeconds: took, gracePeriodSeconds: grace, lastStopped: last.c.name, at: last.t! });
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
    push('GracePeriodTooShort', c, {
      kind: 'preStopTooLong', sleepSeconds: s, gracePeriodSeconds: specGrace, sidecars: c.kind === 'app' ? sidecars.map((x) => x.name) : [],
    });
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
    push('LegacySidecar', c, {
      kind: 'legacySidecar', legacy: c.legacySidecar, postStart: !!c.spec.lifecycle?.postStart,
      holdsCompletion: rp !== 'Always' && c.status?.state?.running ? rp : null, setupSteps: setup, otherInits: others,
      product: looksLikeSidecar(c.spec, a.pod)?.product ?? null,
    });
  }
}


function nativeSidecarsUnsupported(a: PodAnalysis, push: Push): void {
  const sidecars = a.classified.filter((c) => c.kind === 'sidecar');
  const v = serverVersion(a.ctx.version);
  if (!sidecars.length || !v || v.major !== 1 || v.minor >= 29) return;
  push('NativeSidecarsUnsupported', null, { kind: 'nativeSidecarsUnsupported', server: v.text, minor: v.minor, sidecars: sidecars.map((c) => c.name) });
}

/** A sidecar OOM-killed while the pod shut down: its shutdown path needs memory too (model/blockers.ts shutdownOomKills). */
function shutdownNeedsMemory(a: PodAnalysis, push: Push): void {
  for (const k of shutdownOomKills(a)) push('ShutdownNeedsMemory', k.c, { kind: 'shutdownNeedsMemory', memoryLimit: k.facts.memoryLimit, trigger: k.facts.trigger });
}

export function advise(a: PodAnalysis): AdviceFinding[] {
  const out: AdviceFinding[] = [];
  const push: Push = (code, c, facts) => out.push({ code, container: c ? c.name : null, facts });
  nativeSidecarsUnsupported(a, push);
  legacySidecar(a, push);
  sidecarWithoutRequests(a, push);
  slowSidecarStartup(a, push);
  sidecarReadinessGatesPod(a, push);
  gracePeriodTooShort(a, push);
  shutdownNeedsMemory(a, push);
  return out;
}
