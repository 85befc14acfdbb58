// Label and field selectors with the API server's semantics: `!=` and `notin` match objects
// without the label; a field the object lacks compares as "".

export type Matcher = (obj: any) => boolean;

export class SelectorError extends Error {}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((p) => p.trim()).filter((p) => p !== '');
}

export function parseLabelSelector(sel: string): Matcher {
  const reqs: Matcher[] = splitTopLevel(sel).map((r) => {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s*\(([^)]*)\)$/.exec(r);
    if (m) {
      const [, key, op, vals] = m;
      const set = new Set(vals.split(',').map((v) => v.trim()));
      return op === 'in'
        ? (labels: Record<string, string>) => key in labels && set.has(labels[key])
        : (labels: Record<string, string>) => !(key in labels) || !set.has(labels[key]);
    }
    m = /^([^\s!=(),]+)\s*(==|!=|=)\s*([^\s!=(),]*)$/.exec(r);
    if (m) {
      const [, key, op, val] = m;
      return op === '!='
        ? (labels: Record<string, string>) => labels[key] !== val
        : (labels: Record<string, string>) => key in labels && labels[key] === val;
    }
    m = /^(!?)\s*([^\s!=(),]+)$/.exec(r);
    if (m) {
      const [, not, key] = m;
      return not ? (labels: Record<string, string>) => !(key in labels) : (labels: Record<string, string>) => key in labels;
    }
    throw new SelectorError(`unable to parse requirement: found '${r}', expected: identifier, '!', 'in', 'notin', '=', '==', '!='`);
  });
  return (obj) => {
    const labels = (obj?.metadata?.labels ?? {}) as Record<string, string>;
    return reqs.every((f) => f(labels));
  };
}

type FieldGetter = (obj: any) => unknown;

function path(p: string): FieldGetter {
  const parts = p.split('.');
  return (obj) => parts.reduce((o: any, k) => (o == null ? undefined : o[k]), obj);
}

const meta = ['metadata.name', 'metadata.namespace'];

const objectRef = (prefix: string, as = prefix): [string, FieldGetter][] =>
  ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath'].map((f) => [`${as}.${f}`, path(`${prefix}.${f}`)]);

/** Field labels each resource supports (kube-apiserver's ToSelectableFields / field label conversions). */
export const FIELDS: Record<string, [string, FieldGetter][]> = {
  pods: [
    ...meta.map((m): [string, FieldGetter] => [m, path(m)]),
    ...['spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.nominatedNodeName'].map(
      (m): [string, FieldGetter] => [m, path(m)],
    ),
  ],
  events: [
    ...meta.map((m): [string, FieldGetter] => [m, path(m)]),
    ...objectRef('involvedObject'),
    ['reason', path('reason')],
    ['reportingComponent', path('reportingComponent')],
    ['source', path('source.component')],
    ['type', path('type')],
  ],
  'events.k8s.io/events': [
    ...meta.map((m): [string, FieldGetter] => [m, path(m)]),
    ...objectRef('regarding'),
    ['reason', path('reason')],
    ['reportingController', path('reportingController')],
    ['deprecatedSource', path('deprecatedSource.component')],
    ['type', path('type')],
  ],
  jobs: [...meta.map((m): [string, FieldGetter] => [m, path(m)]), ['status.successful', path('status.successful')]],
  replicasets: [...meta.map((m): [string, FieldGetter] => [m, path(m)]), ['status.replicas', path('status.replicas')]],
};

export function parseFieldSelector(sel: string, fieldsKey: string): Matcher {
  const fields = new Map(FIELDS[fieldsKey] ?? meta.map((m): [string, FieldGetter] => [m, path(m)]));
  const reqs: Matcher[] = sel
    .split(',')
    .map((r) => r.trim())
    .filter((r) => r !== '')
    .map((r) => {
      const m = /^([^=!]+)(==|!=|=)(.*)$/.exec(r);
      if (!m) throw new SelectorError(`invalid selector: '${sel}'; can't understand '${r}'`);
      const [, key, op, val] = m;
      const get = fields.get(key);
      if (!get) throw new SelectorError(`field label not supported: ${key}`);
      const str = (o: any) => {
        const v = get(o);
        return v == null ? '' : String(v);
      };
      return op === '!=' ? (o: any) => str(o) !== val : (o: any) => str(o) === val;
    });
  return (obj) => reqs.every((f) => f(obj));
}
