// What keeps a pod from being Ready, initialized, scheduled, completed or deleted, with the evidence
// (status, events, logs) in one sentence each. Only real blockers: a Running+Ready or Succeeded pod
// has none, a terminating pod within its grace period has none, sidecar exit codes never count
// (the kubelet ignores them for the phase: docs/lifecycle.md, Running).
import type { PodAnalysis } from './analysis.js';
import type { ClassifiedContainer } from './classify.js';
import type { PodEvent } from './events.js';
import type { ContainerStateTerminated, Pod, PodCondition, Probe } from './k8s.js';
import type { Blocker, BlockerCode } from './types.js';
import { effectivePodResources } from './resources.js';
import { formatQuantitiesAlike, subQuantity } from './quantity.js';
import { isKnownInitStep, looksLikeSidecar } from './legacy.js';
// Until the blocker wording moves to render/words (issue 14, engineer A): the legacy words live there.
import { legacySidecarReason } from '../render/words/legacy.js';
import { addSeconds, ms, secondsBetween, shortDuration } from './time.js';
import { matchingRestartRule } from './restarts.js';
import { WARMUP_SECONDS, withoutQuery } from './facts.js';
import { lastLogLineOf } from './containers.js';
import { containerUnhealthy, hookFailed, nodeLostEvidence, neverCompletes, podFailed, resizeNotApplied, sandboxNotReady, schedulingGated } from './failures.js';

export const IMAGE_PULL_REASONS = new Set(['ErrImagePull', 'ImagePullBackOff', 'ErrImageNeverPull', 'InvalidImageName']);
// PostStartHookError is a failed hook (HookFailed), not a creation error: the container was created and started.
export const CONFIG_REASONS = new Set(['CreateContainerConfigError', 'CreateContainerError', 'RunContainerError', 'PreStartHookError']);

/** A regular init container running longer than this is not an init step any more. */
export const INIT_STEP_LIMIT_SECONDS = 600;
/** A well-known sidecar image/name running as a regular init container this long is not exiting. */
const SIDECAR_LOOKALIKE_SECONDS = 60;
/** Slack after the end of the grace period before termination counts as overdue (status updates lag). */
const OVERDUE_SLACK_SECONDS = 5;
/**
 * A regular init container running is progress, not a blocker, until it has run this long (a
 * heuristic: seen live, a watch raised InitContainerRunning one second into a normal start).
 */
export const INIT_RUNNING_BLOCKER_SECONDS = 60;

// ---------------------------------------------------------------- evidence helpers (shared with advice.ts)

export type ProbeKind = 'Readiness' | 'Liveness' | 'Startup';

export interface ProbeFailures {
  kind: ProbeKind;
  count: number;
  first: string | null;
  last: string | null;
  /** Output of the most recent failure, trimmed ('' when the probe printed nothing). */
  output: string;
}

const UNHEALTHY = /^(Readiness|Liveness|Startup) probe (?:failed|errored)(?: and resulted in \w+ state)?:?\s*([\s\S]*)$/;

/** Unhealthy events of one container and probe, merged (the kubelet splits them by message). */
export function probeFailures(events: PodEvent[], container: string, kind: ProbeKind): ProbeFailures | null {
  let out: ProbeFailures | null = null;
  let lastMs = -Infinity;
  for (const e of events) {
    if (e.reason !== 'Unhealthy' || e.container !== container) continue;
    const m = UNHEALTHY.exec(e.message.replace(/^\(combined from similar events\):\s*/, ''));
    if (!m || m[1] !== kind) continue;
    out ??= { kind, count: 0, first: null, last: null, output: '' };
    out.count += e.count;
    if (e.firstTime && (!out.first || (ms(e.firstTime) ?? 0) < (ms(out.first) ?? 0))) out.first = e.firstTime;
    const l = ms(e.lastTime) ?? -Infinity;
    if (l >= lastMs) {
      lastMs = l;
      out.last = e.lastTime;
      out.output = oneLine(withoutQuery(m[2]));
    }
  }
  return out;
}

