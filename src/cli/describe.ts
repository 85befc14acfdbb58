// `kubectl sidecars describe`: options → sources (cluster or files) → model → renderer → stdout.
import type { DescribeOptions } from '../options.js';
import { gather } from '../sources/gather.js';
import { describePods } from '../model/describe.js';
import { renderJson, renderYaml } from '../render/json.js';
import { renderText } from '../render/text.js';
import type { PodLifecycleList } from '../model/types.js';
import type { Io } from './io.js';

export function renderList(list: PodLifecycleList, opts: DescribeOptions, now: string): string {
  switch (opts.render.output) {
    case 'json': return renderJson(list);
    case 'yaml': return renderYaml(list);
    default: return renderText(list, opts.render, now);
  }
}

/** Runs describe and returns the exit code (0, or 2 with --exit-code when a pod is blocked). */
export async function runDescribe(opts: DescribeOptions, io: Io): Promise<number> {
  const gathered = await gather(opts, { signal: io.signal });
  for (const n of gathered.notices) io.err(`note: ${n}`);
  const now = opts.now ?? io.now();
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
