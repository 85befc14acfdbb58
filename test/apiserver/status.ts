// Status bodies exactly as kube-apiserver writes them (field order included), so clients
// and tests see the same bytes they would get from a real cluster.

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

export function status(code: number, reason: string, message: string, details?: Record<string, unknown>, metadata: Record<string, unknown> = {}): StatusBody {
  const s: StatusBody = { kind: 'Status', apiVersion: 'v1', metadata, status: 'Failure', message, reason, code };
  if (details) {
    // keep `code` last, as the real server does
    delete (s as Partial<StatusBody>).code;
    s.details = details;
    s.code = code;
  }
  return s;
}

/** "pods", "jobs.batch", "events.events.k8s.io": how the API server names a resource in messages. */
export function qualified(resource: string, group: string): string {
  return group ? `${resource}.${group}` : resource;
}

function details(resource: string, group: string, name?: string): Record<string, unknown> {
  const d: Record<string, unknown> = {};
  if (name !== undefined) d.name = name;
  if (group) d.group = group;
  d.kind = resource;
  return d;
}

export function notFound(resource: string, group: string, name: string): StatusBody {
  return status(404, 'NotFound', `${qualified(resource, group)} "${name}" not found`, details(resource, group, name));
}

export const FORBIDDEN_USER = 'system:serviceaccount:test:viewer';

export function forbidden(verb: string, resource: string, group: string, subresource: string | undefined, namespace: string | undefined, name?: string): StatusBody {
  const what = name !== undefined ? `${qualified(resource, group)} "${name}"` : qualified(resource, group);
  const res = subresource ? `${resource}/${subresource}` : resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  return status(403, 'Forbidden', `${what} is forbidden: User "${FORBIDDEN_USER}" cannot ${verb} resource "${res}" in API group "${group}" ${scope}`, details(resource, group, name));
}

export const unauthorized = (): StatusBody => status(401, 'Unauthorized', 'Unauthorized');

export const badRequest = (message: string): StatusBody => status(400, 'BadRequest', message);

export const methodNotAllowed = (): StatusBody =>
  status(405, 'MethodNotAllowed', 'the server does not allow this method on the requested resource', {});

export const resourceNotFound = (): StatusBody =>
  status(404, 'NotFound', 'the server could not find the requested resource', {});

export const tooManyRequests = (retryAfterSeconds: number): StatusBody =>
  status(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds });

export const internalError = (): StatusBody =>
  status(500, 'InternalError', 'Internal error occurred: injected fault', { causes: [{ message: 'injected fault' }] });

export const serviceUnavailable = (): StatusBody =>
  status(503, 'ServiceUnavailable', 'the server is currently unable to handle the request', {});

/** What a list with a continue token that etcd has compacted away gets. */
export const continueExpired = (): StatusBody =>
  status(
    410,
    'Expired',
    'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.',
  );

/** A watch from a compacted resourceVersion: the server answers 200 and streams this one ERROR event. */
export const tooOldResourceVersion = (requested: string, oldest: string): StatusBody =>
  status(410, 'Expired', `too old resource version: ${requested} (${oldest})`);
