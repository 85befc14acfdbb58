// Bad objects through the model: every recorded pod, event and log, mutated thousands of times with
// a seeded PRNG (deleted fields, nulls, wrong types, statuses naming unknown containers or containers
// absent from the spec, times out of order or in the future, huge messages, thousands of containers).
// describePod (and the renderers) and the watch model must never throw, must keep the contract's
// value sets, and must say `unknown` with a note for what they could not interpret.
import { describePod } from '../../src/model/describe.js';
import { detectBlockers } from '../../src/model/blockers.js';
import { computeResources } from '../../src/model/resources.js';
import { advise } from '../../src/model/advice.js';
import type { PodAnalysis } from '../../src/model/analysis.js';
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import type { Pod } from '../../src/model/k8s.js';
import { WatchTracker } from '../../src/model/transitions.js';
import { renderJson, renderYaml } from '../../src/render/json.js';
import { renderText } from '../../src/render/text.js';
import { WatchLineFormatter } from '../../src/render/watch-lines.js';
import type { ModelContext, PodEvidence, PodLifecycle, PodModelList } from '../../src/model/types.js';
import type { BlockerFinding } from '../../src/model/findings.js';
import { wordPod } from '../../src/render/words/index.js';
import { wordWatch } from '../../src/render/words/watch.js';
import { API_VERSION } from '../../src/model/types.js';
import { contextOf, loadSnapshot, scenarios } from '../model/evidence.js';
import { manyContainers, mutateEvidence, POD_MUTATIONS, Rng } from './mutate.js';

const SEED = Number(process.env.RELIABILITY_SEED ?? 20261121);
const DESCRIBE_RUNS = 3200;
const WATCH_RUNS = 1500;

const KINDS = ['init', 'sidecar', 'app', 'ephemeral'];
const STATES = ['waiting', 'running', 'terminated', 'unknown'];
const TYPES = ['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started', 'StartupSucceeded', 'Ready', 'NotReady', 'ProbeFailed', 'Killing', 'Terminated', 'BackOff', 'PodInitialized', 'PodReady', 'PodCompleted', 'DeletionRequested'];
const SOURCES = ['status', 'condition', 'event', 'log'];
const CAUSES = ['OOMKilled', 'LivenessProbeFailed', 'StartupProbeFailed', 'Error', 'Completed', 'DefinitionChanged', 'Unknown'];
const BLOCKERS = ['Unschedulable', 'ImagePullFailing', 'ContainerConfigError', 'InitContainerFailing', 'InitContainerRunning', 'InitContainerNotExiting', 'SidecarNotStarted', 'SidecarCrashLooping', 'SidecarNotReady', 'ContainerCrashLooping', 'ContainerNotReady', 'ReadinessGateNotReady', 'LegacySidecarBlocksCompletion', 'TerminationOverdue',
  // added in the contract's verdict revision (docs/output-contract.md)
  'PodFailed', 'SandboxNotReady', 'HookFailed', 'ContainerUnhealthy', 'NeverCompletes', 'SchedulingGated', 'ResizeNotApplied', 'ShutdownOOMKilled'];
const VERDICTS = ['Healthy', 'Completed', 'Progressing', 'Degraded', 'Blocked', 'Failed', 'Terminating', 'Unknown'];
const ADVICE = ['SidecarWithoutRequests', 'SlowSidecarStartup', 'SidecarReadinessGatesPod', 'GracePeriodTooShort', 'LegacySidecar', 'NativeSidecarsUnsupported', 'ShutdownNeedsMemory'];
const SOURCE_STATES = ['ok', 'forbidden', 'unavailable', 'expired', 'skipped'];

interface Base {
  ev: PodEvidence;
  ctx: ModelContext;
}
const bases: Base[] = scenarios().flatMap(({ scenario, snapshot }) =>
  loadSnapshot(scenario, snapshot).map((ev) => ({ ev, ctx: contextOf(scenario, snapshot) })));

const isTime = (t: unknown) => typeof t === 'string' && Number.isFinite(Date.parse(t));
const timeOrNull = (t: unknown) => t === null || isTime(t);

/** A NaN, an Infinity, an "Invalid Date" or an "[object Object]" anywhere in the result (a walk:
 * JSON.stringify of 256 KB messages thousands of times was the slowest part of this test). */
