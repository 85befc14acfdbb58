// Small readers and constants shared by the model's rule modules: one home each (issue 14).
import type { Pod, PodCondition, Probe, ServerVersion } from './k8s.js';
import type { Disruption } from './types.js';
import type { PodEvent } from './events.js';
import type { Often, ProbeFailures, ProbeKind, ProbeSpec } from './findings.js';
import { ms } from './time.js';

/** A plain object (not null, not an array): how every rule reads untrusted input. */
export const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** A non-empty string, else null: how optional names, reasons and messages are read. */
export const strOrNull = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** A fresh container without readiness failures recorded is warming up, not blocked or worth advice. */
export const WARMUP_SECONDS = 10;

/** The kubelet's crash back-off event (`Back-off restarting failed container …`), not an image pull back-off. */
export const BACKOFF_RESTART = /^Back-off restarting failed container/i;

/**
 * major.minor of the API server: from `minor` ("28+" on some distributions) or `gitVersion`.
 * null when neither says.
 */
export function serverVersion(v: ServerVersion | null | undefined): { major: number; minor: number; text: string } | null {
  if (!v || typeof v !== 'object') return null;
  const major = parseInt(String(v.major ?? ''), 10);
  const minor = parseInt(String(v.minor ?? ''), 10);
  if (Number.isFinite(major) && Number.isFinite(minor)) return { major, minor, text: v.gitVersion ?? `v${major}.${minor}` };
  const m = /^v?(\d+)\.(\d+)/.exec(String(v.gitVersion ?? ''));
  return m ? { major: Number(m[1]), minor: Number(m[2]), text: String(v.gitVersion) } : null;
}

/**
 * A URL's query string may carry a token (`/healthz?token=…`): probe output quoted from the kubelet's
 * Unhealthy events keeps the URL's path and drops its query (docs/output-contract.md, never a secret).
 */
export function withoutQuery(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s"'?#]*)\?[^\s"'#]*/gi, '$1?…');
}

// ---------------------------------------------------------------- evidence readers (blockers, failures, advice)

const UNHEALTHY = /^(Readiness|Liveness|Startup) probe (?:failed|errored)(?: and resulted in \w+ state)?:?\s*([\s\S]*)$/;

/** Unhealthy events of one container and probe, merged (the kubelet splits them by message). */
export function probeFailures(events: PodEvent[], container: string, kind: ProbeKind): ProbeFailures | null {
  let out: ProbeFailures | null = null;
  let lastMs = -Infinity;
  for (const e of events) {
    if (e.reason !== 'Unhealthy' || e.container !== container) continue;
    const m = UNHEALTHY.exec(e.message.replace(/^\(combined from similar events\):\s*/, ''));
    if (!m || m[1] !== kind) continue;
    out ??= { kind, count: 0, first: null, last: null, output: '' };
    out.count += e.count;
    if (e.firstTime && (!out.first || (ms(e.firstTime) ?? 0) < (ms(out.first) ?? 0))) out.first = e.firstTime;
    const l = ms(e.lastTime) ?? -Infinity;
    if (l >= lastMs) {
      lastMs = l;
      out.last = e.lastTime;
      out.output = oneLine(withoutQuery(m[2]));
    }
  }
  return out;
}

