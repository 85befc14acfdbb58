// `kubectl sidecars describe`: options → sources (cluster or files) → model → renderer → stdout.
import type { DescribeOptions } from '../options.js';
import { gather, gatherPaged } from '../sources/gather.js';
import { describePod, describePods } from '../model/describe.js';
import { jsonListWriter, renderJson, renderYaml } from '../render/json.js';
import { renderText } from '../render/text.js';
import { API_VERSION, type PodEvidence, type PodLifecycleList } from '../model/types.js';
import type { Io } from './io.js';
import { collectGarbage } from './memory.js';

export function renderList(list: PodLifecycleList, opts: DescribeOptions, now: string): string {
  switch (opts.render.output) {
    case 'json': return renderJson(list);
    case 'yaml': return renderYaml(list);
    default: return renderText(list, opts.render, now);
  }
}

/** Runs describe and returns the exit code (0, or 2 with --exit-code when a pod is blocked). */
export async function runDescribe(opts: DescribeOptions, io: Io): Promise<number> {
  if (opts.render.output === 'json') {
    const code = await describeJsonPaged(opts, io);
    if (code !== null) return code;
  }
  const gathered = await gather(opts, { signal: io.signal });
  for (const n of gathered.notices) io.err(`note: ${n}`);
  const now = opts.now ?? io.now();
  if (opts.render.output === 'json') {
    // Pod by pod: each pod's evidence is let go once described and written.
    const evs: (PodEvidence | undefined)[] = gathered.pods;
    const out = jsonListWriter({ apiVersion: API_VERSION, kind: 'PodLifecycleList' }, (t) => io.out(t));
    let blocked = false;
    for (let i = 0; i < evs.length; i++) {
      const lc = describePod(evs[i]!, { now, version: gathered.version });
      evs[i] = undefined;
      if (lc.blockers.length > 0) blocked = true;
      out.item(lc);
    }
    out.end();
    return opts.exitCode && blocked ? 2 : 0;
  }
  const list = describePods(gathered.pods, { now, version: gathered.version });
  if (list.items.length === 0 && (opts.render.output === 'text' || opts.render.output === 'wide')) {
    const t = opts.targets;
    const where = t.files?.length ? 'in the given files' : t.allNamespaces ? 'in any namespace'
      : opts.connection.namespace ? `in namespace "${opts.connection.namespace}"` : 'in the current namespace';
    io.err(`No pods found ${where}.`);
    return 0;
  }
  io.out(renderList(list, opts, now));
  if (opts.exitCode && list.items.some((p) => p.blockers.length > 0)) return 2;
  return 0;
}

/**
 * describe -o json of a whole selection, page by page of pods (gatherPaged): each page is described,
 * written and let go. null: not such a selection.
 */
async function describeJsonPaged(opts: DescribeOptions, io: Io): Promise<number | null> {
  const now = opts.now ?? io.now();
  const out = jsonListWriter({ apiVersion: API_VERSION, kind: 'PodLifecycleList' }, (t) => io.out(t));
  let blocked = false;
  const res = await gatherPaged(opts, (pods, version) => {
    for (const ev of pods) {
      const lc = describePod(ev, { now, version });
      if (lc.blockers.length > 0) blocked = true;
      out.item(lc);
    }
    collectGarbage();
  }, { signal: io.signal });
  if (!res) return null;
  out.end();
  for (const n of res.notices) io.err(`note: ${n}`);
  return opts.exitCode && blocked ? 2 : 0;
}
