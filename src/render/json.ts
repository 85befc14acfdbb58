// -o json / -o yaml: the contract of docs/output-contract.md, keys in the contract's order
// (fixed names first, additions after them in the model's order), so diffs between runs stay readable.
import { DEFAULT_SCHEMA, dump, Type } from 'js-yaml';
import type { PodLifecycle, PodLifecycleList, PodModel, PodModelList } from '../model/types.js';
import { wordList, wordPod } from './words/index.js';

type Obj = Record<string, unknown>;

/**
 * Numbers as YAML 1.1 readers resolve them (PyYAML's and go-yaml v2's int and float: underscores,
 * 0-octal, 0b, base 60). js-yaml's own schema, which decides what it quotes, already covers YAML
 * 1.2 and 1.1's booleans, nulls, `=` and `<<`, but reads `1_000` as a string: added here, only to
 * decide quoting, so every string comes back as the same string to a 1.1 or 1.2 reader.
 */
const YAML11_NUMBER = new Type('tag:yaml.org,2002:yaml11-number', {
  kind: 'scalar',
  resolve: (s: unknown) =>
    typeof s === 'string' &&
    (/^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/.test(s) ||
      /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/.test(s)),
});
const YAML_OUT = { noRefs: true, lineWidth: -1, schema: DEFAULT_SCHEMA.extend({ implicit: [YAML11_NUMBER] }) };

/** The contract's fixed names per object, in the contract's order. */
export const CONTRACT_KEYS = {
  list: ['apiVersion', 'kind', 'workloads', 'items'],
  item: ['pod', 'containers', 'timeline', 'restarts', 'termination', 'blockers', 'resources', 'advice', 'sources'],
  pod: ['namespace', 'name', 'uid', 'node', 'phase', 'status', 'ready', 'restartPolicy', 'createdAt', 'deletionTimestamp', 'terminationGracePeriodSeconds'],
  container: ['name', 'kind', 'index', 'image', 'state', 'reason', 'exitCode', 'started', 'ready', 'restartCount', 'startedAt', 'finishedAt', 'probes', 'legacySidecar'],
  probes: ['startup', 'readiness', 'liveness'],
  timeline: ['time', 'container', 'type', 'source', 'detail'],
  restart: ['container', 'count', 'last', 'causes', 'backOff'],
  restartLast: ['exitCode', 'reason', 'startedAt', 'finishedAt'],
  backOff: ['events', 'lastAt'],
  termination: ['startedAt', 'order', 'ordered', 'violations', 'killed'],
  blocker: ['code', 'container', 'since', 'message'],
  resources: ['requests', 'limits', 'naiveSumRequests'],
  advice: ['code', 'container', 'message'],
  sources: ['events', 'logs'],
} as const;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A copy of `o` with `keys` first (when present), then its other keys as they were. */
function ordered(o: unknown, keys: readonly string[], nested: Record<string, (v: unknown) => unknown> = {}): unknown {
  if (!isObj(o)) return o;
  const out: Obj = {};
  for (const k of keys) if (k in o) out[k] = o[k];
  for (const k of Object.keys(o)) if (!(k in out)) out[k] = o[k];
  for (const [k, f] of Object.entries(nested)) if (k in out) out[k] = f(out[k]);
  return out;
}

function each(keys: readonly string[], nested: Record<string, (v: unknown) => unknown> = {}) {
  return (v: unknown): unknown => (Array.isArray(v) ? v.map((x) => ordered(x, keys, nested)) : v);
}

function orderItem(item: PodLifecycle): unknown {
  return ordered(item, CONTRACT_KEYS.item, {
    pod: (v) => ordered(v, CONTRACT_KEYS.pod),
    containers: each(CONTRACT_KEYS.container, { probes: (v) => ordered(v, CONTRACT_KEYS.probes) }),
    timeline: each(CONTRACT_KEYS.timeline),
    restarts: each(CONTRACT_KEYS.restart, {
      last: (v) => ordered(v, CONTRACT_KEYS.restartLast),
      backOff: (v) => ordered(v, CONTRACT_KEYS.backOff),
    }),
    termination: (v) => ordered(v, CONTRACT_KEYS.termination),
    blockers: each(CONTRACT_KEYS.blocker),
    resources: (v) => ordered(v, CONTRACT_KEYS.resources),
    advice: each(CONTRACT_KEYS.advice),
    sources: (v) => ordered(v, CONTRACT_KEYS.sources),
  });
}

/** The list in contract key order (a plain object, shared by json and yaml). */
export function contractView(list: PodLifecycleList): unknown {
  return ordered(list, CONTRACT_KEYS.list, { items: (v) => (Array.isArray(v) ? v.map(orderItem) : v) });
}

export function renderJson(list: PodModelList): string {
  return `${JSON.stringify(contractView(wordList(list)), null, 2)}\n`;
}

/**
 * renderJson written piece by piece (the same bytes): the list's head with the first item, then each
 * item, then the end, so a 10,000-pod answer is never held whole, as objects or as one string.
 */
export function jsonListWriter(list: Omit<PodModelList, 'items'>, write: (text: string) => void): { item(m: PodModel): void; end(): void } {
  const MARK = JSON.stringify('\u0000items\u0000');
  const skeleton = JSON.stringify(contractView({ ...wordList({ ...list, items: [] }), items: JSON.parse(MARK) as PodLifecycle[] }), null, 2);
  const at = skeleton.indexOf(MARK);
  let first = true;
  return {
    item(m) {
      // an item of the list's "items" sits two levels deep: 4 spaces
      write(`${first ? `${skeleton.slice(0, at)}[\n` : ',\n'}    ${JSON.stringify(orderItem(wordPod(m)), null, 2).replace(/\n/g, '\n    ')}`);
      first = false;
    },
    end() {
      write(`${first ? `${skeleton.slice(0, at)}[]` : '\n  ]'}${skeleton.slice(at + MARK.length)}\n`);
    },
  };
}

/**
 * renderYaml written item by item (the same bytes: js-yaml writes a nested block the same at any
 * depth, and lineWidth -1 never folds): a 10,000-pod answer is never one string (issue 13 #7).
 */
export function yamlListWriter(list: Omit<PodModelList, 'items'>, write: (text: string) => void): { item(m: PodModel): void; end(): void } {
  const head = dump(contractView(wordList({ ...list, items: [] })), YAML_OUT).replace(/items: \[\]\n$/, 'items:\n');
  let first = true;
  return {
    item(m) {
      const text = dump([orderItem(wordPod(m))], YAML_OUT);
      write(`${first ? head : ''}${text.replace(/^(?=.)/gm, '  ')}`);
      first = false;
    },
    end() {
      if (first) write(renderYaml({ ...list, items: [] }));
    },
  };
}

export function renderYaml(list: PodModelList): string {
  // noRefs: repeated objects are written out, never as anchors a script would have to resolve;
  // lineWidth -1: messages stay on one line.
  return dump(contractView(wordList(list)), YAML_OUT);
}
