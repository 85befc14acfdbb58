// Words for the termination (model/termination.ts): each violation's `message` and the `notes`, from
// the order's facts (who ended when, with which exit). Here so the text's Termination section, JSON
// and the watch's termination line say the same.
import type { Termination, TerminationModel, TerminationNote } from '../../model/types.js';
import { withWordedNotes } from './notes.js';
import { disruptedBy, disruptionCondition } from './evidence.js';
import { joinNames, offsetFrom } from '../format.js';

/** One violation's `message`: `first` ended before `then`, which should have outlived it. */
export function violationMessage(t: Pick<TerminationModel, 'containers'>, v: TerminationModel['violations'][number]): string {
  const b = t.containers.find((c) => c.name === v.first);
  const a = t.containers.find((c) => c.name === v.then);
  const bk = b?.kind ?? '?', ak = a?.kind ?? '?';
  if (!v.cause) return `${v.first} (${bk}) terminated at ${b?.finishedAt} while ${v.then} (${ak}) was still running`;
  if (v.cause === 'sidecarExited') {
    return `${v.first} (sidecar) ${b?.reason === 'OOMKilled' ? 'was OOM-killed' : `exited with code ${b?.exitCode}`} on its own at ${b?.finishedAt}, before ${v.then} (${ak}) ended at ${a?.finishedAt}: a sidecar failure during shutdown, not the kubelet breaking the order (sidecars are not restarted while a pod terminates)`;
  }
  return `${v.first} (${bk}) terminated at ${b?.finishedAt}, before ${v.then} (${ak}) at ${a?.finishedAt}`;
}

/** One of the termination's `notes`. */
export function terminationNote(n: TerminationNote): string {
  switch (n.kind) {
    case 'appFinishUnknown': return 'the app containers terminated, but their finish times are unknown';
    case 'stillRunning': return `still running at the snapshot, not in the order yet: ${n.containers.join(', ')}`;
    case 'tie': return `${n.containers[0]} and ${n.containers[1]} tied in ${n.second ?? '?'} (no log line splits them)`;
    case 'unordered': return 'this server version (before 1.29) does not order sidecar termination';
  }
}

/** What started the termination, for the section's header: "pod Evicted", "pod evicted through the Eviction API (…)", "pod deleted". */
export function terminationCause(t: Pick<TerminationModel, 'trigger' | 'disruption'>, podReason: string | null): string {
  if (t.trigger === 'deletion' && t.disruption) return `pod ${disruptedBy(t.disruption)}`;
  if (podReason) return `pod ${podReason}`;
  return t.trigger === 'deletion' ? 'pod deleted' : 'app containers finished';
}

/** The section's "cause:" line: the DisruptionTarget condition a deletion was started with, or null. */
export function terminationCauseLine(t: Pick<TerminationModel, 'trigger' | 'disruption'>): string | null {
  return t.disruption ? disruptionCondition(t.disruption) : null;
}

/** The order line while no status shows a container ended: what the logs show of the signal, if anything. */
export function noneTerminatedYet(t: Pick<TerminationModel, 'signalled' | 'startedAt'>): string {
  const seen = t.signalled ?? [];
  if (!seen.length) return 'no container has terminated yet';
  const each = seen.map((s) => `${s.container} at ${offsetFrom(t.startedAt, s.time) ?? s.time} ("${s.line}")`);
  return `no container's status shows it terminated yet; the logs show the stop signal arrived: ${joinNames(each)}`;
}

/** The termination as the contract has it: violation messages and notes in words, note facts added. */
export function wordTermination(t: TerminationModel): Termination {
  return {
    ...withWordedNotes(t, terminationNote),
    violations: t.violations.map((v) => ({ first: v.first, then: v.then, message: violationMessage(t, v), ...(v.cause ? { cause: v.cause } : {}) })),
  };
}
