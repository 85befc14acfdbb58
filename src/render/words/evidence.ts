// Phrases for the evidence that blockers, advice and the verdict share (how often, how an instance
// ended, what a probe checks, a container's last words, a lost node): one wording each, so the same
// fact reads the same in every sentence (model/findings.ts has the facts).
import type { ExitFacts, Holds, LastWords, LegacyLook, MemoryLimit, NodeLost, Often, ProbeFailures, ProbeSpec, SidecarLook } from '../../model/findings.js';
import type { Disruption } from '../../model/types.js';
import { secondsBetween } from '../../model/time.js';
import { joinNames, humanDuration } from '../format.js';
import { legacySidecarReason } from './legacy.js';

/** "12 times in 2m", "twice in 2s", "once"; with a noun: "2 attempts in 6s", "1 attempt". */
export function howOften(o: Often, noun?: [string, string]): string {
  const { count } = o;
  const times = noun ? `${count} ${count === 1 ? noun[0] : noun[1]}` : count === 1 ? 'once' : count === 2 ? 'twice' : `${count} times`;
  const span = secondsBetween(o.first, o.last);
  return count > 1 && span !== null ? `${times} in ${humanDuration(span)}` : times;
}

/** "once", "3 times" (a restart count). */
export function times(n: number): string {
  return n === 1 ? 'once' : `${n} times`;
}

/** "exited with code 1 (Error)", "exited with an unknown code", "exited" (no terminated state). */
export function exitText(e: ExitFacts | null): string {
  if (!e) return 'exited';
  const code = e.exitCode !== null ? `code ${e.exitCode}` : 'an unknown code';
  return `exited with ${code}${e.reason ? ` (${e.reason})` : ''}`;
}

/**
 * The probe as kubectl describe prints it (DescribeProbe):
 * "http-get http://:8080/ready delay=0s timeout=1s period=10s #success=1 #failure=3"; an exec probe
 * names its program only ("exec [sh (arguments not shown)]"), never its command line.
 */
export function probeText(p: ProbeSpec): string {
  const attrs = `delay=${p.initialDelaySeconds}s timeout=${p.timeoutSeconds}s period=${p.periodSeconds}s #success=${p.successThreshold} #failure=${p.failureThreshold}`;
  const hostPort = `${p.host ?? ''}:${p.port}`;
  const what = p.handler === 'none' ? 'no probe'
    : p.handler === 'HTTP' || p.handler === 'HTTPS' ? `http-get ${p.handler.toLowerCase()}://${hostPort}${p.path}`
    : p.handler === 'TCP' ? `tcp-socket ${hostPort}`
    : p.handler === 'gRPC' ? `grpc <pod>:${p.port}${p.service ? ` ${p.service}` : ''}`
    : p.handler === 'exec' ? `exec [${p.program ?? '?'}${p.args ? ' (arguments not shown)' : ''}]` : 'unknown';
  return p.handler === 'none' ? what : `${what} ${attrs}`;
}

/** "readiness probe failing (12 times in 2m): HTTP probe failed with statuscode: 503". */
export function failuresText(f: ProbeFailures, verb = 'failing', probe?: ProbeSpec): string {
  return `${f.kind.toLowerCase()} probe${probe ? ` (${probeText(probe)})` : ''} ${verb} (${howOften(f)})${f.output ? `: ${f.output}` : ''}`;
}

/** "startup probe failing (…)", or what it checks when no failure was recorded. */
export function startupText(probe: ProbeSpec, failures: ProbeFailures | null): string {
  return failures ? failuresText(failures, 'failing', probe) : `startup probe (${probeText(probe)}) has not passed yet`;
}

