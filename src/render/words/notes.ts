// Words for input notes (types.ts InputNote): what the model could not read in malformed input, per
// container, in the resources and for the pod. One phrase per problem, so every section says it alike.
import type { InputNote } from '../../model/types.js';

/** One note, e.g. "state.running is not an object", "restartCount is not a count (-1)". */
export function inputNote(n: InputNote): string {
  switch (n.problem) {
    case 'notObject': return `${n.field} is not an object`;
    case 'notNumber': return `${n.field} is not a number`;
    case 'notTime': return `${n.field} is not a time (${n.value})`;
    case 'notCount': return `${n.field} is not a count (${n.value})`;
    case 'notBoolean': return `${n.field} is not a boolean`;
    case 'notList': return `${n.field} is not a list`;
    case 'emptyState': return `${n.field} has none of waiting, running, terminated`;
    case 'noState': return 'status has no state';
    case 'noStatus': return 'no status reported for this container';
    case 'noName': return `spec has no name: shown as ${n.name}`;
    case 'absentFromSpec': return `status for a container absent from the spec (${n.field})`;
    case 'statusNoName': return `${n.field} has no name: it matches no container and was left out`;
    case 'malformedQuantity': return `${n.field}: ${n.name} quantity ${n.value} is malformed and was ignored`;
    case 'failed': return `${n.field} could not be worked out from this input (${n.value}): the section is left empty`;
  }
}

/** A pod-level note: a pod time it could not read is shown as unknown, and says so. */
export function podNote(n: InputNote): string {
  return n.problem === 'notTime' ? `${inputNote(n)}: shown as unknown` : inputNote(n);
}

/** A section with its `notes` in words and their facts beside them as `noteFacts` (none when it has none). */
export function withWordedNotes<N, T extends { notes?: N[] }>(o: T, word: (n: N) => string): Omit<T, 'notes'> & { notes?: string[]; noteFacts?: N[] } {
  const { notes, ...rest } = o;
  return notes ? { ...rest, notes: notes.map(word), noteFacts: notes } : rest;
}
