// Golden watch transcripts: test/golden/watch/<scenario>.jsonl is what `watch -o json --now <first
// recorded receive time>` printed over the uninterrupted recorded streams (see test/golden/watch/README.md).
// The expected lines therefore come from a reviewed file, not from WatchTracker (the code under test).
// A missing file fails; UPDATE_GOLDEN=1 (re)writes it from the run at hand.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WatchLine } from '../../src/render/words/watch.js';

export const GOLDEN_WATCH_DIR = fileURLToPath(new URL('../golden/watch/', import.meta.url));
export const UPDATING = process.env.UPDATE_GOLDEN === '1';

/**
 * The golden lines of a scenario. With UPDATE_GOLDEN=1, `stdout` (an uninterrupted run's output), when
 * given, is written first; otherwise a missing file is an error, never written and compared with itself.
 */
export function golden(scenario: string, stdout?: string): WatchLine[] {
  const file = `${GOLDEN_WATCH_DIR}${scenario}.jsonl`;
  if (UPDATING && stdout !== undefined) {
    mkdirSync(GOLDEN_WATCH_DIR, { recursive: true });
    writeFileSync(file, stdout);
  }
  if (!existsSync(file)) throw new Error(`missing golden transcript ${file}: run UPDATE_GOLDEN=1 npx jest test/watch/watch.test.ts and review the diff`);
  return readFileSync(file, 'utf8').split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as WatchLine);
}

/**
 * What must be equal between two runs, whatever the interleaving of the pods and events streams:
 * the time of a line first seen in the event (second precision) or the status (sub-second) may
 * differ, and so may the wording of a first sighting; the identity of the line may not. Event
 * occurrences keep their time and detail (they come from one event object), Terminated its second.
 */
export function identity(l: WatchLine): string {
  const occurrence = EVENT_ONLY.has(l.type) ? `${l.time} ${l.detail}` : '';
  const term = l.type === 'Termination' ? (l.order ?? []).join('>') : '';
  const sec = l.type === 'Terminated' ? l.time.slice(0, 19) : '';
  return [l.container ?? '-', l.type, l.code ?? '', l.cleared ? 'cleared' : '', occurrence, term, sec].join('|');
}

/** Lines only an event brings (src/model/timeline.ts maps event reasons to these types). */
const EVENT_ONLY = new Set(['Pulling', 'Pulled', 'Created', 'Killing', 'BackOff', 'ProbeFailed']);

/** Blockers whose appearance depends on `now` (warm-up, overdue, long-running): re-judged at any update. */
export const TIME_DRIVEN = new Set(['ContainerNotReady', 'TerminationOverdue', 'InitContainerNotExiting', 'InitContainerRunning',
  // past a probe's budget (src/model/budgets.ts), or a crash loop until the back-off's reset window
  'SidecarNotReady', 'SidecarNotStarted', 'SidecarCrashLooping', 'ContainerCrashLooping', 'InitContainerFailing']);

/**
 * How two transcripts are compared, per pod (namespace/pod). The pods and events streams are two
 * connections: which one brings a fact first races, in a live cluster too. A mark (Started,
 * StartupSucceeded, Terminated, the pod conditions) may be first seen in an event or in the status,
 * so the interleaving of marks of different containers, and of containers with the pod, is not
 * fixed (job-native-sidecar: client's Started event may come before or after the status that says
 * api's startup probe succeeded and the pod initialized). What each stream says moves forward, so the
 * first sighting of each mark keeps these orders, compared as ordered lists:
 *  - each container's own marks (Started, StartupSucceeded, Terminated, again per instance);
 *  - the Started lines of all containers (the start order: init, sidecars, apps);
 *  - the Terminated lines of all containers (the shutdown order);
 *  - the pod's own lines (Scheduled, PodInitialized, PodReady, PodCompleted, DeletionRequested);
 *  - the event-only lines (Pulling, Pulled, Created, Killing, BackOff, ProbeFailed), one stream.
 * Compared as sets, because either outcome is right depending on the race:
 *  - Ready and NotReady: whether an instance of a restarting container shows Ready before its next
 *    crash depends on which stream brings its news first (a status with ready=true, or the event
 *    of the next kill), so a flip may be printed or not, once each;
 *  - Blocker lines (appear and clear): a blocker judged on one stream's evidence may show until the
 *    other stream's evidence arrives (a flap), and a time-driven one (TIME_DRIVEN) may show at any
 *    update after its time has come, so extra ones of those codes are allowed.
 * Returns, per pod, what differs; an empty object when the transcripts agree.
 */
export function differences(got: WatchLine[], want: WatchLine[]): Record<string, unknown> {
  const pods = (ls: WatchLine[]) => {
    const m = new Map<string, WatchLine[]>();
    for (const l of ls) {
      const k = `${l.namespace}/${l.pod}`;
      if (!m.has(k)) m.set(k, []);
      m.get(k)!.push(l);
    }
    return m;
  };
  const g = pods(got);
  const w = pods(want);
  const out: Record<string, unknown> = {};
  for (const pod of new Set([...g.keys(), ...w.keys()])) {
    const a = orders(g.get(pod) ?? []);
    const b = orders(w.get(pod) ?? []);
    const d: Record<string, unknown> = {};
    for (const k of new Set([...Object.keys(a.ordered), ...Object.keys(b.ordered)])) {
      const x = a.ordered[k] ?? [];
      const y = b.ordered[k] ?? [];
      if (JSON.stringify(x) !== JSON.stringify(y)) d[k] = { got: x, want: y };
    }
    if (JSON.stringify([...a.readiness].sort()) !== JSON.stringify([...b.readiness].sort())) d.readiness = { got: [...a.readiness].sort(), want: [...b.readiness].sort() };
    // A time-driven blocker raised and cleared in one transcript (a flash: the evidence-following
    // clock ran ahead on one stream) may be absent from another run.
    const flash = (x: string) => { const [c, t, code] = x.split('|'); return TIME_DRIVEN.has(code) && b.blockers.has(`${c}|${t}|${code}||||`) && b.blockers.has(`${c}|${t}|${code}|cleared|||`); };
    const missing = [...b.blockers].filter((x) => !a.blockers.has(x) && !flash(x));
    const extra = [...a.blockers].filter((x) => !b.blockers.has(x) && !TIME_DRIVEN.has(x.split('|')[2]));
    if (missing.length) d.missingBlockers = missing;
    if (extra.length) d.extraBlockers = extra;
    if (Object.keys(d).length) out[pod] = d;
  }
  return out;
}

function orders(ls: WatchLine[]) {
  const flappy = (l: WatchLine) => l.type === 'Ready' || l.type === 'NotReady';
  const marks = ls.filter((l) => !EVENT_ONLY.has(l.type) && !flappy(l) && l.type !== 'Blocker');
  const ordered: Record<string, string[]> = {
    'event lines': ls.filter((l) => EVENT_ONLY.has(l.type)).map(identity),
    'pod lines': marks.filter((l) => l.container === null).map(identity),
    'Started order': marks.filter((l) => l.type === 'Started').map(identity),
    'Terminated order': marks.filter((l) => l.type === 'Terminated').map(identity),
  };
  for (const l of marks) if (l.container !== null) (ordered[`container ${l.container}`] ??= []).push(identity(l));
  return {
    ordered,
    readiness: new Set(ls.filter(flappy).map(identity)),
    blockers: new Set(ls.filter((l) => l.type === 'Blocker').map(identity)),
  };
}
