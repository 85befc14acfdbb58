// Small readers and constants shared by the model's rule modules: one home each (issue 14).
import type { ServerVersion } from './k8s.js';

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
