// kubectl's -l and --field-selector, matched here against pods read from files (-f): a cluster's
// API server matches them itself. The grammar and meaning are the API server's
// (apimachinery labels.Parse, fields.ParseSelector; a pod's selectable fields from
// pkg/registry/core/pod/strategy.go ToSelectableFields): `!=` and `notin` match a pod without the
// label, a field the pod lacks compares as "".
import type { Pod } from '../model/k8s.js';
import { UserError } from './errors.js';

export type PodMatcher = (pod: Pod) => boolean;

/** Requirements separated by commas outside parentheses ("a in (x,y),b" is two). */
function requirements(sel: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= sel.length; i++) {
    const ch = sel[i];
    if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (i === sel.length || (ch === ',' && depth === 0)) {
      const part = sel.slice(start, i).trim();
      if (part) parts.push(part);
      start = i + 1;
    }
  }
  return parts;
}

const KEY = String.raw`[A-Za-z0-9][-A-Za-z0-9_./]*`;
const SET = new RegExp(String.raw`^(${KEY})\s+(in|notin)\s*\(([^()]*)\)$`);
const CMP = new RegExp(String.raw`^(${KEY})\s*(==|!=|=|>|<)\s*([-A-Za-z0-9_.]*)$`);
const EXISTS = new RegExp(String.raw`^(!?)\s*(${KEY})$`);

type LabelTest = (labels: Record<string, string>) => boolean;

function labelRequirement(req: string): LabelTest {
  const set = SET.exec(req);
  if (set) {
    const [, key, op, list] = set;
    const values = new Set(list.split(',').map((v) => v.trim()));
    if (op === 'in') return (l) => Object.hasOwn(l, key) && values.has(l[key]);
    return (l) => !Object.hasOwn(l, key) || !values.has(l[key]);
  }
  const cmp = CMP.exec(req);
  if (cmp) {
    const [, key, op, value] = cmp;
    if (op === '>' || op === '<') {
      const n = Number(value);
      if (!/^-?\d+$/.test(value)) throw new UserError(`unable to parse requirement: for 'gt', 'lt' operators, the value must be an integer: "${req}"`);
      return (l) => Object.hasOwn(l, key) && /^-?\d+$/.test(l[key]) && (op === '>' ? Number(l[key]) > n : Number(l[key]) < n);
    }
    if (op === '!=') return (l) => l[key] !== value || !Object.hasOwn(l, key);
    return (l) => Object.hasOwn(l, key) && l[key] === value;
  }
  const ex = EXISTS.exec(req);
  if (ex) {
    const [, not, key] = ex;
    return not ? (l) => !Object.hasOwn(l, key) : (l) => Object.hasOwn(l, key);
  }
  throw new UserError(`unable to parse requirement: "${req}" (expected KEY, !KEY, KEY=VALUE, KEY!=VALUE, KEY in (V1,V2) or KEY notin (V1,V2))`);
}

/** -l: a pod matches when every requirement holds for its labels. */
export function labelMatcher(selector: string): PodMatcher {
  const tests = requirements(selector).map(labelRequirement);
  return (pod) => {
    const raw = pod.metadata?.labels;
    const labels: Record<string, string> = raw && typeof raw === 'object' ? raw : {};
    return tests.every((t) => t(labels));
  };
}

/** The pod fields a field selector may name, and how each reads as a string. */
const POD_FIELDS: Record<string, (p: Pod) => unknown> = {
  'metadata.name': (p) => p.metadata?.name,
  'metadata.namespace': (p) => p.metadata?.namespace,
  'spec.nodeName': (p) => p.spec?.nodeName,
  'spec.restartPolicy': (p) => p.spec?.restartPolicy,
  'spec.schedulerName': (p) => p.spec?.schedulerName,
  'spec.serviceAccountName': (p) => (p.spec as { serviceAccountName?: unknown } | undefined)?.serviceAccountName,
  'spec.hostNetwork': (p) => String((p.spec as { hostNetwork?: unknown } | undefined)?.hostNetwork === true),
  'status.phase': (p) => p.status?.phase,
  'status.podIP': (p) => p.status?.podIP,
  'status.nominatedNodeName': (p) => p.status?.nominatedNodeName,
};

/** --field-selector: FIELD=VALUE, FIELD==VALUE, FIELD!=VALUE, comma-separated (`\,` `\=` escape). */
export function fieldMatcher(selector: string): PodMatcher {
  const tests = selector.split(/(?<!\\),/).map((r) => r.trim()).filter(Boolean).map((req): PodMatcher => {
    const m = /^((?:[^=!\\]|\\.)+?)\s*(==|!=|=)(.*)$/.exec(req);
    if (!m) throw new UserError(`invalid field selector "${selector}": cannot read "${req}" (expected FIELD=VALUE or FIELD!=VALUE)`);
    const [, field, op, raw] = m;
    const read = POD_FIELDS[field];
    if (!read) throw new UserError(`field label not supported: ${field} (pods: ${Object.keys(POD_FIELDS).join(', ')})`);
    const want = raw.replace(/\\(.)/g, '$1');
    const value = (p: Pod) => {
      const v = read(p);
      return v === undefined || v === null ? '' : String(v);
    };
    return op === '!=' ? (p) => value(p) !== want : (p) => value(p) === want;
  });
  return (pod) => tests.every((t) => t(pod));
}