/** "12 times in 2m", "twice in 2s", "once"; with a noun: "2 attempts in 6s", "1 attempt". */
export function howOften(count: number, first: string | null, last: string | null, noun?: [string, string]): string {
  const times = noun ? `${count} ${count === 1 ? noun[0] : noun[1]}` : count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`;
  const span = secondsBetween(first, last);
  return count > 1 && span !== null ? `${times} in ${shortDuration(span)}` : times;
}

/** "readiness probe failing (12 times in 2m): HTTP probe failed with statuscode: 503". */
export function describeFailures(f: ProbeFailures): string {
  return `${f.kind.toLowerCase()} probe failing (${howOften(f.count, f.first, f.last)})${f.output ? `: ${f.output}` : ''}`;
}

/** What a probe checks, for messages when no failure event is available. */
export function describeProbe(p: Probe | null | undefined): string {
  if (!p || typeof p !== 'object') return 'no probe';
  // How it is configured, never what it runs: an exec command line and a URL's query string carry
  // passwords and tokens (mysqladmin -p…, /healthz?token=…), and command lines are never printed.
  const port = (v: unknown) => (typeof v === 'number' || (typeof v === 'string' && /^[a-z0-9-]{1,15}$/i.test(v)) ? String(v) : '?');
  const count = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
  let what = 'a probe';
  if (p.httpGet) {
    const path = String(p.httpGet.path ?? '/').split(/[?#]/)[0].replace(/[\u0000-\u001f\u007f-\u009f\s]/g, '') || '/';
    what = `${String(p.httpGet.scheme).toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP'} GET ${clip(path, 60)} on port ${port(p.httpGet.port)}`;
  } else if (p.tcpSocket) what = `TCP connect to port ${port(p.tcpSocket.port)}`;
  else if (p.grpc) what = `gRPC health check on port ${port(p.grpc.port)}`;
  else if (p.exec) what = 'an exec command';
  // the API server defaults periodSeconds to 10 and failureThreshold to 3
  return `${what}, every ${count(p.periodSeconds, 10)}s, failing after ${count(p.failureThreshold, 3)}`;
}

// A registry or CNI error chain runs to a few hundred characters and kubectl prints it whole: only a
// runaway text (a 256 KB message) is clipped, the renderers wrap the rest.
export function oneLine(s: string | null | undefined): string {
  return clip(String(s ?? '').replace(/\s+/g, ' ').trim(), 4096);
}

/** Long error chains keep their start and their end (where the root cause is). */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = Math.floor(max * 0.4);
  return `${s.slice(0, head)} … ${s.slice(s.length - (max - head - 3))}`;
}

/** "a", "a and b", "a, b and c". */
export function joinNames(names: string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

export function exitText(t: ContainerStateTerminated | null | undefined): string {
  if (!t) return 'exited';
  const code = typeof t.exitCode === 'number' ? `code ${t.exitCode}` : 'an unknown code';
  return `exited with ${code}${t.reason ? ` (${t.reason})` : ''}`;
}

export function eventsOf(events: PodEvent[], container: string | null, reason: string, message?: RegExp): PodEvent[] {
  return events.filter((e) => e.container === container && e.reason === reason && (!message || message.test(e.message)));
}

/** Merged count/first/last of several event objects. */
export function merged(evs: PodEvent[]): { count: number; first: string | null; last: string | null; message: string } | null {
  if (!evs.length) return null;
  let count = 0, first: string | null = null, last: string | null = null, message = '';
  for (const e of evs) {
    count += e.count;
    if (e.firstTime && (!first || (ms(e.firstTime) ?? 0) < (ms(first) ?? 0))) first = e.firstTime;
    if (e.lastTime && (!last || (ms(e.lastTime) ?? 0) >= (ms(last) ?? 0))) { last = e.lastTime; message = e.message; }
  }
  return { count, first, last, message };
}

export function earliest(...ts: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const t of ts) if (typeof t === 'string' && ms(t) !== null && (best === null || ms(t)! < ms(best)!)) best = t;
  return best;
}

