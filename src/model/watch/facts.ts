// What the watch model returns: one fact per line to print, with the fields the line's words are
// made of (src/render/words/watch.ts) and the contract's JSON extras, never a sentence of its own.
import type { BlockerFinding, LastWords } from '../findings.js';
import type { ContainerKind, ContainerModel, PodModel, TerminationModel, TimelineFact, TimelineType } from '../types.js';

export type WatchLineType = TimelineType | 'State' | 'Blocker' | 'Termination' | 'PodDeleted' | 'Log' | 'LogStart' | 'LogEnd';

/** What every watch fact and line starts with (render/words/watch.ts WatchLine adds its words). */
export interface WatchHead {
  /** When it happened (RFC 3339), as the evidence says, or `now` for what the watch itself saw. */
  time: string;
  namespace: string;
  pod: string;
  container: string | null;
  type: WatchLineType;
  kind?: ContainerKind;
}

/** A timeline mark of the lifecycle (worded as describe words it: render/words/timeline.ts). */
export interface MarkFact extends WatchHead {
  fact: 'mark';
  entry: TimelineFact;
  /**
   * A failed instance's own words (Terminated, non-zero or OOMKilled), filled in by the watch's
   * session from the pod status and one log request (sources/last-words.ts); `unread`: why the
   * log line was not read.
   */
  lastWords?: LastWords & { unread?: LastWordsUnread };
}

/** Why a failed instance's last log line was not read: over the request rate, no answer in time, the server refused, or it sent no line of this instance. */
export type LastWordsUnread = { why: 'rate'; perSecond: number } | { why: 'timeout'; ms: number } | { why: 'refused' } | { why: 'empty' };

/** One new occurrence of an event the contract shows (Pulling … ProbeFailed). */
export interface OccurrenceFact extends WatchHead {
  fact: 'occurrence';
  reason: string;
  message: string;
  count: number;
}

/** A blocker that appeared, or cleared. */
export interface BlockerFact extends WatchHead {
  fact: 'blocker';
  blocker: BlockerFinding;
  cleared: boolean;
}

/** The termination order, once, when the pod is over. */
export interface TerminationFact extends WatchHead {
  fact: 'termination';
  termination: TerminationModel;
}

export interface DeletedFact extends WatchHead {
  fact: 'deleted';
}

/** The compact state printed when the watch connects: the pod's line. */
export interface PodStateFact extends WatchHead {
  fact: 'podState';
  state: PodModel['pod'];
}

/** The compact state: one line per container. */
export interface ContainerStateFact extends WatchHead {
  fact: 'containerState';
  state: ContainerModel;
  /** The latest event-sourced mark newer than the status's start (the events stream is ahead). */
  ahead: { type: TimelineType; time: string } | null;
}

/**
 * `watch --logs` (sources/log-follow.ts): a line of a followed instance's log (Log, its time the
 * kubelet's stamp), or the start (LogStart, at the instance's start) or end (LogEnd, at the watch's
 * clock) of its stream.
 */
export interface LogFact extends WatchHead {
  fact: 'log';
  type: 'Log' | 'LogStart' | 'LogEnd';
  /** The instance: its restart count when it was seen running, and its start. */
  instance: number;
  startedAt: string;
  text: string;
  /** The line was longer than the limit: cut there. */
  cut: boolean;
  /** The line had no timestamp: `time` is when it was received. */
  received?: boolean;
  /** LogEnd: the stream failed with this (else the instance ended). */
  error?: string | null;
}

export type WatchFact = MarkFact | OccurrenceFact | BlockerFact | TerminationFact | DeletedFact | PodStateFact | ContainerStateFact | LogFact;