function badValue(v: unknown, path: string): string | null {
  if (typeof v === 'number') return Number.isFinite(v) ? null : `${path} = ${v}`;
  if (typeof v === 'string') return /\bNaN\b|Invalid Date|\[object Object\]|\bundefined\b/.test(v) ? `${path} = ${v.slice(0, 100)}` : null;
  if (v === null || typeof v !== 'object') return v === undefined ? `${path} is undefined` : null;
  for (const [k, x] of Object.entries(v)) {
    const b = badValue(x, `${path}.${k}`);
    if (b) return b;
  }
  return null;
}

/** The contract's value sets and types hold, whatever the input was. Returns the first violation. */
function violation(lc: PodLifecycle): string | null {
  const bad = badValue(lc, 'lc');
  if (bad) return bad;
  for (const k of ['namespace', 'name', 'uid', 'phase', 'status', 'ready', 'restartPolicy'] as const) if (typeof lc.pod[k] !== 'string') return `pod.${k} not a string`;
  if (!Number.isFinite(lc.pod.terminationGracePeriodSeconds)) return 'grace period not a number';
  if (!timeOrNull(lc.pod.createdAt) || !timeOrNull(lc.pod.deletionTimestamp)) return 'pod times';
  for (const c of lc.containers) {
    if (typeof c.name !== 'string') return 'container name';
    if (!KINDS.includes(c.kind)) return `kind ${c.kind}`;
    if (!STATES.includes(c.state)) return `state ${c.state}`;
    if (!Number.isInteger(c.restartCount) || c.restartCount < 0) return `restartCount ${c.restartCount}`;
    if (c.exitCode !== null && !Number.isInteger(c.exitCode)) return `exitCode ${c.exitCode}`;
    if (!timeOrNull(c.startedAt) || !timeOrNull(c.finishedAt)) return `container ${c.name} times ${c.startedAt} ${c.finishedAt}`;
    if (!Array.isArray(c.notes) || c.notes.some((n) => typeof n !== 'string')) return 'notes';
  }
  for (const t of lc.timeline) {
    if (!TYPES.includes(t.type) || !SOURCES.includes(t.source)) return `timeline ${t.type}/${t.source}`;
    if (!isTime(t.time)) return `timeline time ${t.time}`;
    if (typeof t.detail !== 'string') return 'timeline detail';
  }
  for (const r of lc.restarts) if (r.causes.some((c) => !CAUSES.includes(c))) return `cause ${r.causes}`;
  for (const b of lc.blockers) if (!BLOCKERS.includes(b.code) || typeof b.message !== 'string') return `blocker ${b.code}`;
  for (const a of lc.advice) if (!ADVICE.includes(a.code) || typeof a.message !== 'string') return `advice ${a.code}`;
  if (!SOURCE_STATES.includes(lc.sources.events) || !SOURCE_STATES.includes(lc.sources.logs)) return 'sources';
  if (lc.termination && !lc.termination.order.every((n) => typeof n === 'string')) return 'termination order';
  if (!VERDICTS.includes(lc.verdict?.state) || typeof lc.verdict.summary !== 'string' || !lc.verdict.summary) return `verdict ${lc.verdict?.state}`;
  // never the green check without positive evidence
  if (lc.verdict.state === 'Healthy' && (lc.pod.phase !== 'Running' || lc.blockers.length)) return 'Healthy without a Running pod free of blockers';
  if (lc.verdict.state === 'Completed' && lc.pod.phase !== 'Succeeded') return 'Completed without phase Succeeded';
  return null;
}