export function latest(...ts: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const t of ts) if (typeof t === 'string' && ms(t) !== null && (best === null || ms(t)! > ms(best)!)) best = t;
  return best;
}

export function condition(pod: Pod, type: string): PodCondition | null {
  const cs = pod.status?.conditions;
  return (Array.isArray(cs) ? cs.find((c) => c && c.type === type) : null) ?? null;
}

/** Last log line of the container's most recent finished instance, when the logs were read. */
export function lastLogLine(a: PodAnalysis, c: ClassifiedContainer): string | null {
  const text = lastLogLineOf(a.logs?.[c.name], c.status, c.status?.state?.waiting ? 'waiting' : 'running');
  return text ? oneLine(text) : null;
}

/** Has the container (any instance) ever been created? */
function everRan(c: ClassifiedContainer): boolean {
  const s = c.status;
  return !!(s?.state?.running || s?.state?.terminated || s?.lastState?.terminated || (s?.restartCount ?? 0) > 0);
}

/** Later init containers, sidecars and apps that have not started: what waits on `c`. */
export function waitingOn(a: PodAnalysis, c: ClassifiedContainer): string[] {
  return a.classified.filter((x) => x.kind !== 'ephemeral' && x.order > c.order && !everRan(x)).map((x) => x.name);
}

function waitsClause(names: string[]): string {
  return names.length ? `; ${joinNames(names)} ${names.length === 1 ? 'waits' : 'wait'} for it` : '';
}

function kindWord(c: ClassifiedContainer): string {
  return c.kind === 'sidecar' ? 'sidecar' : c.kind === 'init' ? 'init container' : c.legacySidecar ? 'legacy sidecar' : 'container';
}

// ---------------------------------------------------------------- rules

export type Push = (code: BlockerCode, c: ClassifiedContainer | null, since: string | null, message: string) => void;

function unschedulable(a: PodAnalysis, cond: PodCondition, push: Push): void {
  const failed = merged(eventsOf(a.events, null, 'FailedScheduling'));
  const why = oneLine(failed?.message || cond.message || cond.reason || 'no reason given').replace(/\.$/, '');
  const attempts = failed ? ` (${howOften(failed.count, failed.first, failed.last, ['attempt', 'attempts'])})` : '';
  const since = earliest(cond.lastTransitionTime, failed?.first) ?? a.pod.metadata?.creationTimestamp ?? null;
  let share = '';
  try {
    const withSc = effectivePodResources(a.pod);
    const without = effectivePodResources(a.pod, [], { withoutSidecars: true });
    const short = [...why.matchAll(/Insufficient ([\w./-]*[\w/-])/g)].map((m) => m[1]);
    const names = short.length ? [...new Set(short)] : ['cpu', 'memory'];
    const parts: string[] = [];
    for (const n of names) {
      const w = withSc.requests.get(n);
      if (!w) continue;
      if (withSc.basis === 'pod-level' && (n === 'cpu' || n === 'memory' || n.startsWith('hugepages-'))) continue;
      const wo = without.requests.get(n) ?? { nano: 0n, format: w.format };
      if (w.nano > wo.nano) {
        const [ws, wos, adds] = formatQuantitiesAlike([w, wo, subQuantity(w, wo)]);
        const sidecars = withSc.containers.filter((c) => c.kind === 'sidecar' && c.requests.get(n)?.nano).map((c) => c.name);
        const who = sidecars.length === 1 ? `sidecar ${sidecars[0]} adds` : sidecars.length ? `sidecars ${joinNames(sidecars)} add` : 'sidecars add';
        parts.push(`${ws} ${n} with its sidecars (${wos} without them: ${who} ${adds})`);
      }
    }
    if (parts.length) share = `; the pod requests ${joinNames(parts)}`;
  } catch {
    /* resources are best-effort evidence here */
  }
  push('Unschedulable', null, since, `the scheduler cannot place the pod${attempts}: ${why}${share}`);
}

