// Restart histories from recordings: counts from restartCount, causes from Killing events (by
// their count, not by the number of objects) and the last termination, back-off from BackOff events.
// The evidence is asserted as facts (values from the recordings); its wording once, in the e2e output.
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import { buildContainers } from '../../src/model/containers.js';
import { buildRestarts } from '../../src/model/restarts.js';
import type { PodEvidence, RestartModel as RestartHistory } from '../../src/model/types.js';
import { loadPod, loadSnapshot } from './evidence.js';

function restartsOf(ev: PodEvidence): RestartHistory[] {
  const cls = classifyContainers(ev.pod);
  return buildRestarts(cls, buildContainers(ev.pod, cls, ev.logs), normalizeEvents(ev.events));
}

describe('restarts', () => {
  it('sidecar-liveness-fail: two restarts, both liveness kills (one Killing object with count 2)', () => {
    const r = restartsOf(loadPod('sidecar-liveness-fail', 'restarting'));
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({
      container: 'proxy', kind: 'sidecar', count: 2, causes: ['LivenessProbeFailed'], backOff: null,
      last: { exitCode: 137, reason: 'Error', startedAt: '2026-11-21T22:56:53Z', finishedAt: '2026-11-21T22:57:27Z' },
    });
    expect(r[0].evidence[0]).toEqual({ kind: 'kill', cause: 'LivenessProbeFailed', reason: 'Killing', message: 'Init container proxy failed liveness probe',
      count: 2, firstTime: '2026-11-21T22:56:23Z', lastTime: '2026-11-21T22:56:57Z' });
  });

  it('sidecar-crashloop: exits 1, back-off counted from the BackOff event', () => {
    const [r] = restartsOf(loadPod('sidecar-crashloop', 'crashlooping'));
    expect(r).toMatchObject({ container: 'otel-collector', kind: 'sidecar', count: 3, causes: ['Error'], backOff: { events: 5, lastAt: '2026-11-21T22:57:58Z' } });
    // waiting in back-off: the last termination is lastState
    expect(r.last).toEqual({ exitCode: 1, reason: 'Error', startedAt: '2026-11-21T22:57:41Z', finishedAt: '2026-11-21T22:57:44Z' });
    expect(r.evidence).toContainEqual({ kind: 'crashLoopWaiting', message: expect.stringMatching(/^back-off 40s/) });
  });

  it('app-crashloop: the app, terminated between restarts, its current instance is the last termination', () => {
    const r = restartsOf(loadPod('app-crashloop', 'crashlooping'));
    expect(r.map((x) => x.container)).toEqual(['api']);
    expect(r[0]).toMatchObject({ kind: 'app', count: 3, causes: ['Error'], backOff: { events: 4, lastAt: '2026-11-21T23:03:50Z' } });
    expect(r[0].last).toEqual({ exitCode: 1, reason: 'Error', startedAt: '2026-11-21T23:03:47Z', finishedAt: '2026-11-21T23:03:49Z' });
  });

  it('init-crashloop: the regular init container exits 3 and backs off; the sidecar never restarted', () => {
    const r = restartsOf(loadPod('init-crashloop', 'crashlooping'));
    expect(r.map((x) => [x.container, x.kind, x.count, x.causes, x.backOff?.events])).toEqual([['db-check', 'init', 3, ['Error'], 4]]);
    expect(r[0].last?.exitCode).toBe(3);
  });

  it('job-retries: three failed pods, none restarted (the Job retried with new pods)', () => {
    const evs = loadSnapshot('job-retries', 'failed');
    expect(evs).toHaveLength(3);
    for (const ev of evs) expect(restartsOf(ev)).toEqual([]);
  });

  it('healthy pods have no restart history', () => {
    expect(restartsOf(loadPod('ordering', 'running'))).toEqual([]);
    expect(restartsOf(loadPod('init-interleaved', 'running'))).toEqual([]);
  });

  it('OOMKilled from the last termination (sidecar-crashloop lastState reason edited to OOMKilled, exit 137)', () => {
    const ev = loadPod('sidecar-crashloop', 'crashlooping');
    const pod = structuredClone(ev.pod);
    const t = pod.status!.initContainerStatuses![0].lastState!.terminated!;
    t.reason = 'OOMKilled'; // edited: was Error
    t.exitCode = 137; // edited: was 1
    const [r] = restartsOf({ ...ev, pod });
    expect(r.causes).toEqual(['OOMKilled']);
    expect(r.evidence).toContainEqual({ kind: 'oomKilled', exitCode: 137, finishedAt: t.finishedAt });
  });

  it('kill events lost to the TTL leave the other restarts Unknown (sidecar-liveness-fail, restartCount edited 2 → 5)', () => {
    const ev = loadPod('sidecar-liveness-fail', 'restarting');
    const pod = structuredClone(ev.pod);
    pod.status!.initContainerStatuses![0].restartCount = 5; // edited: was 2
    const [r] = restartsOf({ ...ev, pod });
    expect(r.causes).toEqual(['LivenessProbeFailed', 'Unknown']);
    expect(r.evidence).toContainEqual({ kind: 'killsUncounted', kills: 2, restarts: 5 });
  });
});
