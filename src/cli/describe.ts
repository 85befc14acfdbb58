// `kubectl sidecars describe`: options → sources (cluster or files) → model → renderer → stdout.
import type { DescribeOptions } from '../options.js';
import { gather, gatherPaged } from '../sources/gather.js';
import { describePod, describePods } from '../model/describe.js';
import { describeWorkloads, workloadFailed } from '../model/workloads.js';
import { needsAttention } from '../model/verdict.js';
import { jsonListWriter, renderJson, renderYaml, yamlListWriter } from '../render/json.js';
import { renderText, textListWriter } from '../render/text.js';
import { renderNames } from '../render/names.js';
import { API_VERSION, type PodEvidence, type PodModel, type PodModelList } from '../model/types.js';
import type { ServerVersion } from '../model/k8s.js';
import type { Io } from './io.js';
import { collectGarbage } from './memory.js';

export function renderList(list: PodModelList, opts: DescribeOptions, now: string): string {
  switch (opts.render.output) {
    case 'json': return renderJson(list);
    case 'yaml': return renderYaml(list);
    case 'name': return renderNames(list);
    default: return renderText(list, opts.render, now);
  }
}

/** Runs describe and returns the exit code (0, or 2 with --exit-code when a pod is blocked). */
export async function runDescribe(opts: DescribeOptions, io: Io): Promise<number> {
  const structured = opts.render.output === 'json' || opts.render.output === 'yaml';
  const paged = structured ? await describeListPaged(opts, io) : opts.render.output === 'name' ? null : await describeTextPaged(opts, io);
  if (paged !== null) return paged;
  const gathered = await gather(opts, { signal: io.signal, warn: io.err });
  for (const n of gathered.notices) io.err(`note: ${n}`);
  const now = opts.now ?? io.now();
  if (structured && !gathered.workloads) {
    const out = lifecycleWriter(io, now, opts.render.output === 'yaml');
    out.add(gathered.pods, gathered.version);
    const blocked = out.end();
    return opts.exitCode && blocked ? 2 : 0;
  }
  const list = describePods(gathered.pods, { now, version: gathered.version });
  if (gathered.workloads) {
    // A named workload's pods are few: the list is built whole, its outcome beside the pods.
    const byUid = new Map(list.items.map((lc) => [lc.pod.uid, lc]));
    list.workloads = describeWorkloads(gathered.workloads.map((w) => ({
      workload: w.workload,
      pods: w.podUids.map((u) => byUid.get(u)).filter((x): x is PodModel => !!x),
    })));
  }
  return writeText(list, opts, io, now);
}

function writeText(list: PodModelList, opts: DescribeOptions, io: Io, now: string): number {
  if (list.items.length === 0 && !list.workloads?.length && (opts.render.output === 'text' || opts.render.output === 'wide' || opts.render.output === 'name')) {
    const t = opts.targets;
    // with -f, the flags that narrowed the files' pods are named (they filter offline: sources/selection.ts)
    const narrowed = [!t.allNamespaces && opts.connection.namespace ? `-n ${opts.connection.namespace}` : '', t.selector ? `-l ${t.selector}` : '', t.fieldSelector ? `--field-selector ${t.fieldSelector}` : ''].filter(Boolean);
    const where = t.files?.length ? `in the given files${narrowed.length ? ` matching ${narrowed.join(' ')}` : ''}` : t.allNamespaces ? 'in any namespace'
      : opts.connection.namespace ? `in namespace "${opts.connection.namespace}"` : 'in the current namespace';
    io.err(`No pods found ${where}.`);
    return 0;
  }
  io.out(renderList(list, opts, now));
  if (opts.exitCode && (list.items.some(needsAttention) || (list.workloads ?? []).some(workloadFailed))) return 2;
  return 0;
}

/**
 * Writes a PodLifecycleList pod by pod: each pod's evidence is let go once it is described and
 * written, so memory holds one page, not the whole selection. end() says whether a pod was blocked.
 */
function lifecycleWriter(io: Io, now: string, yaml = false) {
  const out = (yaml ? yamlListWriter : jsonListWriter)({ apiVersion: API_VERSION, kind: 'PodLifecycleList' }, (t) => io.out(t));
  let blocked = false;
  return {
    add(evs: (PodEvidence | undefined)[], version: ServerVersion | null): void {
      for (let i = 0; i < evs.length; i++) {
        const lc = describePod(evs[i]!, { now, version });
        evs[i] = undefined;
        if (needsAttention(lc)) blocked = true;
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
 * describe -o json|yaml of a whole selection, page by page of pods (gatherPaged): each page is
 * described, written and let go. null: not such a selection.
 */
async function describeListPaged(opts: DescribeOptions, io: Io): Promise<number | null> {
  const out = lifecycleWriter(io, opts.now ?? io.now(), opts.render.output === 'yaml');
  const res = await gatherPaged(opts, (pods, version) => {
    out.add(pods, version);
    collectGarbage();
  }, { signal: io.signal, warn: io.err });
  if (!res) return null;
  const blocked = out.end();
  for (const n of res.notices) io.err(`note: ${n}`);
  return opts.exitCode && blocked ? 2 : 0;
}

/**
 * describe (text, wide) of a whole selection: renderText's bytes, but each page is described and
 * rendered as it comes and its evidence let go; the summary table keeps only what it shows of each
 * pod (10,000 pods × 20 events: the evidence, then the lifecycles, of all of them were most of the
 * memory, issue 13 #7).
 */
async function describeTextPaged(opts: DescribeOptions, io: Io): Promise<number | null> {
  const now = opts.now ?? io.now();
  const out = textListWriter(opts.render, now);
  const res = await gatherPaged(opts, (pods, version) => {
    for (let i = 0; i < pods.length; i++) {
      out.add(describePod(pods[i], { now, version }));
      (pods as (PodEvidence | undefined)[])[i] = undefined;
    }
    collectGarbage();
  }, { signal: io.signal, warn: io.err });
  if (!res) return null;
  for (const n of res.notices) io.err(`note: ${n}`);
  const rows = out.rows();
  if (rows.length === 0) return writeText({ apiVersion: API_VERSION, kind: 'PodLifecycleList', items: [] }, opts, io, now);
  io.out(out.end());
  return opts.exitCode && rows.some((r) => r.attention) ? 2 : 0;
}