describe('mutated recorded objects through the model', () => {
  test(`describePod: ${DESCRIBE_RUNS} mutated pods with their events and logs (seed ${SEED})`, () => {
    expect(bases.length).toBeGreaterThan(30);
    const r = new Rng(SEED);
    let objects = 0;
    const failures: string[] = [];
    for (let i = 0; i < DESCRIBE_RUNS && failures.length < 5; i++) {
      const base = r.pick(bases);
      const m = mutateEvidence(r, base.ev);
      objects += m.mutatedObjects;
      const where = `seed ${SEED} run ${i} ${base.ev.pod.metadata?.name}: ${m.what.join(', ')}`;
      try {
        const model = describePod(m.ev, base.ctx);
        // the contract's shape: the facts worded as every renderer words them
        const v = violation(wordPod(model));
        if (v) failures.push(`${where}: ${v}`);
        // the rule modules themselves, without describePod's safety net
        const lost = (model.notes ?? []).filter((n) => n.problem === 'failed').map((n) => `${n.field}: ${n.value}`);
        if (lost.length) failures.push(`${where}: a rule module failed: ${lost.join('; ')}`);
        // every renderer, on a sample (rendering is slower than the model)
        if (i % 16 === 0) {
          const list: PodModelList = { apiVersion: API_VERSION, kind: 'PodLifecycleList', items: [model] };
          renderJson(list);
          renderYaml(list);
          renderText(list, { output: i % 32 ? 'text' : 'wide', noHeaders: false, color: i % 48 === 0, width: 100 }, base.ctx.now);
        }
      } catch (e) {
        failures.push(`${where}: threw ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(objects).toBeGreaterThanOrEqual(10000);
  });

  test('the rule modules alone (blockers, resources, advice) never throw on mutated pods', () => {
    const r = new Rng(SEED + 1);
    const codes = new Set<string>();
    const advice = new Set<string>();
    let perContainer = 0;
    for (let i = 0; i < 500; i++) {
      const base = r.pick(bases);
      const m = mutateEvidence(r, base.ev);
      const lc = describePod(m.ev, base.ctx);
      expect(() => computeResources(m.ev.pod)).not.toThrow();
      // The analysis describePod builds (src/model/describe.ts), rebuilt from the mutated evidence
      // with the production classifier and event normaliser, so that the per-container rules run
      // on the mutated pods' real containers (with `classified: []` none of them ran).
      const pod = (m.ev.pod && typeof m.ev.pod === 'object' ? m.ev.pod : {}) as Pod;
      const classified = classifyContainers(pod);
      const events = normalizeEvents(Array.isArray(m.ev.events) ? m.ev.events : []);
      const analysis: PodAnalysis = { pod, classified, events, logs: m.ev.logs, sources: lc.sources, ctx: base.ctx, summary: lc.pod, containers: lc.containers, timeline: lc.timeline, restarts: lc.restarts, termination: lc.termination };
      if (classified.length > 0) perContainer++;
      let blockers: BlockerFinding[] = [];
      expect(() => (blockers = detectBlockers(analysis))).not.toThrow();
      expect(() => advise(analysis).forEach((a) => advice.add(a.code))).not.toThrow();
      for (const b of blockers) codes.add(b.code);
    }
    // the rules did judge containers: most mutated pods keep some, and per-container codes came out
    expect(perContainer).toBeGreaterThan(400);
    expect([...codes].filter((c) => ['SidecarCrashLooping', 'ContainerCrashLooping', 'ImagePullFailing', 'InitContainerFailing', 'SidecarNotReady'].includes(c)).length).toBeGreaterThanOrEqual(3);
    expect(advice.size).toBeGreaterThan(0);
  });

  test('what cannot be interpreted is `unknown` with a note', () => {
    const r = new Rng(SEED + 2);
    let checked = 0;
    for (const base of bases) {
      const pod = structuredClone(base.ev.pod) as any;
      const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
      if (!statuses.length) continue;
      const victim = r.pick(statuses);
      victim.state = r.pick<unknown>(['running', 7, [], { running: 5 }, { terminated: 'yes' }, { waiting: [] }, null]);
      const ghost = { ...structuredClone(victim), name: 'not-in-spec', state: { running: { startedAt: '2026-11-21T22:56:20Z' } } };
      pod.status.containerStatuses = [...(pod.status.containerStatuses ?? []), ghost];
      const lc = describePod({ ...base.ev, pod }, base.ctx);
      const c = lc.containers.find((x) => x.name === victim.name)!;
      expect(c.state).toBe('unknown');
      expect(c.notes.length).toBeGreaterThan(0);
      const g = lc.containers.find((x) => x.name === 'not-in-spec')!;
      expect(g.notes).toContainEqual({ field: 'containerStatuses', problem: 'absentFromSpec' });
      checked++;
    }
    expect(checked).toBeGreaterThan(30);
  });

  test('a rule module that still fails leaves a visible note, never a silent empty section', () => {
    // Not JSON: a getter that throws is the one way left to make computeResources fail, and only it
    // reads spec.overhead. The failure must show in -o json (notes) and in the text output.
    const base = bases.find((b) => b.ev.pod.metadata?.name === 'ordering')!;
    const pod = structuredClone(base.ev.pod) as any;
    Object.defineProperty(pod.spec, 'overhead', { enumerable: true, get: () => { throw new Error('overhead exploded'); } });
    const lc = describePod({ ...base.ev, pod }, base.ctx);
    expect(lc.notes).toEqual([{ field: 'resources', problem: 'failed', value: 'overhead exploded' }]);
    expect(lc.containers).toHaveLength(4);
    const list: PodModelList = { apiVersion: API_VERSION, kind: 'PodLifecycleList', items: [lc] };
    const json = JSON.parse(renderJson(list)).items[0];
    expect(json.noteFacts).toEqual(lc.notes);
    expect(json.notes).toEqual([expect.stringContaining('overhead exploded')]);
    expect(renderText(list, { output: 'text', noHeaders: false, color: false, width: 120 }, base.ctx.now)).toContain('note: resources could not be worked out');
    // well-formed recorded input has no such note
    expect(describePod(base.ev, base.ctx).notes).toBeUndefined();
  });

  test('thousands of containers: described and rendered in well under a second each', () => {
    const base = bases.find((b) => b.ev.pod.metadata?.name === 'ordering')!;
    for (const n of [1000, 3000]) {
      const ev = manyContainers(base.ev, n);
      const t0 = performance.now();
      const lc = describePod(ev, base.ctx);
      renderText({ apiVersion: API_VERSION, kind: 'PodLifecycleList', items: [lc] }, { output: 'text', noHeaders: false, color: false, width: 120 }, base.ctx.now);
      const took = performance.now() - t0;
      expect(lc.containers.filter((c) => c.kind === 'app')).toHaveLength(n);
      expect(violation(wordPod(lc))).toBeNull();
      expect(took).toBeLessThan(3000);
    }
  });

  // The watch model takes whatever the streams carry: mutated pods and events, and non-objects.
  test(`watch model: ${WATCH_RUNS} mutated pod and event updates, deletions and ticks (seed ${SEED})`, () => {
    const r = new Rng(SEED + 3);
    const fmt = new WatchLineFormatter({ output: 'text', color: false });
    const jsonFmt = new WatchLineFormatter({ output: 'json', color: false });
    let objects = 0;
    const failures: string[] = [];
    for (let i = 0; i < WATCH_RUNS && failures.length < 5; i++) {
      const base = r.pick(bases);
      const tracker = new WatchTracker({ version: base.ctx.version, followEvidence: r.chance(0.5) });
      const m1 = mutateEvidence(r, base.ev);
      const m2 = mutateEvidence(r, base.ev);
      objects += m1.mutatedObjects + m2.mutatedObjects;
      const where = `seed ${SEED} watch run ${i} ${base.ev.pod.metadata?.name}: ${[...m1.what, ...m2.what].join(', ')}`;
      try {
        const lines = [
          ...tracker.seed([m1.ev.pod], m1.ev.events, base.ctx.now),
          ...tracker.pod(m2.ev.pod, base.ctx.now),
          ...m2.ev.events.flatMap((e) => tracker.event(e, base.ctx.now)),
          ...tracker.tick('2999-01-01T00:00:00Z'),
          ...(r.chance(0.3) ? tracker.deleted(m2.ev.pod, base.ctx.now) : []),
        ];
        tracker.progress(r.pick(['initialized', 'ready', 'complete', 'deleted']));
        for (const l of wordWatch(lines)) {
          if (typeof l.time !== 'string' || typeof l.detail !== 'string') failures.push(`${where}: line ${JSON.stringify(l).slice(0, 200)}`);
        }
        fmt.format(lines);
        jsonFmt.format(lines);
      } catch (e) {
        failures.push(`${where}: threw ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`);
      }
    }
    expect(failures).toEqual([]);
    expect(objects).toBeGreaterThanOrEqual(5000);
  });

  test('the watch model survives objects that are not even pods', () => {
    const tracker = new WatchTracker({});
    const junk: unknown[] = [null, 5, 'pod', [], {}, { metadata: null }, { metadata: { uid: 7 } }, { metadata: 'x' }, { metadata: { uid: 'u' }, spec: 'x', status: [] }];
    const now = '2026-11-21T22:56:00Z';
    for (const j of junk) {
      expect(() => tracker.seed([j as never], [j as never], now)).not.toThrow();
      expect(() => tracker.pod(j as never, now)).not.toThrow();
      expect(() => tracker.event(j as never, now)).not.toThrow();
      expect(() => tracker.deleted(j as never, now)).not.toThrow();
      expect(() => tracker.tick(now)).not.toThrow();
    }
    expect(Object.keys(POD_MUTATIONS).length).toBeGreaterThan(5);
  });
});
