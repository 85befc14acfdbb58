// YAML documents read as the JSON the API server would have sent. kubectl decodes YAML into JSON
// first (sigs.k8s.io/yaml over go-yaml): a scalar that looks like a time stays a string there
// (go-yaml keeps timestamps as strings when decoding into interface{}), so the schema here has no
// timestamp type: js-yaml's CORE schema (null, bool, int, float, str) plus merge keys, which
// go-yaml applies. Aliases are expanded by reference; a document whose expansion is far larger
// than its text ("billion laughs") is refused, as go-yaml refuses "excessive aliasing".
import { CORE_SCHEMA, loadAll, Type } from 'js-yaml';

/** `<<` merge keys, as js-yaml's own merge type (its loader merges on this tag). */
const MERGE = new Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (d: unknown) => d === '<<' || d === null });
const SCHEMA = CORE_SCHEMA.extend({ implicit: [MERGE] });

/** Nodes a document may expand to through aliases before it is refused (go-yaml: 400,000 decodes, then a ratio). */
const ALIAS_EXPANSION_FLOOR = 400_000;
/** Expansion allowed per distinct node past the floor (a real manifest's aliases repeat small parts a few times). */
const ALIAS_EXPANSION_RATIO = 10;

/** A parse failure: the reason and the 1-based line where known. */
export class YamlInputError extends Error {
  constructor(readonly reason: string, readonly line: number | null) {
    super(reason);
  }
}

/**
 * Walks a decoded value once per distinct node (aliases share objects) and returns how many nodes
 * the fully expanded value has.
 */
function expandedSize(root: unknown): { expanded: number; distinct: number } {
  const memo = new Map<object, number>();
  const size = (v: unknown): number => {
    if (typeof v !== 'object' || v === null) return 1;
    const seen = memo.get(v);
    if (seen !== undefined) return seen;
    memo.set(v, 1); // a cycle (a node aliasing its ancestor) counts once
    let n = 1;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      n += size(child);
    }
    memo.set(v, n);
    return n;
  };
  const expanded = size(root);
  return { expanded, distinct: memo.size };
}

/** Every document of a YAML stream (null documents dropped), scalars as the API's JSON has them. */
export function loadYamlDocuments(text: string): unknown[] {
  let docs: unknown[];
  try {
    docs = loadAll(text, undefined, { schema: SCHEMA });
  } catch (e) {
    const reason = (e as { reason?: string }).reason ?? (e as Error).message.split('\n')[0];
    const mark = (e as { mark?: { line?: number } }).mark;
    throw new YamlInputError(reason, mark && typeof mark.line === 'number' ? mark.line + 1 : null);
  }
  // Only a text with an alias can expand past its own size.
  if (text.includes('*')) {
    for (const d of docs) {
      const { expanded, distinct } = expandedSize(d);
      if (expanded > ALIAS_EXPANSION_FLOOR && expanded > distinct * ALIAS_EXPANSION_RATIO) {
        throw new YamlInputError(`excessive aliasing (its aliases expand to over ${ALIAS_EXPANSION_FLOOR.toLocaleString('en-US')} nodes)`, null);
      }
    }
  }
  return docs.filter((d) => d != null);
}
