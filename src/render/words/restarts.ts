// Words for restart histories (model/restarts.ts): each piece of evidence and the KEP-5307 restart
// rule, from their facts. One place, so the text's Restarts section and JSON `evidence` agree.
import type { RestartEvidence, RestartHistory, RestartModel, RestartRuleFacts } from '../../model/types.js';
import { occurrences } from './events.js';

/** "Restart when the exit code is in [42]". */
export function restartRuleText(r: RestartRuleFacts): string {
  return `${r.action} when the exit code is ${r.operator === 'In' ? 'in' : 'not in'} [${r.values.join(', ')}]`;
}

const exitAt = (exitCode: number | null, reason: string | null, finishedAt: string | null) =>
  `exit ${exitCode ?? '?'}${reason ? ` ${reason}` : ''} at ${finishedAt ?? 'an unknown time'}`;

/** One line of a history's `evidence`. */
export function restartEvidence(f: RestartEvidence): string {
  switch (f.kind) {
    case 'kill': return `Killing "${f.message}" ${occurrences(f)}`;
    case 'postStartKill': return `killed by the kubelet after its postStart hook failed: Killing "${f.message}" ${occurrences(f)}`;
    case 'oomKilled': return `last termination was OOMKilled (exit ${f.exitCode ?? '?'}) at ${f.finishedAt ?? 'an unknown time'}`;
    case 'lastExit':
      return `last termination: ${exitAt(f.exitCode, f.reason, f.finishedAt)}${f.afterKill ? ', after the kill'
        : f.rule ? `, restarted by its restartPolicyRules (${restartRuleText(f.rule)}): a restart the spec asks for, not a crash` : ''}`;
    case 'noRecord':
      return f.rule
        ? `no termination record in the status; with restartPolicy Never only its restartPolicyRules (${restartRuleText(f.rule)}) restart it, so each restart was such an exit (inferred)`
        : 'no termination record in the status';
    case 'backOff': return `BackOff "back-off restarting failed container" ${f.events.map(occurrences).join(', ')}`;
    case 'crashLoopWaiting': return `waiting in CrashLoopBackOff${f.message ? `: ${f.message}` : ''}`;
    case 'killsUncounted':
      return `${f.kills} probe/definition kill(s) in events for ${f.restarts} restart(s): events may be lost or the kill may still be in progress`;
  }
}

/** One history as the contract has it: `evidence` and `restartRule` in words, their facts added. */
export function wordRestart(r: RestartModel): RestartHistory {
  const { restartRule: rule, ...rest } = r;
  return {
    ...rest,
    ...(rule !== undefined ? { restartRule: rule ? restartRuleText(rule) : null } : {}),
    evidence: r.evidence.map(restartEvidence),
    evidenceFacts: r.evidence,
    ...(rule !== undefined ? { restartRuleFacts: rule } : {}),
  };
}
