// The model's facts → the contract's sentences. The model (src/model/) returns facts with their
// sources; every English word the tool prints or puts in JSON is built under this folder, so the
// text and JSON renderers say the same thing, and a rule can change without touching its wording.
import type { PodLifecycle, PodLifecycleList, PodModel, PodModelList } from '../../model/types.js';
import { wordAdvice } from './advice.js';
import { wordBlocker } from './blockers.js';
import { wordVerdict } from './verdict.js';

/** One pod's facts with the contract's sentences added (JSON carries both; text prints the sentences). */
export function wordPod(m: PodModel): PodLifecycle {
  return { ...m, blockers: m.blockers.map(wordBlocker), advice: m.advice.map(wordAdvice), verdict: wordVerdict(m.verdict) };
}

export function wordList(list: PodModelList): PodLifecycleList {
  return { ...list, items: list.items.map(wordPod) };
}
