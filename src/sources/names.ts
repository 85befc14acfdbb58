// The syntax of Kubernetes names, as the API server validates them (apimachinery
// pkg/util/validation: IsDNS1123Label, IsDNS1123Subdomain; pkg/api/validation/path:
// IsValidPathSegmentName). A name goes into a URL path (`/api/v1/namespaces/NS/pods/NAME`): `.`,
// `..`, `/` and `%` there would name another path, so they are refused before any request, as
// client-go's request.go does; and a completion offers only names of this syntax (complete.ts).
import { UserError } from './errors.js';

const LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A namespace's syntax: lowercase letters, digits and '-', at most 63 characters. */
export function isDns1123Label(s: string): boolean {
  return s.length <= 63 && LABEL.test(s);
}

/** Most objects' names (pods, workloads): labels joined by '.', at most 253 characters. */
export function isDns1123Subdomain(s: string): boolean {
  return s.length <= 253 && s.split('.').every((part) => LABEL.test(part));
}

/** What client-go's IsValidPathSegmentName refuses in a name it puts in a path; null when fine. */
export function pathSegmentProblem(name: string): string | null {
  if (name === '.' || name === '..') return `may not be '${name}'`;
  for (const c of ['/', '%']) if (name.includes(c)) return `may not contain '${c}'`;
  return null;
}

/** A bad namespace or object name, refused before any request. */
export class NameError extends UserError {
  override name = 'NameError';
}

/** -n or the context's namespace: a DNS-1123 label, else one line saying so. */
export function checkNamespace(ns: string, from: string): string {
  if (!isDns1123Label(ns)) {
    throw new NameError(`invalid namespace ${JSON.stringify(ns)} (${from}): a namespace is lowercase letters, digits and '-', at most 63 characters`);
  }
  return ns;
}

/**
 * A kubeconfig's own names (contexts, clusters, users) offered to the shell: printable ASCII
 * without whitespace, quotes or the characters a shell expands ($ ` \ ! * ? [ ] { } ( ) ; & | < > #).
 */
export function isSafeWord(s: string): boolean {
  return s.length > 0 && s.length <= 253 && /^[A-Za-z0-9._:@/+=,~%^-]+$/.test(s);
}
