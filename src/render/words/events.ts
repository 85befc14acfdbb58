// Words for an event quoted as evidence (model/events.ts eventFact): how often and when. Shared by
// the timeline's details and the restart evidence, which say the same repeats the same way.
import type { EventFact } from '../../model/types.js';
import { withoutQuery } from '../../model/facts.js';

/** " (×N, last at T)" for an event object standing for N occurrences; "" for one. */
export function repeats(e: Pick<EventFact, 'count' | 'firstTime' | 'lastTime'>): string {
  return e.count > 1 ? ` (×${e.count}${e.lastTime && e.lastTime !== e.firstTime ? `, last at ${e.lastTime}` : ''})` : '';
}

/** "×N between A and B", "×N at A" or "at A": when an event object's occurrences happened. */
export function occurrences(e: Pick<EventFact, 'count' | 'firstTime' | 'lastTime'>): string {
  if (e.count > 1 && e.lastTime && e.lastTime !== e.firstTime) return `×${e.count} between ${e.firstTime} and ${e.lastTime}`;
  return e.count > 1 ? `×${e.count} at ${e.firstTime}` : `at ${e.firstTime ?? 'an unknown time'}`;
}

/** "Liveness probe failed: HTTP probe failed with statuscode: 500" → "liveness probe failed: HTTP …". */
export function probePhrase(message: string): string {
  const m = withoutQuery(message).replace(/\s+$/, '').replace(/\n+/g, ' ').replace(/:\s*$/, '');
  return m ? m[0].toLowerCase() + m.slice(1) : m;
}