function terminationOverdue(a: PodAnalysis, push: Push): void {
  const md = a.pod.metadata ?? {};
  const del = md.deletionTimestamp;
  const over = secondsBetween(del, a.ctx.now);
  if (!del || over === null || over <= OVERDUE_SLACK_SECONDS) return;
  const grace = typeof md.deletionGracePeriodSeconds === 'number' ? md.deletionGracePeriodSeconds : a.pod.spec?.terminationGracePeriodSeconds ?? 30;
  const running = a.classified.filter((c) => c.status?.state?.running).map((c) => `${c.name} (${kindWord(c)})`);
  const finalizers = Array.isArray(md.finalizers) ? md.finalizers.filter((f) => typeof f === 'string') : [];
  const lost = nodeLostEvidence(a);
  // deletionGracePeriodSeconds 0 is the kubelet's confirmation that everything stopped: with no
  // finalizer left the API server removes the object at once (a last-seen state, not a stuck pod).
  if (md.deletionGracePeriodSeconds === 0 && !finalizers.length && !lost && !running.length) return;
  let still: string;
  if (lost) still = `the node${a.summary.node ? ` ${a.summary.node}` : ''} stopped reporting (${lost.fact}), so no kubelet confirms the containers stopped${running.length ? `; its last report had ${joinNames(running)} running` : ''}`;
  else if (running.length) still = `still running: ${joinNames(running)}`;
  else if (finalizers.length) still = `no container runs, but finalizers ${joinNames(finalizers)} hold the object`;
  else still = 'no container is reported running: the kubelet has not confirmed the deletion (node down or unreachable?)';
  push('TerminationOverdue', null, del,
    `deletion was requested at ${addSeconds(del, -grace)} with a ${grace}s grace period that ended ${shortDuration(over)} ago, and the pod is still terminating; ${still}`);
}

/** A crash-looping container: exit, restarts, back-off, last log line. */
function crashLoop(a: PodAnalysis, c: ClassifiedContainer, code: BlockerCode, tail: string, push: Push): void {
  const s = c.status!;
  const term = s.state?.terminated ?? s.lastState?.terminated ?? null;
  const back = merged(eventsOf(a.events, c.name, 'BackOff', /^Back-off restarting/));
  const ran = term && secondsBetween(term.startedAt, term.finishedAt);
  const waitMsg = /back-off (\S+) restarting/.exec(s.state?.waiting?.message ?? '');
  const after = ran === null || ran === undefined ? '' : ran < 1 ? ' within a second' : ` after ${shortDuration(ran)}`;
  const parts = [`${exitText(term)}${after}`];
  const n = s.restartCount ?? 0;
  if (n > 0) parts.push(`restarted ${n === 1 ? 'once' : `${n} times`}`);
  if (back) parts.push(`back-off ${howOften(back.count, back.first, back.last)}`);
  if (waitMsg) parts.push(`next try in up to ${waitMsg[1]}`);
  const log = lastLogLine(a, c);
  const since = earliest(back?.first, s.lastState?.terminated?.finishedAt, s.state?.terminated?.finishedAt);
  push(code, c, since, `crash-looping: ${parts.join(', ')}${log ? `; last log line: "${log}"` : ''}${tail}`);
}

function isCrashLooping(a: PodAnalysis, c: ClassifiedContainer): boolean {
  const s = c.status;
  if (!s) return false;
  // A restart its restartPolicyRules ask for (KEP-5307) is a retry the spec wants, not a crash loop.
  const lastExit = (s.state?.terminated ?? s.lastState?.terminated)?.exitCode;
  if (matchingRestartRule(c, typeof lastExit === 'number' ? lastExit : null)) return false;
  if (s.state?.waiting?.reason === 'CrashLoopBackOff') return true;
  const restarted = (s.restartCount ?? 0) > 0 || eventsOf(a.events, c.name, 'BackOff', /^Back-off restarting/).length > 0;
  return !!s.state?.terminated && restarted;
}