/** `last log line: "…"; termination message: "…"` (each when there is one), else ''. */
export function lastWordsText(w: LastWords): string {
  const words: string[] = [];
  if (w.lastLogLine) words.push(`last log line: "${w.lastLogLine}"`);
  // the termination-log is often the only cause there is; FallbackToLogsOnError repeats the log's tail
  if (w.terminationMessage && w.terminationMessage !== w.lastLogLine) words.push(`termination message: "${w.terminationMessage}"`);
  return words.join('; ');
}

/** "at its memory limit of 200Mi", "with no memory limit set" (an OOM kill's limit). */
export function memoryLimitText(m: MemoryLimit): string {
  if (!m.value) return 'with no memory limit set on the container or the pod (the node ran short of memory, or the cgroup of the pod did)';
  return `at its memory limit of ${m.value}${m.from === 'pod' ? ' (the pod-level limit)' : m.from === 'status' ? ' (as applied by the runtime)' : ''}`;
}

const EFFECT: Record<Holds['effect'], string> = {
  none: '',
  podPending: '; the pod stays Pending',
  initStuck: '; it never started, so initialization is stuck',
  podNotReady: '; the pod is not Ready',
  podNotReadyUntilStarted: '; the pod is not Ready until it has',
};

/** "; app waits for it", "; migrate and app wait for it" (none: ''). */
export function waitsText(waiting: string[]): string {
  return waiting.length ? `; ${joinNames(waiting)} ${waiting.length === 1 ? 'waits' : 'wait'} for it` : '';
}

/** What a blocked container holds back, as the tail of its blocker's sentence. */
export function holdsText(h: Holds): string {
  return `${waitsText(h.waiting)}${EFFECT[h.effect]}`;
}

/** "Ready=Unknown NodeLost", "reason NodeLost", "NodeNotReady: …". */
export function nodeLostText(n: NodeLost): string {
  switch (n.kind) {
    case 'readyUnknown': return `Ready=Unknown${n.reason ? ` ${n.reason}` : ''}`;
    case 'reasonNodeLost': return 'reason NodeLost';
    case 'taintManagerEviction': return `DisruptionTarget DeletionByTaintManager${n.message ? `: ${n.message}` : ''}`;
    case 'nodeNotReady': return `NodeNotReady: ${n.message}`;
  }
}

/** Why a container is taken for a (legacy) sidecar: "well-known sidecar name istio-proxy (Istio)". */
export function legacyText(l: LegacyLook | SidecarLook): string {
  return legacySidecarReason(l);
}

/** Who disrupts the pod, by the DisruptionTarget reasons of k8s.io/api/core/v1 (PodReason*); an unknown reason as it stands. */
const DISRUPTED_BY: Record<string, string> = {
  EvictionByEvictionAPI: 'evicted through the Eviction API',
  PreemptionByScheduler: 'preempted by the scheduler to make room for a pod it ranks higher',
  PreemptionByKubeScheduler: 'preempted by the scheduler to make room for a pod it ranks higher',
  DeletionByTaintManager: 'deleted by the taint manager (a NoExecute taint the pod does not tolerate)',
  DeletionByPodGC: 'deleted by the pod garbage collector',
  TerminationByKubelet: 'terminated by the kubelet',
};

/** "evicted through the Eviction API", else the condition's reason as it stands ("DisruptionTarget X"). */
export function disruptedBy(d: Disruption): string {
  return DISRUPTED_BY[d.reason] ?? `disrupted (DisruptionTarget ${d.reason})`;
}

/** `DisruptionTarget EvictionByEvictionAPI: "Eviction API: evicting"`: the condition as evidence. */
export function disruptionCondition(d: Disruption): string {
  return `DisruptionTarget ${d.reason}${d.message ? `: "${d.message}"` : ''}`;
}

/** "evicted through the Eviction API (DisruptionTarget EvictionByEvictionAPI: "Eviction API: evicting")". */
export function disruptionText(d: Disruption): string {
  return DISRUPTED_BY[d.reason] ? `${DISRUPTED_BY[d.reason]} (${disruptionCondition(d)})` : disruptionCondition(d);
}
