// The model's facts → the contract's sentences. The model (src/model/) returns facts with their
// sources; every English word the tool prints or puts in JSON is built under this folder, so the
// text and JSON renderers say the same thing, and a rule can change without touching its wording.
// JSON carries both: each sentence field keeps its contract name, its facts are added beside it.
import type { ContainerLifecycle, ContainerModel, PodLifecycle, PodLifecycleList, PodModel, PodModelList } from '../../model/types.js';
import { legacySidecarReason } from './legacy.js';
import { inputNote, podNote, withWordedNotes } from './notes.js';
import { wordRestart } from './restarts.js';
import { wordTermination } from './termination.js';
import { wordTimelineEntry } from './timeline.js';
import { wordWorkload } from './workloads.js';
import { wordAdvice } from './advice.js';
import { wordBlocker } from './blockers.js';
import { wordVerdict } from './verdict.js';
import { wordWait } from './waiting.js';

function wordContainer(c: ContainerModel): ContainerLifecycle {
  const legacy = c.legacySidecar;
  return {
    ...c,
    legacySidecar: legacy ? { reason: legacySidecarReason(legacy), ...legacy } : null,
    notes: c.notes.map(inputNote),
    noteFacts: c.notes,
  };
}


/** One pod's facts with the contract's sentences added (JSON carries both; text prints the sentences). */
export function wordPod(m: PodModel): PodLifecycle {
  return {
    ...withWordedNotes(m, podNote),
    containers: m.containers.map(wordContainer),
    timeline: m.timeline.map(wordTimelineEntry),
    restarts: m.restarts.map(wordRestart),
    termination: m.termination && wordTermination(m.termination),
    resources: withWordedNotes(m.resources, inputNote),
    blockers: m.blockers.map(wordBlocker),
    advice: m.advice.map(wordAdvice),
    verdict: wordVerdict(m.verdict),
    waitingOn: m.waitingOn.map(wordWait),
  };
}

export function wordList(list: PodModelList): PodLifecycleList {
  const { workloads, ...rest } = list;
  return { ...rest, ...(workloads ? { workloads: workloads.map(wordWorkload) } : {}), items: list.items.map(wordPod) };
}
