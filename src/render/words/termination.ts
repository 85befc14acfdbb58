// Words for the termination (model/termination.ts): each violation's `message` and the `notes`, from
// the order's facts (who ended when, with which exit). Here so the text's Termination section, JSON
// and the watch's termination line say the same.
import type { Termination, TerminationModel, TerminationNote } from '../../model/types.js';
import { withWordedNotes } from './notes.js';

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

/** The termination as the contract has it: violation messages and notes in words, note facts added. */
export function wordTermination(t: TerminationModel): Termination {
  return {
    ...withWordedNotes(t, terminationNote),
    violations: t.violations.map((v) => ({ first: v.first, then: v.then, message: violationMessage(t, v), ...(v.cause ? { cause: v.cause } : {}) })),
  };
}
