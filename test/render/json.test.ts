import { load } from 'js-yaml';
import { CONTRACT_KEYS, renderJson, renderYaml } from '../../src/render/json.js';
import { list, orderingRunning, orderingTerminated, sidecarNotReady, sidecarWithoutRequests, terminationOverdue } from './samples.js';

/** Every fixed name of the output contract, object by object, checked on a parsed document. */
function checkContract(doc: any): void {
  expect(Object.keys(doc).slice(0, 3)).toEqual(['apiVersion', 'kind', 'items']);
  expect(doc.apiVersion).toBe('kubectl-sidecars/v1alpha1');
  expect(doc.kind).toBe('PodLifecycleList');
  for (const item of doc.items) {
    expect(Object.keys(item).slice(0, CONTRACT_KEYS.item.length)).toEqual([...CONTRACT_KEYS.item]);
    expect(Object.keys(item.pod).slice(0, CONTRACT_KEYS.pod.length)).toEqual([...CONTRACT_KEYS.pod]);
    for (const c of item.containers) {
      expect(Object.keys(c).slice(0, CONTRACT_KEYS.container.length)).toEqual([...CONTRACT_KEYS.container]);
      expect(Object.keys(c.probes)).toEqual([...CONTRACT_KEYS.probes]);
    }
    for (const t of item.timeline) expect(Object.keys(t).slice(0, 5)).toEqual([...CONTRACT_KEYS.timeline]);
    for (const r of item.restarts) expect(Object.keys(r).slice(0, 5)).toEqual([...CONTRACT_KEYS.restart]);
    if (item.termination) expect(Object.keys(item.termination).slice(0, 5)).toEqual([...CONTRACT_KEYS.termination]);
    for (const b of item.blockers) expect(Object.keys(b)).toEqual(expect.arrayContaining([...CONTRACT_KEYS.blocker]));
    expect(Object.keys(item.resources).slice(0, 3)).toEqual([...CONTRACT_KEYS.resources]);
    for (const a of item.advice) expect(Object.keys(a)).toEqual(expect.arrayContaining([...CONTRACT_KEYS.advice]));
    expect(Object.keys(item.sources)).toEqual(['events', 'logs']);
  }
}

function withEverything() {
  const lc = orderingTerminated();
  lc.restarts = [{ container: 'first-sidecar', kind: 'sidecar', count: 1, evidence: [],
    backOff: { lastAt: null, events: 0 }, causes: ['Error'],
    last: { finishedAt: '2026-11-21T22:56:23Z', startedAt: '2026-11-21T22:56:19Z', reason: 'Error', exitCode: 1 } } as any];
  lc.blockers = [terminationOverdue()];
  lc.advice = [sidecarWithoutRequests()];
  return lc;
}

describe('renderJson / renderYaml', () => {
  test('JSON: 2-space indent, trailing newline, the contract names in the contract order', () => {
    const out = renderJson(list(withEverything(), orderingRunning()));
    expect(out.endsWith('}\n')).toBe(true);
    expect(out.split('\n')[1]).toBe('  "apiVersion": "kubectl-sidecars/v1alpha1",');
    const doc = JSON.parse(out);
    checkContract(doc);
    // keys the model wrote in another order come out in the contract's
    expect(Object.keys(doc.items[0].restarts[0].last)).toEqual(['exitCode', 'reason', 'startedAt', 'finishedAt']);
    expect(Object.keys(doc.items[0].restarts[0].backOff)).toEqual(['events', 'lastAt']);
    // the sentence, then the facts it words (an addition)
    expect(Object.keys(doc.items[0].blockers[0])).toEqual(['code', 'container', 'since', 'message', 'facts']);
    expect(doc.items[0].blockers[0].facts).toMatchObject({ kind: 'terminationOverdue', gracePeriodSeconds: 30 });
    expect(Object.keys(doc.items[0].advice[0])).toEqual(['code', 'container', 'message', 'facts']);
    // additions follow the fixed names and are kept
    expect(doc.items[0].pod.qosClass).toBe('BestEffort');
    expect(doc.items[0].termination.trigger).toBe('deletion');
    // values untouched: log-refined times keep their nanoseconds
    expect(doc.items[1].containers[0].startedAt).toBe('2026-11-21T22:56:17.723732621Z');
  });

  test('YAML: the same document, no anchors, long messages on one line', () => {
    const lc = withEverything();
    const long = sidecarNotReady('HTTP probe failed with statuscode: 503 '.repeat(5).trim());
    lc.blockers = [long];
    // the same object twice would become an anchor/alias without noRefs
    const shared = { cpu: '100m' };
    lc.containers[1].requests = shared;
    lc.containers[2].requests = shared;
    const out = renderYaml(list(lc));
    expect(out).not.toMatch(/[&*]id\d+|&ref/);
    const line = out.split('\n').find((l) => l.includes('readiness probe failing'))!;
    expect(line).toContain(long.message);
    const doc = load(out) as any;
    checkContract(doc);
    expect(doc).toEqual(JSON.parse(renderJson(list(lc))));
  });
});