/** How a probe is configured, for messages when no failure event is available. */
export function probeSpec(p: Probe | null | undefined): ProbeSpec {
  const count = (v: unknown, dflt: number) => (typeof v === 'number' && Number.isFinite(v) ? v : dflt);
  // the API server's defaults (pkg/apis/core/v1/defaults.go SetDefaults_Probe): period 10, timeout 1,
  // success 1, failure 3; initialDelaySeconds has none (0)
  const base = {
    periodSeconds: count(p?.periodSeconds, 10), failureThreshold: count(p?.failureThreshold, 3),
    initialDelaySeconds: count(p?.initialDelaySeconds, 0), timeoutSeconds: count(p?.timeoutSeconds, 1), successThreshold: count(p?.successThreshold, 1),
  };
  if (!p || typeof p !== 'object') return { handler: 'none', ...base };
  // How it is configured, never what it runs: an exec command line and a URL's query string carry
  // passwords and tokens (mysqladmin -p…, /healthz?token=…), and command lines are never printed.
  const port = (v: unknown) => (typeof v === 'number' || (typeof v === 'string' && /^[a-z0-9-]{1,15}$/i.test(v)) ? String(v) : '?');
  const plain = (v: unknown, max: number) => clip(String(v ?? '').replace(/[\u0000-\u001f\u007f-\u009f\s]/g, ''), max);
  if (p.httpGet) {
    const path = String(p.httpGet.path ?? '/').split(/[?#]/)[0].replace(/[\u0000-\u001f\u007f-\u009f\s]/g, '') || '/';
    const host = plain(p.httpGet.host, 60);
    return { handler: String(p.httpGet.scheme).toUpperCase() === 'HTTPS' ? 'HTTPS' : 'HTTP', path: clip(path, 60), port: port(p.httpGet.port), ...(host ? { host } : {}), ...base };
  }
  if (p.tcpSocket) {
    const host = plain(p.tcpSocket.host, 60);
    return { handler: 'TCP', port: port(p.tcpSocket.port), ...(host ? { host } : {}), ...base };
  }
  if (p.grpc) {
    const service = plain(p.grpc.service, 60);
    return { handler: 'gRPC', port: port(p.grpc.port), ...(service ? { service } : {}), ...base };
  }
  if (p.exec) {
    // the program alone (its first word's last path segment): the arguments are never read
    const argv = Array.isArray(p.exec.command) ? p.exec.command : [];
    const program = plain(String(argv[0] ?? '').split('/').pop(), 40);
    return { handler: 'exec', ...(program ? { program, args: argv.length > 1 } : {}), ...base };
  }
  return { handler: 'other', ...base };
}

// A registry or CNI error chain runs to a few hundred characters and kubectl prints it whole: only a
// runaway text (a 256 KB message) is clipped, the renderers wrap the rest.
export function oneLine(s: string | null | undefined): string {
  return clip(String(s ?? '').replace(/\s+/g, ' ').trim(), 4096);
}

/** Long error chains keep their start and their end (where the root cause is). */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  const head = Math.floor(max * 0.4);
  return `${s.slice(0, head)} … ${s.slice(s.length - (max - head - 3))}`;
}

export function eventsOf(events: PodEvent[], container: string | null, reason: string, message?: RegExp): PodEvent[] {
  return events.filter((e) => e.container === container && e.reason === reason && (!message || message.test(e.message)));
}

/** Merged count/first/last of several event objects, with the latest one's message. */
export function merged(evs: PodEvent[]): (Often & { message: string }) | null {
  if (!evs.length) return null;
  let count = 0, first: string | null = null, last: string | null = null, message = '';
  for (const e of evs) {
    count += e.count;
    if (e.firstTime && (!first || (ms(e.firstTime) ?? 0) < (ms(first) ?? 0))) first = e.firstTime;
    if (e.lastTime && (!last || (ms(e.lastTime) ?? 0) >= (ms(last) ?? 0))) { last = e.lastTime; message = e.message; }
  }
  return { count, first, last, message };
}

/** The count and span of merged events, without their message (what a finding keeps). */
export function often(m: Often | null | undefined): Often | null {
  return m ? { count: m.count, first: m.first, last: m.last } : null;
}

export function earliest(...ts: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const t of ts) if (typeof t === 'string' && ms(t) !== null && (best === null || ms(t)! < ms(best)!)) best = t;
  return best;
}

export function latest(...ts: (string | null | undefined)[]): string | null {
  let best: string | null = null;
  for (const t of ts) if (typeof t === 'string' && ms(t) !== null && (best === null || ms(t)! > ms(best)!)) best = t;
  return best;
}

/**
 * Who is disrupting the pod: the DisruptionTarget condition (True) that the eviction subresource
 * (EvictionByEvictionAPI), the scheduler's preemption (PreemptionByScheduler), the taint manager
 * (DeletionByTaintManager), the pod GC (DeletionByPodGC) or the kubelet (TerminationByKubelet) set
 * before the deletion (k8s.io/api/core/v1 types.go, PodReason* constants).
 */
export function disruptionOf(pod: Pod): Disruption | null {
  const d = condition(pod, 'DisruptionTarget');
  if (d?.status !== 'True' || typeof d.reason !== 'string' || !d.reason) return null;
  return { reason: d.reason, message: oneLine(d.message) || null, since: typeof d.lastTransitionTime === 'string' ? d.lastTransitionTime : null };
}

export function condition(pod: Pod, type: string): PodCondition | null {
  const cs = pod.status?.conditions;
  return (Array.isArray(cs) ? cs.find((c) => c && c.type === type) : null) ?? null;
}
