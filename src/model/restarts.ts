// Restart histories: how often each container restarted and why, from the status (restartCount,
// the last termination) and from kubelet events. Events are deduplicated by the kubelet: one
// Killing object with count N stands for N kills, so counts come from `count`, never from the
// number of objects; and events may be lost (TTL, spam filter), so what they do not explain is
// attributed from the last termination or left Unknown. Each history carries its evidence as facts
// (types.ts RestartEvidence); render/words/restarts.ts words them.
import type { ClassifiedContainer } from './classify.js';
import { eventFact, type PodEvent } from './events.js';
import type { ContainerModel, RestartCause, RestartEvidence, RestartModel, RestartRuleFacts } from './types.js';
import { readState, readTerminated, type TerminatedFacts } from './containers.js';
import { ms } from './time.js';
import { isObj, BACKOFF_RESTART } from './facts.js';

const KILL_CAUSES: [RegExp, RestartCause][] = [
  [/failed liveness probe/i, 'LivenessProbeFailed'],
  [/failed startup probe/i, 'StartupProbeFailed'],
  [/definition changed/i, 'DefinitionChanged'],
];
const CAUSE_ORDER: RestartCause[] = ['OOMKilled', 'LivenessProbeFailed', 'StartupProbeFailed', 'DefinitionChanged', 'Error', 'Completed', 'Unknown'];

function exitCause(t: TerminatedFacts): RestartCause {
  if (t.reason === 'OOMKilled') return 'OOMKilled';
  if (t.exitCode === 0) return 'Completed';
  if (t.exitCode !== null) return 'Error';
  return 'Unknown';
}

/**
 * KEP-5307 (beta 1.35): a regular container's restartPolicyRules entry whose exit codes match, e.g.
 * `{action: Restart, exitCodes: {operator: In, values: [42]}}`. Returns that rule, or null.
 */
export function matchingRestartRule(c: ClassifiedContainer, exitCode: number | null): RestartRuleFacts | null {
  const rules = Array.isArray(c.spec.restartPolicyRules) ? c.spec.restartPolicyRules : [];
  if (exitCode === null || c.kind !== 'app') return null;
  for (const r of rules) {
    const values = Array.isArray(r?.exitCodes?.values) ? r!.exitCodes!.values!.filter((v) => typeof v === 'number') : [];
    const op = r?.exitCodes?.operator;
    const hit = op === 'In' ? values.includes(exitCode) : op === 'NotIn' ? !values.includes(exitCode) : false;
    if (hit) return { action: r?.action ?? 'Restart', operator: op === 'In' ? 'In' : 'NotIn', values };
  }
  return null;
}

/** A regular container that restarts only through In-rules (its policy Never): the rule, and whether its codes are all non-zero. */
function ruleOnlyRestarts(c: ClassifiedContainer, podPolicy: string): { rule: RestartRuleFacts; nonZero: boolean } | null {
  if (c.kind !== 'app' || (c.spec.restartPolicy ?? podPolicy) !== 'Never') return null;
  const rules = (Array.isArray(c.spec.restartPolicyRules) ? c.spec.restartPolicyRules : []).filter((r) => r?.exitCodes?.operator === 'In' && Array.isArray(r.exitCodes.values));
  if (!rules.length) return null;
  const values = rules.flatMap((r) => r!.exitCodes!.values!.filter((v) => typeof v === 'number'));
  return { rule: { action: rules[0]?.action ?? 'Restart', operator: 'In', values }, nonZero: values.length > 0 && !values.includes(0) };
}

/**
 * Will the kubelet start this ended instance again? Sidecars always; a regular container by its own
 * restartPolicy (KEP-5307) or the pod's, and by a matching restart rule; never once the pod is over.
 */
function willRestart(c: ClassifiedContainer, exitCode: number | null, podPolicy: string, phase: string): boolean {
  if (phase === 'Succeeded' || phase === 'Failed') return false;
  if (c.kind === 'sidecar') return true;
  if (matchingRestartRule(c, exitCode)) return true;
  const policy = c.kind === 'app' && c.spec.restartPolicy ? c.spec.restartPolicy : podPolicy;
  return policy === 'Always' || (policy === 'OnFailure' && exitCode !== 0);
}

