// One event shape from the two event APIs. core/v1 and events.k8s.io/v1 are two views of the same
// stored objects, so the same event may arrive twice: deduplicated by uid (else namespace/name).
// The kubelet deduplicates repeats itself (count, first/last timestamp): one object may stand for
// many occurrences, and only the first and last times survive.
import type { CoreEvent, EventsV1Event } from './k8s.js';
import type { EventFact } from './types.js';
import { ms } from './time.js';
import { strOrNull, withoutQuery } from './facts.js';

export type ContainerList = 'initContainers' | 'containers' | 'ephemeralContainers';

export interface PodEvent {
  key: string;
  reason: string;
  message: string;
  type: string;
  /** Occurrences this object stands for (count or series.count; at least 1). */
  count: number;
  firstTime: string | null;
  lastTime: string | null;
  container: string | null;
  containerList: ContainerList | null;
  component: string | null;
}

const FIELD_PATH = /^spec\.(initContainers|containers|ephemeralContainers)\{(.+)\}$/;


function isV1(e: CoreEvent | EventsV1Event): e is EventsV1Event {
  return 'regarding' in e || 'note' in e || (typeof e.apiVersion === 'string' && e.apiVersion.startsWith('events.k8s.io'));
}

/** The fields each API names its own way (events.k8s.io/v1 renamed core/v1's), read once. */
function apiFields(e: CoreEvent | EventsV1Event) {
  if (isV1(e)) {
    return { ref: e.regarding, message: e.note, count: e.deprecatedCount, first: e.deprecatedFirstTimestamp, last: e.deprecatedLastTimestamp, component: strOrNull(e.reportingController) ?? strOrNull(e.deprecatedSource?.component) };
  }
  return { ref: e.involvedObject, message: e.message, count: e.count, first: e.firstTimestamp, last: e.lastTimestamp, component: strOrNull(e.source?.component) ?? strOrNull(e.reportingComponent) };
}

export function normalizeEvent(e: CoreEvent | EventsV1Event): PodEvent | null {
  if (!e || typeof e !== 'object') return null;
  const { ref, message, component, ...f } = apiFields(e);
  const count = e.series?.count ?? f.count;
  const first = strOrNull(f.first) ?? strOrNull(e.eventTime);
  const last = strOrNull(e.series?.lastObservedTime) ?? strOrNull(f.last) ?? strOrNull(e.eventTime) ?? first;
  const reason = strOrNull(e.reason);
  if (!reason) return null;
  const fp = typeof ref?.fieldPath === 'string' ? FIELD_PATH.exec(ref.fieldPath) : null;
  const meta = e.metadata ?? {};
  return {
    key: strOrNull(meta.uid) ?? `${meta.namespace ?? ''}/${meta.name ?? ''}/${reason}/${first ?? ''}/${message ?? ''}`,
    reason,
    message: typeof message === 'string' ? message : '',
    type: strOrNull(e.type) ?? 'Normal',
    count: typeof count === 'number' && count > 0 ? Math.floor(count) : 1,
    firstTime: first,
    lastTime: last,
    container: fp ? fp[2] : null,
    containerList: fp ? (fp[1] as ContainerList) : null,
    component,
  };
}

/** Normalized, deduplicated (keeping the most-updated copy), sorted by first time. */
export function normalizeEvents(raw: (CoreEvent | EventsV1Event)[]): PodEvent[] {
  const byKey = new Map<string, PodEvent>();
  for (const e of Array.isArray(raw) ? raw : []) {
    const n = normalizeEvent(e);
    if (!n) continue;
    const prev = byKey.get(n.key);
    if (!prev || n.count > prev.count || (ms(n.lastTime) ?? 0) > (ms(prev.lastTime) ?? 0)) byKey.set(n.key, n);
  }
  return [...byKey.values()].sort((a, b) => (ms(a.firstTime) ?? 0) - (ms(b.firstTime) ?? 0));
}

/** An event as evidence in the model's facts: its own message (a URL's query dropped, never a secret), count and times. */
export function eventFact(e: PodEvent): EventFact {
  return { reason: e.reason, message: withoutQuery(e.message), count: e.count, firstTime: e.firstTime, lastTime: e.lastTime };
}
