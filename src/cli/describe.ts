// `kubectl sidecars describe`: options → sources (cluster or files) → model → renderer → stdout.
import type { DescribeOptions } from '../options.js';
import { gather, gatherPaged } from '../sources/gather.js';
import { describePod, describePods } from '../model/describe.js';
import { jsonListWriter, renderJson, renderYaml } from '../render/json.js';
import { renderText } from '../render/text.js';
import { renderNames } from '../render/names.js';
import { API_VERSION, type PodEvidence, type PodLifecycleList } from '../model/types.js';
import type { ServerVersion } from '../model/k8s.js';
import type { Io } from './io.js';
import { collectGarbage } from './memory.js';

export function renderList(list: PodLifecycleList, opts: DescribeOptions, now: string): string {
  switch (opts.render.output) {
    case 'json': return renderJson(list);
    case 'yaml': return renderYaml(list);
    case 'name': return renderNames(list);
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
    const out = lifecycleWriter(io, now);
    out.add(gathered.pods, gathered.version);
    const blocked = out.end();
    return opts.exitCode && blocked ? 2 : 0;
  }
  const list = describePods(gathered.pods, { now, version: gathered.version });
  if (list.items.length === 0 && opts.render.output !== 'yaml') {
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
 * Writes a PodLifecycleList pod by pod: each pod's evidence is let go once it is described and
 * written, so memory holds one page, not the whole selection. end() says whether a pod was blocked.
 */
function lifecycleWriter(io: Io, now: string) {
  const out = jsonListWriter({ apiVersion: API_VERSION, kind: 'PodLifecycleList' }, (t) => io.out(t));
  let blocked = false;
  return {
    add(evs: (PodEvidence | undefined)[], version: ServerVersion | null): void {
      for (let i = 0; i < evs.length; i++) {
        const lc = describePod(evs[i]!, { now, version });
        evs[i] = undefined;
        if (lc.blockers.length > 0) blocked = true;
        out.item(lc);
      }
    },
    end(): boolean {
      out.end();
      return blocked;
    },
  };
}

/**
 * describe -o json of a whole selection, page by page of pods (gatherPaged): each page is described,
 * written and let go. null: not such a selection.
 */
async function describeJsonPaged(opts: DescribeOptions, io: Io): Promise<number | null> {
  const out = lifecycleWriter(io, opts.now ?? io.now());
  const res = await gatherPaged(opts, (pods, version) => {
    out.add(pods, version);
    collectGarbage();
  }, { signal: io.signal });
  if (!res) return null;
  const blocked = out.end();
  for (const n of res.notices) io.err(`note: ${n}`);
  return opts.exitCode && blocked ? 2 : 0;
}
