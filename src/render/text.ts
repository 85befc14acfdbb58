// -o text / -o wide: one block per pod, read top-down by an operator: who the pod is, its containers,
// when each started and stopped (charts), what restarted and why, what blocks it, what to change.
import { wordPod } from './words/index.js';
import { wordWorkload } from './words/workloads.js';
import { noneTerminatedYet, terminationCause, terminationCauseLine } from './words/termination.js';
import type { ContainerLifecycle, PodLifecycle, PodModel, PodModelList, PodSummary, SourceState, VerdictState, WorkloadOutcome } from '../model/types.js';
import type { RenderOptions } from '../options.js';
import { painter, type Painter } from './ansi.js';
import { age, ago, offsetFrom, resourceList, span, toMs, wrap } from './format.js';
import { localTimes, wallClock, type TimeStyle } from './time.js';
import { fitsWhole, flow, linearTable, podTable } from './layout.js';
import { renderGantt } from './gantt.js';
import { containerTag, startupRows, terminationRows } from './rows.js';
import { sanitizeDeep } from './sanitize.js';
import { LEGEND, LEGEND_SHORT } from './gantt.js';
import { needsAttention } from '../model/verdict.js';
import { workloadFailed } from '../model/workloads.js';

function indent(text: string, n = 2): string {
  const pad = ' '.repeat(n);
  return text
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

/** Where relative times start: the pod's start (status.startTime), else its creation. */
function podOrigin(lc: PodLifecycle): string | null {
  return lc.pod.startedAt ?? lc.pod.createdAt ?? lc.containers.find((c) => c.startedAt)?.startedAt ?? null;
}

function restartsText(pod: Pick<PodSummary, 'restarts' | 'lastRestartAt'>, now: string): string {
  const since = pod.restarts > 0 ? ago(pod.lastRestartAt, now) : null;
  return since ? `${pod.restarts} (${since})` : String(pod.restarts ?? 0);
}

function stateCell(c: ContainerLifecycle, p: Painter): string {
  const text = c.reason ? `${c.state} (${c.reason})` : c.state;
  if (c.state === 'waiting') return p(c.reason && /BackOff|Err|Error|Invalid/.test(c.reason) ? 'red' : 'yellow', text);
  if (c.state === 'terminated') return p(c.exitCode === 0 ? 'green' : 'red', text);
  if (c.state === 'running') return p(c.ready === false ? 'yellow' : 'green', text);
  return p('yellow', text);
}

function bool(v: boolean | null): string {
  return v === null || v === undefined ? '-' : String(v);
}

function lastStateCell(c: ContainerLifecycle, now: string): string {
  const l = c.lastState;
  if (!l) return '-';
  const code = l.exitCode === null ? '' : ` (${l.exitCode})`;
  const when = ago(l.finishedAt, now);
  return `terminated ${l.reason ?? ''}${code}${when ? ` ${when}` : ''}`.replace(/\s+/g, ' ');
}

/** Charts need a finite width: without a terminal (width unlimited) they fill 120 columns (118 + the pod's indent). */
const CHART_WIDTH_UNLIMITED = 118;
const chartWidth = (w: number) => (Number.isFinite(w) ? w : CHART_WIDTH_UNLIMITED);

/** Prose under a label, wrapped to the width with a hanging indent (never cut). */
function prose(label: string, paintedLabel: string, message: string, width: number, lead = 2, hang = 6): string {
  const lines = wrap(message, width, lead + label.length, hang);
  return `${' '.repeat(lead)}${paintedLabel}${lines.join('\n')}`;
}

/** A digest as `sha256:f9d7565ee81c…` (its first 12 hex digits, as docker's short ids); JSON keeps it whole. */
const shortDigest = (s: string) => s.replace(/\b(sha\d+:)([0-9a-f]{12})[0-9a-f]{20,}/g, '$1$2…');

/** Rows with their digests whole when the table fits the width, else shortened (they never split). */
function fitDigests(head: string[], rows: string[][], width: number): string[][] {
  return fitsWhole(head, rows, width) ? rows : rows.map((r) => r.map(shortDigest));
}

function containerTable(lc: PodLifecycle, opts: RenderOptions, now: string, p: Painter): string {
  const origin = podOrigin(lc);
  const wide = opts.output === 'wide';
  const head = ['IDX', 'NAME', 'KIND', 'STATE', 'EXIT', 'STARTED', 'READY', 'RESTARTS', 'START', 'FINISH'];
  if (wide) head.push('IMAGE', 'PROBES(S:R:L)', 'REQUESTS', 'LAST STATE');
  const rows = lc.containers.map((c) => {
    const kind = c.legacySidecar ? 'app (legacy sidecar)' : c.kind;
    const row = [
      containerTag(c),
      c.name,
      kind,
      stateCell(c, p),
      c.exitCode === null || c.exitCode === undefined ? '-' : c.exitCode === 0 ? '0' : p('red', String(c.exitCode)),
      bool(c.started),
      bool(c.ready),
      String(c.restartCount),
      offsetFrom(origin, c.startedAt) ?? '-',
      offsetFrom(origin, c.finishedAt) ?? '-',
    ];
    if (wide) {
      const pr = c.probes ?? { startup: false, readiness: false, liveness: false };
      const onOff = (b: boolean) => (b ? 'on' : 'off');
      row.push(c.image, `${onOff(pr.startup)}:${onOff(pr.readiness)}:${onOff(pr.liveness)}`, resourceList(c.requests), lastStateCell(c, now));
    }
    return row;
  });
  // the table sits 4 columns in (pod block, section); --no-headers is for the summary (kubectl get)
  const image = head.indexOf('IMAGE');
  let out = podTable(head, fitDigests(head, rows, opts.width - 2), opts.width - 2, false, image >= 0 ? [image] : []);
  // -o wide: what the runtime runs (status.image can be another tag of the same digest) and its digest
  const ran = wide ? lc.containers.filter((c) => c.statusImage || c.imageID) : [];
  if (ran.length) {
    const ranHead = ['IDX', 'NAME', 'RUNNING IMAGE', 'IMAGE ID'];
    const ranRows = ran.map((c) => [containerTag(c), c.name, c.statusImage ?? '-', c.imageID || '-']);
    out += `\n${podTable(ranHead, fitDigests(ranHead, ranRows, opts.width - 2), opts.width - 2, false, [2, 3])}`;
  }
  const legacy = lc.containers.filter((c) => c.legacySidecar);
  if (legacy.length === 1) out += `\n${prose('* legacy sidecar: ', '* legacy sidecar: ', legacy[0].legacySidecar!.reason, opts.width - 2, 0, 4)}`;
  else for (const c of legacy) out += `\n${prose(`* legacy sidecar ${c.name}: `, `* legacy sidecar ${c.name}: `, c.legacySidecar!.reason, opts.width - 2, 0, 4)}`;
  return out;
}

function header(lc: PodLifecycle, now: string, p: Painter, width: number, utc?: boolean): string {
  const clock = (t: string | null | undefined) => wallClock(t, { utc, now });
  const pod = lc.pod;
  const status = pod.status === pod.phase ? pod.phase : `${pod.phase}, STATUS ${pod.status}`;
  const statusStyle = /Error|BackOff|Err|Failed|Unknown|Init:|Pending|Terminating|NotReady/.test(`${pod.status} ${pod.phase}`) ? 'yellow' : 'green';
  const line1 = flow([
    p('bold', `${pod.namespace}/${pod.name}`),
    `on ${pod.node ?? '(not scheduled)'}`,
    ...(pod.ip ? [`IP ${pod.ip}`] : []),
    p(statusStyle, status),
    `READY ${pod.ready}`,
    `RESTARTS ${restartsText(lc.pod, now)}`,
    `AGE ${age(pod.createdAt, now)}`,
  ], width, 2);
  const bits: string[] = [];
  if (pod.owner) bits.push(`owner ${pod.owner.kind}/${pod.owner.name}`);
  if (pod.qosClass) bits.push(`QoS ${pod.qosClass}`);
  bits.push(`restartPolicy ${pod.restartPolicy}`, `grace ${pod.terminationGracePeriodSeconds}s`);
  // status.startTime is set when the kubelet admits the pod: a pod never scheduled has none.
  if (pod.startedAt) bits.push(`started ${clock(pod.startedAt)}`);
  else if (pod.createdAt) bits.push(`created ${clock(pod.createdAt)}, not started on a node yet`);
  if (pod.deletionTimestamp) {
    // deletionTimestamp is the deadline (request + grace), not the moment of the request
    const req = lc.timeline.find((e) => e.type === 'DeletionRequested')?.time ?? null;
    const asked = req ? `requested ${ago(req, now)}, ` : '';
    // with grace 0 (the kubelet confirmed every container stopped) deletionTimestamp is the removal,
    // not a deadline, unless a finalizer holds the object: then it stays until the finalizer goes
    const held = pod.finalizers ?? [];
    bits.push(p('yellow', pod.deletionGracePeriodSeconds === 0
      ? held.length
        ? `deleted: every container stopped, confirmed ${clock(pod.deletionTimestamp)} (grace 0), but ${held.length === 1 ? 'finalizer' : 'finalizers'} ${held.join(', ')} ${held.length === 1 ? 'holds' : 'hold'} the object: it is removed only once ${held.length === 1 ? 'it is' : 'they are'} gone`
        : `deleted: ${asked}removed at ${clock(pod.deletionTimestamp)} once the kubelet confirmed every container stopped`
      : `deleting: ${asked}grace ends ${clock(pod.deletionTimestamp)}`));
  }
  return `${line1}\n  ${flow(bits, width, 2, 2)}`;
}

function terminationSection(lc: PodLifecycle, opts: PodOptions, now: string, p: Painter): string | null {
  const t = lc.termination;
  if (!t) return null;
  const origin = t.startedAt ?? lc.pod.deletionTimestamp ?? null;
  const why = terminationCause(t, lc.pod.reason);
  const clock = (x: string | null | undefined) => wallClock(x, { utc: opts.utc, now });
  const lines = [p('bold', `Termination`) + ` (0 = ${origin ? clock(origin) : 'unknown'}, ${why}; grace ${t.gracePeriodSeconds}s)`];
  const cause = terminationCauseLine(t);
  if (cause) lines.push(prose('cause: ', 'cause: ', cause, opts.width, 2, 4));
  const rows = terminationRows(lc);
  if (origin && rows.length) lines.push(renderGantt(rows, { width: chartWidth(opts.width), color: opts.color, origin, now, legend: opts.legend }));
  const w = opts.width;
  // Same-second neighbours no log line splits are a group ("a = b"), never a sequence.
  const groups = t.groups?.length ? t.groups : t.order.map((n) => [n]);
  const tied = groups.some((g) => g.length > 1);
  const order = groups.map((g) => g.join(' = ')).join(' → ') + (tied ? ' (= same second, order unknown)' : '');
  if (!t.order.length && t.unknownFinish?.length) lines.push(prose('order: ', 'order: ', `unknown: ${t.unknownFinish.join(', ')} terminated without a finish time in the status`, w, 2, 4));
  else if (!t.order.length) lines.push(prose('order: ', 'order: ', noneTerminatedYet(t), w, 2, 4));
  else if (!t.ordered && t.violations.every((v) => v.cause === 'sidecarExited')) {
    const said = '(a sidecar exited on its own during shutdown)';
    const plain = prose('order: ', 'order: ', `${order} ${said}`, w, 2, 4);
    lines.push(p.enabled && !plain.includes('\n') ? `  order: ${order} ${p('red', said)}` : plain);
    for (const v of t.violations) lines.push(prose(`✗ ${v.first} before ${v.then}: `, `${p('red', '✗')} ${v.first} before ${v.then}: `, v.message, w, 2, 6));
  } else if (t.ordered) {
    const promise =
      t.serverPromise === 'unordered'
        ? 'although this server (1.28) does not promise ordered termination'
        : 'as Kubernetes ≥1.29 promises';
    const said = tied ? `(nothing out of order where the times tell: ${promise})` : `(apps first, sidecars in reverse order: ${promise})`;
    const plain = prose('order: ', 'order: ', `${order} ${said}`, w, 2, 4);
    lines.push(p.enabled && !plain.includes('\n') ? `  order: ${order} ${p('green', said)}` : plain);
  } else {
    const plain = prose('order: ', 'order: ', `${order} (out of order)`, w, 2, 4);
    lines.push(p.enabled && !plain.includes('\n') ? `  order: ${order} ${p('red', '(out of order)')}` : plain);
    for (const v of t.violations) lines.push(prose(`✗ ${v.first} before ${v.then}: `, `${p('red', '✗')} ${v.first} before ${v.then}: `, v.message, w, 2, 6));
    if (t.serverPromise === 'unordered') lines.push(p('dim', prose('', '', 'this server (1.28) terminates sidecars like regular containers: no order is promised', w, 2, 4)));
  }
  if (t.killed.length) {
    lines.push(p('red', prose('killed at end of grace period (exit 137): ', 'killed at end of grace period (exit 137): ', t.killed.join(', '), w, 2, 4)));
  }
  const pending = t.containers.filter((c) => !c.finishedAt && !(t.unknownFinish ?? []).includes(c.name)).map((c) => c.name);
  if (pending.length) {
    const left = origin && toMs(now) !== null ? t.gracePeriodSeconds - ((toMs(now)! - toMs(origin)!) / 1000) : null;
    const budget = left === null ? '' : left >= 0 ? ` (${span(left)} of grace left)` : ` (grace period exceeded by ${span(-left)})`;
    lines.push(`  ${p('yellow', `still stopping: ${pending.join(', ')}${budget}`)}`);
  }
  return lines.join('\n');
}

function restartsSection(lc: PodLifecycle, now: string, p: Painter, width: number): string | null {
  if (!lc.restarts.length) return null;
  const origin = podOrigin(lc);
  const lines = [p('bold', 'Restarts')];
  for (const r of lc.restarts) {
    const parts = [`${r.count} restart${r.count === 1 ? '' : 's'}`];
    if (r.last) {
      const code = r.last.exitCode === null ? 'unknown' : String(r.last.exitCode);
      const when = [offsetFrom(origin, r.last.finishedAt), ago(r.last.finishedAt, now)].filter(Boolean);
      const ran = toMs(r.last.startedAt) !== null && toMs(r.last.finishedAt) !== null
        ? `, ran ${span((toMs(r.last.finishedAt)! - toMs(r.last.startedAt)!) / 1000)}` : '';
      parts.push(`last exit ${code}${r.last.reason ? ` ${r.last.reason}` : ''}${when.length ? ` at ${when.join(', ')}` : ''}${ran}`);
    }
    if (r.causes.length) parts.push(`causes: ${r.causes.join(', ')}`);
    if (r.backOff) parts.push(`back-off: ${r.backOff.events} event${r.backOff.events === 1 ? '' : 's'}${r.backOff.lastAt ? `, last ${ago(r.backOff.lastAt, now)}` : ''}`);
    const label = `${r.container}${r.kind ? ` (${r.kind})` : ''}: `;
    lines.push(prose(label, `${p('yellow', r.container)}${r.kind ? ` (${r.kind})` : ''}: `, parts.join('; '), width, 2, 6));
    for (const e of r.evidence ?? []) lines.push(p('dim', prose('', '', e, width, 4, 6)));
  }
  return lines.join('\n');
}

/** The verdict's mark: the green check only for the two states backed by positive evidence. */
const VERDICT_MARK: Record<VerdictState, [string, 'green' | 'yellow' | 'red']> = {
  Healthy: ['✓', 'green'], Completed: ['✓', 'green'], Progressing: ['…', 'yellow'], Terminating: ['…', 'yellow'],
  Degraded: ['!', 'yellow'], Blocked: ['✗', 'red'], Failed: ['✗', 'red'], Unknown: ['?', 'yellow'],
};

function verdictLine(lc: PodLifecycle, p: Painter, width: number): string {
  const v = lc.verdict;
  const [mark, colour] = VERDICT_MARK[v.state] ?? ['?', 'yellow'];
  const label = `${mark} ${v.state}: `;
  return `${p('bold', 'Verdict')}\n${wrapped(label, `${p(colour, `${mark} ${v.state}`)}: `, v.summary, width)}`;
}

// Blockers and advice are the answer the user came for: wrapped to the width, never cut short.
function wrapped(label: string, paintedLabel: string, message: string, width: number): string {
  return prose(label, paintedLabel, message, width);
}

function blockersSection(lc: PodLifecycle, now: string, p: Painter, width: number, utc?: boolean): string {
  const clock = (t: string | null | undefined) => wallClock(t, { utc, now });
  const lines = [verdictLine(lc, p, width)];
  // Waits are not failures: no ✗, no red (model/budgets.ts).
  if (lc.waitingOn?.length) lines.push(p('bold', 'Waiting on'));
  for (const w of lc.waitingOn ?? []) {
    const label = `… ${w.container}: `;
    lines.push(wrapped(label, `${p('cyan', '…')} ${w.container}: `, w.message, width));
  }
  if (lc.blockers.length) lines.push(p('bold', 'Blockers'));
  for (const b of lc.blockers) {
    const since = b.since ? ` (for ${age(b.since, now)}, since ${clock(b.since)})` : '';
    const label = `✗ ${b.code}${b.container ? ` ${b.container}` : ''}: `;
    const painted = `${p('red', `✗ ${b.code}`)}${b.container ? ` ${b.container}` : ''}: `;
    lines.push(wrapped(label, painted, b.message + since, width));
  }
  return lines.join('\n');
}

function adviceSection(lc: PodLifecycle, p: Painter, width: number): string | null {
  if (!lc.advice.length) return null;
  const lines = [p('bold', 'Advice')];
  for (const a of lc.advice) {
    const label = `→ ${a.code}${a.container ? ` ${a.container}` : ''}: `;
    const painted = `${p('yellow', `→ ${a.code}`)}${a.container ? ` ${a.container}` : ''}: `;
    lines.push(wrapped(label, painted, a.message, width));
  }
  return lines.join('\n');
}

const SOURCE_NOTE: Record<Exclude<SourceState, 'ok'>, string> = {
  forbidden: 'forbidden (RBAC)',
  unavailable: 'unavailable',
  expired: 'expired (the API server keeps events about 1h)',
  skipped: 'not read',
};

function sourcesNote(lc: PodLifecycle, p: Painter, width: number): string | null {
  const notes: string[] = [];
  const ev = lc.sources.events;
  const lg = lc.sources.logs;
  if (ev !== 'ok') notes.push(`note: events ${SOURCE_NOTE[ev] ?? ev}: timeline and restart causes are partial`);
  if (lg !== 'ok') notes.push(`note: logs ${SOURCE_NOTE[lg] ?? lg}: times come from status and events (1-second precision)`);
  else if (lc.sources.logTimestamps === false) notes.push('note: logs have no timestamps: sub-second order unavailable, times come from status and events (1-second precision)');
  return notes.length ? p('dim', notes.map((n) => prose('', '', n, width, 0, 6)).join('\n')) : null;
}

/** Pod and per-container notes from the model (malformed input it could not interpret). */
function modelNotes(lc: PodLifecycle, p: Painter, width: number): string | null {
  const n = [...(lc.notes ?? []).map((x) => `note: ${x}`), ...lc.containers.flatMap((c) => (c.notes ?? []).map((x) => `note: ${c.name}: ${x}`))];
  return n.length ? p('dim', n.map((x) => prose('', '', x, width, 0, 6)).join('\n')) : null;
}

const sameResources = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && Object.keys(a).every((k) => a[k] === b[k]);

/**
 * What the scheduler reserves for the pod (sidecars count in the steady state and beside later init
 * containers), next to the plain sum other tools show when the two differ.
 */
function resourcesLine(lc: PodLifecycle, p: Painter, width: number): string | null {
  const r = lc.resources;
  if (!r || (!Object.keys(r.requests).length && !Object.keys(r.limits).length)) return null;
  const parts = [`requests ${resourceList(r.requests)}`];
  if (Object.keys(r.limits).length) parts.push(`limits ${resourceList(r.limits)}`);
  if (r.basis === 'pod-level') parts.push('(pod-level resources)');
  if (Object.keys(r.overhead).length) parts.push(`(incl. overhead ${resourceList(r.overhead)})`);
  if (!sameResources(r.requests, r.naiveSumRequests)) parts.push(p('dim', `(sum of all containers: ${resourceList(r.naiveSumRequests)})`));
  return `${p('bold', 'Resources')}   ${flow(parts, width, 4, 'Resources   '.length)}`;
}

type PodOptions = RenderOptions & { legend?: boolean };

/** The sentences of a lifecycle with their times on the reader's clock (time.ts localTimes). */
function onReadersClock(lc: PodLifecycle, style: TimeStyle): PodLifecycle {
  const l = (s: string) => localTimes(s, style);
  return {
    ...lc,
    verdict: { ...lc.verdict, summary: l(lc.verdict.summary) },
    blockers: lc.blockers.map((b) => ({ ...b, message: l(b.message) })),
    advice: lc.advice.map((a) => ({ ...a, message: l(a.message) })),
    waitingOn: (lc.waitingOn ?? []).map((w) => ({ ...w, message: l(w.message) })),
    restarts: lc.restarts.map((r) => (r.evidence ? { ...r, evidence: r.evidence.map(l) } : r)),
    termination: lc.termination && { ...lc.termination, violations: lc.termination.violations.map((v) => ({ ...v, message: l(v.message) })) },
  };
}

export function renderPod(raw: PodLifecycle, opts: PodOptions, now: string): string {
  const lc = onReadersClock(raw, { utc: opts.utc, now });
  const p = painter(opts.color);
  // kubectl describe's layout: the pod's header at column 0, its sections indented under it, so that
  // a blank line is enough to separate pods
  const inner = { ...opts, width: Math.max(0, opts.width - 2) };
  const sections: (string | null)[] = [`${p('bold', 'Containers')}\n${indent(containerTable(lc, inner, now, p))}`, resourcesLine(lc, p, inner.width)];
  const origin = podOrigin(lc);
  const rows = startupRows(lc);
  if (origin && rows.length) {
    // the legend once: under the last chart of the pod (or once for all pods, renderText)
    const termChart = !!lc.termination && !!(lc.termination.startedAt ?? lc.pod.deletionTimestamp) && terminationRows(lc).length > 0;
    sections.push(`${p('bold', 'Startup')} (0 = pod start ${wallClock(origin, { utc: opts.utc, now })})\n${renderGantt(rows, { width: chartWidth(inner.width), color: opts.color, origin, now, legend: opts.legend ?? !termChart })}`);
  }
  sections.push(terminationSection(lc, inner, now, p));
  sections.push(restartsSection(lc, now, p, inner.width));
  sections.push(blockersSection(lc, now, p, inner.width, opts.utc));
  sections.push(adviceSection(lc, p, inner.width));
  sections.push(sourcesNote(lc, p, inner.width));
  sections.push(modelNotes(lc, p, inner.width));
  return `${header(lc, now, p, opts.width, opts.utc)}\n${indent(sections.filter((s): s is string => !!s).join('\n'))}`;
}

function sidecarCount(lc: PodLifecycle): string {
  const native = lc.containers.filter((c) => c.kind === 'sidecar').length;
  const legacy = lc.containers.filter((c) => c.legacySidecar).length;
  return legacy ? `${native}+${legacy} legacy` : String(native);
}

/** kubectl get pods -o wide: READINESS GATES as ready/total, or <none>. */
function readinessGates(pod: Pick<PodSummary, 'readinessGates'>): string {
  const g = pod.readinessGates ?? [];
  return g.length ? `${g.filter((x) => x.status === 'True').length}/${g.length}` : '<none>';
}

/**
 * What the summary table shows of a pod, and whether it needs a look: all that is kept of each pod
 * of a big list (the lifecycles of 100,000 pods took 1 GB: docs/performance.md, 100,000 pods).
 */
export interface SummaryRow {
  pod: Pick<PodSummary, 'namespace' | 'name' | 'status' | 'ready' | 'restarts' | 'lastRestartAt' | 'createdAt' | 'ip' | 'node' | 'nominatedNode' | 'readinessGates'>;
  verdict: VerdictState;
  sidecars: string;
  blockerCodes: string[];
  attention: boolean;
}

function summaryRow(lc: PodLifecycle): SummaryRow {
  const q = lc.pod;
  return {
    pod: { namespace: q.namespace, name: q.name, status: q.status, ready: q.ready, restarts: q.restarts, lastRestartAt: q.lastRestartAt, createdAt: q.createdAt, ip: q.ip, node: q.node, nominatedNode: q.nominatedNode, readinessGates: q.readinessGates },
    verdict: lc.verdict.state,
    sidecars: sidecarCount(lc),
    blockerCodes: [...new Set(lc.blockers.map((b) => b.code))],
    attention: needsAttention(lc),
  };
}

function summaryTable(rows: SummaryRow[], opts: RenderOptions, now: string, p: Painter): string {
  const wide = opts.output === 'wide';
  // as kubectl get pods: NAMESPACE only with -A, or when the pods span several namespaces (-f files)
  const namespaces = opts.allNamespaces || rows.some((r) => r.pod.namespace !== rows[0].pod.namespace);
  const head = [...(namespaces ? ['NAMESPACE'] : []), 'NAME', 'STATUS', 'VERDICT', 'READY', 'RESTARTS', 'SIDECARS', 'BLOCKERS', 'AGE'];
  // -o wide adds kubectl get pods -o wide's columns, in its order and with its <none>
  if (wide) head.push('IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES');
  const cells = rows.map(({ pod, verdict, sidecars, blockerCodes }) => [
    ...(namespaces ? [pod.namespace] : []),
    pod.name,
    pod.status,
    p(VERDICT_MARK[verdict]?.[1] ?? 'yellow', verdict),
    pod.ready,
    restartsText(pod, now),
    sidecars,
    blockerCodes.length ? p('red', blockerCodes.join(',')) : '-',
    age(pod.createdAt, now),
    ...(wide ? [pod.ip ?? '<none>', pod.node ?? '<none>', pod.nominatedNode ?? '<none>', readinessGates(pod)] : []),
  ]);
  return linearTable(head, cells, opts.width, opts.noHeaders, namespaces ? 1 : 0);
}

const workloadColour = (w: WorkloadOutcome): 'green' | 'yellow' | 'red' =>
  (workloadFailed(w) ? 'red' : w.state === 'Complete' || w.state === 'Available' ? 'green' : 'yellow');

/** The named workloads' own outcomes, first: a Job's is on the Job, not on its pods. */
export function workloadsSection(ws: WorkloadOutcome[], opts: RenderOptions, now: string): string {
  const p = painter(opts.color);
  const clock = (t: string | null | undefined) => wallClock(t, { utc: opts.utc, now });
  const lines: string[] = [];
  for (const w of sanitizeDeep(ws)) {
    const counts = w.counts ? Object.entries(w.counts).map(([k, v]) => `${k} ${v}`).join(', ') : '';
    const since = w.since ? `, since ${clock(w.since)} (${age(w.since, now)} ago)` : '';
    lines.push(flow([`${p('bold', `${w.kind}/${w.name}`)}   ${p(workloadColour(w), w.state)}${w.reason ? ` (${w.reason})` : ''}${since}`, ...(counts ? [counts] : [])], opts.width, 0));
    if (w.message) lines.push(prose('', '', localTimes(w.message, { utc: opts.utc, now }), opts.width));
    const f = w.lastFailedPod;
    if (f) {
      const what = `last failed pod ${f.name}${f.container ? `: ${f.container} exited ${f.exitCode ?? '?'}${f.reason ? ` (${f.reason})` : ''}` : f.reason ? `: ${f.reason}` : ''}${f.finishedAt ? ` at ${clock(f.finishedAt)}` : ''}${f.lastLogLine ? `; last log line: "${f.lastLogLine}"` : ''}`;
      lines.push(prose('', '', what, opts.width));
    }
  }
  return lines.join('\n');
}


export function renderText(raw: PodModelList, opts: RenderOptions, now: string): string {
  if (!raw.items.length && !raw.workloads?.length) return '';
  const head = raw.workloads?.length ? workloadsSection(raw.workloads.map(wordWorkload), opts, now) : null;
  const out = textListWriter(opts, now);
  for (const lc of raw.items) out.add(lc);
  return out.end(head);
}

/**
 * The text of a pod list, written as the pods come (describe of a big selection renders each page as
 * it arrives, cli/describe.ts): one pod alone gets its details with their legend; several get the
 * summary, then the details of those with a problem (or all, or none) and the charts' legend once.
 * Only what the summary shows of each pod is kept.
 */
export function textListWriter(opts: RenderOptions, now: string): { add(m: PodModel): void; end(head?: string | null): string; rows(): SummaryRow[] } {
  const details = opts.details ?? 'problems';
  const rows: SummaryRow[] = [];
  // each block as UTF-8 bytes until the end: a rendered block is a tree of concatenated strings that
  // took about six times its text in the heap (--scale text: 715 MB, 342 of them the summary's)
  const blocks: Buffer[] = [];
  let first: PodLifecycle | null = null; // held until a second pod says it is not alone
  let charts = false;
  const detail = (lc: PodLifecycle, row: SummaryRow) => {
    if (details === 'none' || (details === 'problems' && !row.attention)) return;
    blocks.push(Buffer.from(renderPod(lc, { ...opts, legend: false }, now)));
    charts ||= !!podOrigin(lc) && lc.containers.length > 0;
  };
  return {
    add(m) {
      // every string of the model came from the cluster or a file: escaped once, here (sanitize.ts),
      // after the wording that quotes them
      const lc = sanitizeDeep(wordPod(m));
      const row = summaryRow(lc);
      rows.push(row);
      if (rows.length === 1) first = lc;
      else {
        if (first) detail(first, rows[0]);
        first = null;
        detail(lc, row);
      }
    },
    end(head) {
      const p = painter(opts.color);
      const top = head ? [head] : [];
      if (rows.length === 1 && first && details !== 'none') return `${[...top, renderPod(first, opts, now)].join('\n\n')}\n`;
      if (first) detail(first, rows[0]); // one pod with --details none: the summary only
      if (!rows.length) return top.length ? `${top.join('\n\n')}\n` : '';
      let summary = summaryTable(rows, opts, now, p);
      const omitted = rows.length - blocks.length;
      if (omitted && details === 'problems') {
        summary += `\n${p('dim', `(details of ${omitted} pod${omitted === 1 ? '' : 's'} without a problem omitted: --details all shows them)`)}`;
      }
      const tail = charts ? [p('dim', Number.isFinite(opts.width) && LEGEND.length > opts.width ? LEGEND_SHORT : LEGEND)] : [];
      // one flat string made once from the bytes (the blocks joined as strings were as big again)
      const sep = Buffer.from('\n\n');
      const parts: Buffer[] = [Buffer.from([...top, summary].join('\n\n'))];
      for (const b of [...blocks, ...tail.map((t) => Buffer.from(t))]) parts.push(sep, b);
      parts.push(Buffer.from('\n'));
      return Buffer.concat(parts).toString();
    },
    rows: () => rows,
  };
}
