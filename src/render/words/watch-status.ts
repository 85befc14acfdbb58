// The words of the watch's status line (src/cli/status-line.ts draws it on a terminal only):
// what the watch is doing, and, once the API server has not answered for NO_ANSWER_MS, what it
// is waiting for. Figures only from the caller: the tracker's counts, the times it measured.

/** After this long without an answer the status says what it is waiting for. */
export const NO_ANSWER_MS = 30_000;

export interface WatchStatus {
  phase: 'connect' | 'list' | 'watch';
  /** When the phase began (ms). */
  since: number;
  /** When the last update came (ms; 0: none yet). */
  lastUpdate: number;
  /** A notice of the engine (reconnecting…) shown until the next update. */
  notice: string | null;
}

export function watchStatusText(s: WatchStatus, counts: { pods: number; blocked: number }, where: string, server: string, now: number): string {
  const waited = now - s.since;
  switch (s.phase) {
    case 'connect':
      return waited >= NO_ANSWER_MS ? `no answer from ${server} for ${sinceText(waited)}: waiting for the pods to watch` : `connecting to ${server}…`;
    case 'list':
      return waited >= NO_ANSWER_MS ? `no answer from ${server} for ${sinceText(waited)}: waiting for the list of pods in ${where}` : `listing pods in ${where}…`;
    case 'watch': {
      if (s.notice) return s.notice;
      const pods = `watching ${counts.pods} pod${counts.pods === 1 ? '' : 's'} in ${where}`;
      const blocked = counts.blocked ? ` · ${counts.blocked} blocked` : '';
      const last = s.lastUpdate ? ` · last update ${sinceText(now - s.lastUpdate)} ago` : '';
      return `${pods}${blocked}${last}`;
    }
  }
}

/** "4s", "2m05s": how long ago the last update came. */
export function sinceText(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}