function waitingProblem(a: PodAnalysis, c: ClassifiedContainer, push: Push, tail: string): boolean {
  if (hookFailed(a, c, tail, push)) return true;
  const w = c.status?.state?.waiting;
  const reason = w?.reason ?? '';
  if (IMAGE_PULL_REASONS.has(reason)) {
    const image = c.spec.image ?? c.status?.image ?? '?';
    const pulls = merged(eventsOf(a.events, c.name, 'Pulling'));
    const fails = merged(eventsOf(a.events, c.name, 'Failed', /^Failed to pull image/));
    const detail = oneLine(w?.message || fails?.message.replace(/^Failed to pull image "[^"]*":\s*/, '') || '');
    const attempts = pulls ? `, ${howOften(pulls.count, pulls.first, pulls.last, ['attempt', 'attempts'])}` : '';
    const since = earliest(pulls?.first, fails?.first) ?? a.pod.status?.startTime ?? null;
    push('ImagePullFailing', c, since, `image ${image} cannot be pulled (${reason}${attempts})${detail ? `: ${detail}` : ''}${tail}`);
    return true;
  }
  if (CONFIG_REASONS.has(reason)) {
    const fails = merged(eventsOf(a.events, c.name, 'Failed'));
    const detail = oneLine(w?.message || fails?.message || '');
    const often = fails ? ` (${howOften(fails.count, fails.first, fails.last)})` : '';
    const since = fails?.first ?? a.pod.status?.startTime ?? null;
    push('ContainerConfigError', c, since, `the container cannot be created: ${reason}${often}${detail ? `: ${detail}` : ''}${tail}`);
    return true;
  }
  return false;
}

/** Walk initContainers in order, as the kubelet does; stop at the first that holds the others back. */
function initWalk(a: PodAnalysis, push: Push): void {
  const phaseFailed = a.pod.status?.phase === 'Failed';
  for (const c of a.classified) {
    if (c.kind !== 'init' && c.kind !== 'sidecar') continue;
    const s = c.status;
    const st = s?.state;
    const waits = waitsClause(waitingOn(a, c));
    if (!s || !st) return; // not created yet: nothing to blame
    if (waitingProblem(a, c, push, waits)) return;
    if (c.kind === 'init') {
      const t = st.terminated;
      if (t && t.exitCode === 0) continue;
      const failedBefore = s.lastState?.terminated && s.lastState.terminated.exitCode !== 0;
      if ((t && t.exitCode !== 0) || st.waiting?.reason === 'CrashLoopBackOff' || (st.waiting && failedBefore)) {
        if (phaseFailed) {
          const term = t ?? s.lastState?.terminated ?? null;
          const log = lastLogLine(a, c);
          push('InitContainerFailing', c, term?.finishedAt ?? null,
            `${exitText(term)} and the pod failed (restartPolicy ${a.pod.spec?.restartPolicy ?? 'Never'}): its sidecars were stopped and the app containers never ran${log ? `; last log line: "${log}"` : ''}`);
        } else {
          crashLoop(a, c, 'InitContainerFailing', `${waits}; the pod stays Pending`, push);
        }
        return;
      }
      if (st.running) {
        const since = st.running.startedAt ?? null;
        const age = secondsBetween(since, a.ctx.now);
        const look = isKnownInitStep(c.name) ? null : looksLikeSidecar(c.spec, a.pod);
        const longRun = age !== null && age >= INIT_STEP_LIMIT_SECONDS;
        if ((look && age !== null && age >= SIDECAR_LOOKALIKE_SECONDS) || longRun) {
          const why = look ? `it looks like a sidecar (${legacySidecarReason(look)})` : `no init step should run that long`;
          push('InitContainerNotExiting', c, since,
            `a regular init container (no restartPolicy: Always) that has been running for ${shortDuration(age!)} and never exits, and ${why}${waits}: its restartPolicy: Always was likely dropped by an old mutating webhook, or the cluster has no native sidecars`);
        } else if (age === null || age >= INIT_RUNNING_BLOCKER_SECONDS) {
          push('InitContainerRunning', c, since, `still running${age !== null ? ` after ${shortDuration(age)}` : ''}${waits || '; the app containers wait for it'}`);
        }
        return;
      }
      return; // waiting to be created (PodInitializing, ContainerCreating)
    }
    // sidecar: initialized once running and started (postStart done, startup probe passed)
    if (st.running && s.started === true) continue;
    if (hookFailed(a, c, `${waits}; it never started, so initialization is stuck`, push)) return;
    if (st.running) {
      sidecarNotStarted(a, c, waits, push);
      return;
    }
    if (isCrashLooping(a, c) || (st.waiting && (s.restartCount ?? 0) > 0)) {
      crashLoop(a, c, 'SidecarCrashLooping', `${waits}; it never started, so initialization is stuck`, push);
      return;
    }
    if (st.waiting && c.spec.lifecycle?.postStart) {
      // While a postStart hook runs the kubelet may still report waiting: PodInitializing, although
      // the Started event is out (docs/lifecycle.md, hooks): the hook is what everything waits on.
      const started = merged(eventsOf(a.events, c.name, 'Started'));
      if (started?.last) {
        const age = secondsBetween(started.last, a.ctx.now);
        push('SidecarNotStarted', c, started.last,
          `its postStart hook has not returned: the container started at ${started.last} (Started event)${age !== null ? `, ${shortDuration(age)} ago` : ''}, and the kubelet still reports it waiting (${st.waiting.reason ?? 'no reason'}) until the hook ends${waits}`);
      }
    }
    return;
  }
}

function sidecarNotStarted(a: PodAnalysis, c: ClassifiedContainer, waits: string, push: Push): void {
  const since = c.status?.state?.running?.startedAt ?? null;
  const age = secondsBetween(since, a.ctx.now);
  const what: string[] = [];
  const f = probeFailures(a.events, c.name, 'Startup');
  if (c.spec.startupProbe) what.push(f ? describeFailures(f) : `startup probe (${describeProbe(c.spec.startupProbe)}) has not passed yet`);
  if (c.spec.lifecycle?.postStart) {
    const hook = merged(eventsOf(a.events, c.name, 'FailedPostStartHook'));
    what.push(hook ? `postStart hook failed (${howOften(hook.count, hook.first, hook.last)})` : 'its postStart hook has not returned');
  }
  if (!what.length) what.push('the kubelet has not marked it started yet');
  push('SidecarNotStarted', c, since,
    `running${age !== null ? ` for ${shortDuration(age)}` : ''} but not started: ${what.join(' and ')}${waits}`);
}

/** Not ready for a while, or with readiness failures recorded: a warming-up container is not blocked. */
function notReadyEvidence(a: PodAnalysis, c: ClassifiedContainer): { since: string | null; text: string } | null {
  const s = c.status!;
  const started = s.state?.running?.startedAt ?? null;
  const f = probeFailures(a.events, c.name, 'Readiness');
  const age = secondsBetween(started, a.ctx.now);
  if (!f && age !== null && age < WARMUP_SECONDS) return null;
  const cr = condition(a.pod, 'ContainersReady');
  // Not ready since the last flip of ContainersReady (Ready may have flapped since the start).
  const since = latest(started, cr?.status === 'False' ? cr.lastTransitionTime : null) ?? started;
  const notReadyFor = secondsBetween(since, a.ctx.now);
  let text: string;
  if (f) text = describeFailures(f);
  else if (c.spec.readinessProbe) text = `not ready for ${notReadyFor !== null ? shortDuration(notReadyFor) : 'a while'} (readiness probe ${describeProbe(c.spec.readinessProbe)}; no failure event recorded)`;
  else if (c.spec.startupProbe && s.started === false) {
    const sf = probeFailures(a.events, c.name, 'Startup');
    text = sf ? describeFailures(sf) : `startup probe (${describeProbe(c.spec.startupProbe)}) has not passed yet`;
  } else text = `running for ${age !== null ? shortDuration(age) : 'a while'} but not ready${notReadyFor !== null && age !== null && notReadyFor < age ? ` (not ready for the last ${shortDuration(notReadyFor)})` : ''}`;
  return { since, text };
}

/** After initialization: sidecars and apps that crash, cannot start, or are not ready. */
function runningChecks(a: PodAnalysis, initialized: boolean, push: Push): void {
  const rp = a.pod.spec?.restartPolicy ?? 'Always';
  for (const c of a.classified) {
    const s = c.status;
    const st = s?.state;
    if (!s || !st) continue;
    if (c.kind === 'sidecar') {
      if (!initialized) {
        // during init only started sidecars are judged here (the walk handled the rest)
        if (!(st.running && s.started)) continue;
      } else {
        if (waitingProblem(a, c, push, '; the pod is not Ready')) continue;
        if (containerUnhealthy(a, c, push)) continue;
        if (isCrashLooping(a, c) || (st.waiting && (s.restartCount ?? 0) > 0)) {
          crashLoop(a, c, 'SidecarCrashLooping', '; the pod is not Ready', push);
          continue;
        }
        if (st.running && s.started === false) {
          sidecarNotStarted(a, c, '; the pod is not Ready until it has', push);
          continue;
        }
      }
      // Readiness gates nothing during init; without a readinessProbe "not ready" is only status lag.
      if (initialized && st.running && s.started && s.ready === false && (c.spec.readinessProbe || probeFailures(a.events, c.name, 'Readiness'))) {
        const ev = notReadyEvidence(a, c);
        if (ev) push('SidecarNotReady', c, ev.since, `${ev.text}; the pod is not Ready and is out of Service endpoints`);
      }
      continue;
    }
    if (c.kind !== 'app' || !initialized) continue;
    if (waitingProblem(a, c, push, '')) continue;
    if (containerUnhealthy(a, c, push)) continue;
    if (isCrashLooping(a, c)) {
      const t = st.terminated;
      // a finished container in a Never pod (or OnFailure with exit 0) is done, not looping
      const done = t && (rp === 'Never' || (rp === 'OnFailure' && t.exitCode === 0));
      if (!done) {
        crashLoop(a, c, 'ContainerCrashLooping', '; the pod is not Ready', push);
        continue;
      }
    }
    if (st.running && s.ready === false) {
      const ev = notReadyEvidence(a, c);
      if (ev) push('ContainerNotReady', c, ev.since, `${ev.text}; the pod is not Ready and is out of Service endpoints`);
    }
  }
}

/**
 * restartPolicy Never/OnFailure, every app container but `holders` is done (Never: ended; OnFailure:
 * exited 0) and the running `holders` keep the pod from completing: what they hold, and since when.
 */
export function completionHeld(a: PodAnalysis, isHolder: (c: ClassifiedContainer) => boolean): { rp: string; holders: ClassifiedContainer[]; since: string | null; done: string } | null {
  const rp = a.pod.spec?.restartPolicy ?? 'Always';
  if (rp !== 'Never' && rp !== 'OnFailure') return null;
  const apps = a.classified.filter((c) => c.kind === 'app');
  const holders = apps.filter((c) => isHolder(c) && !c.status?.state?.terminated && (c.status?.state?.running || !c.legacySidecar));
  const rest = apps.filter((c) => !isHolder(c) && !c.legacySidecar);
  if (!holders.length || !rest.length) return null;
  if (!rest.every((c) => { const t = c.status?.state?.terminated; return t && (rp === 'Never' || t.exitCode === 0); })) return null;
  const since = latest(...rest.map((c) => c.status?.state?.terminated?.finishedAt));
  const ago = secondsBetween(since, a.ctx.now);
  const done = `${joinNames(rest.map((c) => `${c.name} ${exitText(c.status?.state?.terminated)}`))}${ago !== null ? ` ${shortDuration(ago)} ago` : ''}`;
  return { rp, holders, since, done };
}

function legacyBlocksCompletion(a: PodAnalysis, push: Push): void {
  const held = completionHeld(a, (c) => !!c.legacySidecar && !!c.status?.state?.running);
  if (!held) return;
  for (const c of held.holders) {
    push('LegacySidecarBlocksCompletion', c, held.since,
      `${held.done}, but ${c.name} runs as a plain container (${legacySidecarReason(c.legacySidecar!)}) and never exits, so with restartPolicy ${held.rp} the pod stays Running and its Job never completes`);
  }
}

function readinessGates(a: PodAnalysis, push: Push): void {
  const gates = a.pod.spec?.readinessGates;
  if (!Array.isArray(gates)) return;
  const ready = condition(a.pod, 'Ready');
  for (const g of gates) {
    const type = g?.conditionType;
    if (typeof type !== 'string' || !type) continue;
    const cond = condition(a.pod, type);
    if (cond?.status === 'True') continue;
    const since = cond?.lastTransitionTime ?? ready?.lastTransitionTime ?? a.pod.metadata?.creationTimestamp ?? null;
    const msg = cond
      ? `readiness gate "${type}" is ${cond.status ?? 'unknown'}${cond.reason ? ` (${cond.reason}${cond.message ? `: ${oneLine(cond.message)}` : ''})` : ''}`
      : `readiness gate "${type}" has no condition on the pod yet: the controller that owns it has not reported`;
    push('ReadinessGateNotReady', null, since, `${msg}; the pod is not Ready even though its containers may be`);
  }
}

export function detectBlockers(a: PodAnalysis): Blocker[] {
  const out: Blocker[] = [];
  const push: Push = (code, c, since, message) => out.push({ code, container: c ? c.name : null, since: since ?? null, message });
  const pod = a.pod ?? {};
  const phase = pod.status?.phase ?? '';

  // Being deleted, in any phase: only an overrun of the grace period (or finalizers holding the
  // object after its containers ended) is a problem.
  if (pod.metadata?.deletionTimestamp) {
    terminationOverdue(a, push);
    return out;
  }
  if (phase === 'Succeeded') return out;

  if (schedulingGated(a, push)) return out;
  const scheduled = condition(pod, 'PodScheduled');
  if (scheduled?.status === 'False') {
    unschedulable(a, scheduled, push);
    return out;
  }

  if (phase === 'Failed') {
    podFailed(a, push);
    // A failed regular init container is the cause: say which, beside the pod's failure.
    initWalk(a, (code, c, since, message) => { if (code === 'InitContainerFailing') push(code, c, since, message); });
    return out;
  }

  if (sandboxNotReady(a, push)) return out;
  resizeNotApplied(a, push);

  const ready = condition(pod, 'Ready');
  if (phase === 'Running' && ready?.status === 'True') {
    // Ready now, but a liveness kill loop (before any back-off) is still a problem.
    for (const c of a.classified) if (c.kind !== 'ephemeral') containerUnhealthy(a, c, push);
    return out;
  }

  const initializedCond = condition(pod, 'Initialized');
  const initialized = initializedCond?.status === 'True' || a.classified.some((c) => c.kind === 'app' && everRan(c));
  if (!initialized) initWalk(a, push);
  runningChecks(a, initialized, push);
  if (initialized) {
    legacyBlocksCompletion(a, push);
    neverCompletes(a, push);
    readinessGates(a, push);
  }
  return out;
}
