// The whole model on recordings, and on recorded pods broken on purpose: never throws, says
// `unknown` and notes what it could not read.
import { describePod, describePods } from '../../src/model/describe.js';
import type { PodEvidence } from '../../src/model/types.js';
import { contextOf, loadPod, loadSnapshot, scenarios } from './evidence.js';

const ctx = contextOf('ordering', 'running');

/** Deep-copy a recorded pod's evidence and break it with `edit`. */
function broken(scenario: string, snapshot: string, edit: (pod: any) => void): PodEvidence {
  const ev = loadPod(scenario, snapshot);
  const pod = structuredClone(ev.pod) as any;
  edit(pod);
  return { ...ev, pod };
}

describe('describePod', () => {
  it('describes every recorded pod in the contract shape', () => {
    for (const { scenario, snapshot } of scenarios()) {
      const list = describePods(loadSnapshot(scenario, snapshot), contextOf(scenario, snapshot));
      expect(list.apiVersion).toBe('kubectl-sidecars/v1alpha1');
      expect(list.kind).toBe('PodLifecycleList');
      for (const item of list.items) {
        expect(Object.keys(item)).toEqual(['pod', 'containers', 'timeline', 'restarts', 'termination', 'blockers', 'resources', 'advice', 'sources', 'verdict', 'waitingOn']);
        for (const c of item.containers) {
          expect(['init', 'sidecar', 'app', 'ephemeral']).toContain(c.kind);
          expect(['waiting', 'running', 'terminated', 'unknown']).toContain(c.state);
          expect(c.notes).toEqual([]); // recorded input is well-formed
        }
        expect(() => JSON.stringify(item)).not.toThrow();
      }
    }
  });

  it('ordering: containers in contract order with log-refined times, termination from last-seen', () => {
    const running = describePod(loadPod('ordering', 'running'), ctx);
    expect(running.containers.map((c) => [c.name, c.kind, c.index])).toEqual([
      ['init-config', 'init', 0], ['first-sidecar', 'sidecar', 1], ['second-sidecar', 'sidecar', 2], ['app', 'app', 0],
    ]);
    expect(running.containers[0]).toMatchObject({
      state: 'terminated', reason: 'Completed', exitCode: 0, started: false, ready: true, restartCount: 0,
      startedAt: '2026-11-21T22:56:17.723732621Z', finishedAt: '2026-11-21T22:56:18.726923793Z',
      probes: { startup: false, readiness: false, liveness: false }, legacySidecar: null, lastState: null,
    });
    expect(running.pod).toMatchObject({ status: 'Running', ready: '3/3', restarts: 0 });
    expect(running.termination).toBeNull();
    const done = describePod(loadPod('ordering', 'last-seen', undefined, { logsFrom: 'terminating' }), ctx);
    expect(done.termination).toMatchObject({ order: ['app', 'second-sidecar', 'first-sidecar'], ordered: true, killed: [] });
    expect(done.sources).toEqual({ events: 'ok', logs: 'ok' });
  });

  it('job-native-sidecar: killed api, legacy istio-proxy marked in job-legacy-sidecar', () => {
    const j = describePod(loadPod('job-native-sidecar', 'completed'), ctx);
    expect(j.termination).toMatchObject({ order: ['client', 'api'], killed: ['api'], trigger: 'completion' });
    const legacy = describePod(loadPod('job-legacy-sidecar', 'stuck'), ctx);
    expect(legacy.containers.find((c) => c.name === 'istio-proxy')!.legacySidecar).not.toBeNull();
    expect(legacy.termination).toBeNull();
  });

  it('events of other pods in the evidence are ignored', () => {
    const [a, b] = loadSnapshot('job-retries', 'failed');
    const mixed = { ...a, events: [...a.events, ...b.events] };
    expect(describePod(mixed, ctx).timeline).toEqual(describePod(a, ctx).timeline);
  });

  describe('malformed input never throws', () => {
    const cases: [string, PodEvidence][] = [
      ['status deleted', broken('ordering', 'running', (p) => delete p.status)],
      ['spec deleted', broken('ordering', 'running', (p) => delete p.spec)],
      ['metadata null', broken('ordering', 'running', (p) => (p.metadata = null))],
      ['state null', broken('ordering', 'running', (p) => (p.status.containerStatuses[0].state = null))],
      ['state a string', broken('ordering', 'running', (p) => (p.status.initContainerStatuses[1].state = 'running'))],
      ['running is a number', broken('ordering', 'running', (p) => (p.status.containerStatuses[0].state = { running: 5 }))],
      ['restartCount a string', broken('sidecar-liveness-fail', 'restarting', (p) => (p.status.initContainerStatuses[0].restartCount = 'two'))],
      ['exitCode a string, times garbage', broken('job-native-sidecar', 'completed', (p) => {
        p.status.initContainerStatuses[0].state.terminated.exitCode = '137';
        p.status.initContainerStatuses[0].state.terminated.finishedAt = 'yesterday';
        p.status.containerStatuses[0].state.terminated.startedAt = 42;
      })],
      ['lastState a list', broken('sidecar-liveness-fail', 'restarting', (p) => (p.status.initContainerStatuses[0].lastState = []))],
      ['status lists are objects', broken('ordering', 'running', (p) => (p.status.initContainerStatuses = { a: 1 }))],
      ['container entries null', broken('ordering', 'running', (p) => { p.spec.initContainers[0] = null; p.status.containerStatuses[0] = null; })],
      ['conditions a string', broken('ordering', 'running', (p) => (p.status.conditions = 'Ready'))],
      ['deletionTimestamp garbage', broken('ordering', 'terminating', (p) => (p.metadata.deletionTimestamp = 'soon'))],
      ['resources wrong-typed', broken('deployment-mesh', 'running', (p) => { p.spec.initContainers[0].resources = 'lots'; p.spec.containers[0].resources = { requests: ['cpu'] }; })],
    ];
    for (const [name, ev] of cases) {
      it(name, () => {
        expect(() => describePod(ev, ctx)).not.toThrow();
        expect(() => JSON.stringify(describePod(ev, ctx))).not.toThrow();
      });
    }

    it('says unknown and notes what it could not read', () => {
      const nullState = describePod(cases[3][1], ctx).containers.find((c) => c.name === 'app')!;
      expect(nullState.state).toBe('unknown');
      expect(nullState.notes).toContainEqual({ field: 'status.state', problem: 'noState' });
      const stringState = describePod(cases[4][1], ctx).containers.find((c) => c.name === 'first-sidecar')!;
      expect(stringState.state).toBe('unknown');
      expect(stringState.notes).toContainEqual({ field: 'state', problem: 'notObject' });
      const badRunning = describePod(cases[5][1], ctx).containers.find((c) => c.name === 'app')!;
      expect(badRunning).toMatchObject({ state: 'unknown', startedAt: null });
      expect(badRunning.notes).toContainEqual({ field: 'state.running', problem: 'notObject' });
      const badCount = describePod(cases[6][1], ctx).containers.find((c) => c.name === 'proxy')!;
      expect(badCount.restartCount).toBe(0);
      expect(badCount.notes).toContainEqual(expect.objectContaining({ field: 'restartCount', problem: 'notCount' }));
      const badExit = describePod(cases[7][1], ctx);
      const api = badExit.containers.find((c) => c.name === 'api')!;
      expect(api).toMatchObject({ state: 'terminated', exitCode: null, finishedAt: null });
      expect(api.notes).toEqual(expect.arrayContaining([{ field: 'state.terminated.exitCode', problem: 'notNumber' },
        expect.objectContaining({ field: 'state.terminated.finishedAt', problem: 'notTime' })]));
      expect(badExit.containers.find((c) => c.name === 'client')!.notes).toContainEqual(expect.objectContaining({ field: 'state.terminated.startedAt', problem: 'notTime' }));
      // a status for a container the spec does not have is kept, with a note
      const noSpec = describePod(cases[1][1], ctx);
      expect(noSpec.containers.map((c) => c.name).sort()).toEqual(['app', 'first-sidecar', 'init-config', 'second-sidecar']);
      expect(noSpec.containers.every((c) => c.notes.some((n) => n.problem === 'absentFromSpec'))).toBe(true);
      // no status at all: the pod is still summarized
      const noStatus = describePod(cases[0][1], ctx);
      expect(noStatus.pod.phase).toBe('Unknown');
      expect(noStatus.containers.every((c) => c.state === 'unknown')).toBe(true);
      const lists = describePod(cases[9][1], ctx).containers.find((c) => c.name === 'init-config')!;
      expect(lists.notes).toContainEqual({ field: 'status.initContainerStatuses', problem: 'notList' });
    });

    it('accepts evidence that is not even an object', () => {
      expect(() => describePod(null as unknown as PodEvidence, ctx)).not.toThrow();
      expect(describePod({ pod: 'x', events: 'y', logs: 3, sources: null } as unknown as PodEvidence, ctx).containers).toEqual([]);
      expect(describePods(null as unknown as PodEvidence[], ctx).items).toEqual([]);
    });
  });
});