export function buildRestarts(classified: ClassifiedContainer[], containers: ContainerModel[], events: PodEvent[], pod: { restartPolicy: string; phase: string } = { restartPolicy: 'Always', phase: 'Running' }): RestartModel[] {
  const out: RestartModel[] = [];
  const lcOf = new Map(containers.map((c) => [c.name, c]));
  for (const c of classified) {
    const lc = lcOf.get(c.name);
    if (!lc) continue;
    const mine = events.filter((e) => e.container === c.name);
    const kills = mine.filter((e) => e.reason === 'Killing' && KILL_CAUSES.some(([re]) => re.test(e.message)));
    const backOffs = mine.filter((e) => e.reason === 'BackOff' && BACKOFF_RESTART.test(e.message));
    if (lc.restartCount === 0 && kills.length === 0 && backOffs.length === 0) continue;

    const status = isObj(c.status) ? c.status : null;
    const st = readState(status?.state);
    const lastState = isObj(status?.lastState) ? readTerminated((status!.lastState as Record<string, unknown>).terminated) : null;
    // The most recent termination: the current instance when it has ended and waits to restart.
    const currentEnded = st.name === 'terminated' ? ({ exitCode: st.exitCode, signal: st.signal, reason: st.reason, message: st.message, startedAt: st.startedAt, finishedAt: st.finishedAt } as TerminatedFacts) : null;
    // An ended instance that will not run again (a Job's last attempt) is the outcome, not a restart.
    const last = currentEnded && (lc.restartCount > 0 || backOffs.length > 0) && willRestart(c, currentEnded.exitCode, pod.restartPolicy, pod.phase) ? currentEnded : lastState;

    const causes = new Set<RestartCause>();
    const evidence: RestartEvidence[] = [];
    let explained = 0;
    for (const e of kills) {
      const cause = KILL_CAUSES.find(([re]) => re.test(e.message))![1];
      causes.add(cause);
      explained += e.count;
      evidence.push({ kind: 'kill', cause, ...eventFact(e) });
    }
    // A failed postStart hook is a kill too (no cause of the contract's set names it): the exit code
    // that follows is the container's answer to the signal, not why it restarted.
    for (const e of mine) {
      if (e.reason === 'Killing' && e.message === 'FailedPostStartHook') evidence.push({ kind: 'postStartKill', ...eventFact(e) });
    }
    if (last?.reason === 'OOMKilled') {
      causes.add('OOMKilled');
      evidence.push({ kind: 'oomKilled', exitCode: last.exitCode, finishedAt: last.finishedAt });
    }
    // KEP-5307: the restart rule behind the last restart (or, without a termination record, the
    // only rule that can restart this container), computed once for the evidence and the field.
    let restartRule: RestartRuleFacts | null = null;
    if (last) {
      const lastByProbe = kills.some((e) => killedThisInstance(e, last));
      const rule = (restartRule = matchingRestartRule(c, last.exitCode));
      const lastExit = { kind: 'lastExit' as const, exitCode: last.exitCode, reason: last.reason, finishedAt: last.finishedAt, rule };
      if (!lastByProbe && last.reason !== 'OOMKilled') {
        causes.add(exitCause(last));
        evidence.push({ ...lastExit, afterKill: false });
      } else if (lastByProbe) {
        evidence.push({ ...lastExit, afterKill: true });
      }
      // With only the last termination to go on, earlier restarts are taken to be alike (a crash
      // loop repeats); with kill events that do not cover every restart, the rest is Unknown.
      const accounted = explained + (lastByProbe ? 0 : 1);
      if (lc.restartCount > accounted && kills.length > 0) causes.add('Unknown');
    } else if (lc.restartCount > explained) {
      const inferred = ruleOnlyRestarts(c, pod.restartPolicy);
      restartRule = inferred?.rule ?? null;
      if (inferred) {
        // The kubelet drops lastState once the pod is over; a container whose own policy is Never
        // restarts only when a rule matches: the rule's exit codes are the cause (an inference).
        causes.add(inferred.nonZero ? 'Error' : 'Unknown');
      } else {
        causes.add('Unknown');
      }
      evidence.push({ kind: 'noRecord', rule: restartRule });
    }
    if (causes.size === 0) causes.add('Unknown');

    let backOff: RestartModel['backOff'] = null;
    if (backOffs.length) {
      const n = backOffs.reduce((s, e) => s + e.count, 0);
      let lastAt: string | null = null;
      for (const e of backOffs) if (e.lastTime && (!lastAt || (ms(e.lastTime) ?? 0) > (ms(lastAt) ?? 0))) lastAt = e.lastTime;
      backOff = { events: n, lastAt };
      evidence.push({ kind: 'backOff', events: backOffs.map(eventFact) });
    }
    if (st.name === 'waiting' && st.reason === 'CrashLoopBackOff') evidence.push({ kind: 'crashLoopWaiting', message: st.message });
    if (kills.length && explained !== lc.restartCount) evidence.push({ kind: 'killsUncounted', kills: explained, restarts: lc.restartCount });

    out.push({
      container: c.name,
      count: lc.restartCount,
      last: last ? { exitCode: last.exitCode, reason: last.reason, startedAt: last.startedAt, finishedAt: last.finishedAt } : null,
      causes: CAUSE_ORDER.filter((x) => causes.has(x)),
      backOff,
      restartRule,
      kind: c.kind,
      evidence,
    });
  }
  return out;
}

/** Did this kill end that instance? It ran when the kill was decided, and ended soon after (within a grace period). */
function killedThisInstance(e: PodEvent, t: TerminatedFacts): boolean {
  const fin = ms(t.finishedAt);
  const start = ms(t.startedAt);
  if (fin === null) return false;
  // A kill from any occurrence of this event object: between first and last time.
  const first = ms(e.firstTime);
  const lastK = ms(e.lastTime) ?? first;
  if (first === null || lastK === null) return false;
  if (start !== null && lastK < start - 1000) return false;
  // The latest kill ended it: SIGKILL follows within the probe's grace (default 30 s, bounded here by 5 min).
  return fin >= lastK - 1000 && fin <= lastK + 300_000;
}
