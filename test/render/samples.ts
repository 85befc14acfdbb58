// Model OUTPUTS (PodModel: facts, worded by render/words/ as the renderers do) for renderer unit tests:
// the real model output of the `ordering` recording (test/fixtures/recordings/ordering), read as the
// model tests read it. Cases no recording shows (a crash-looping sidecar over hours, a legacy sidecar,
// RBAC-forbidden events) are the same pod with the change said in a comment, in the tests.
import { describePod } from '../../src/model/describe.js';
import type { ContainerModel, PodModel, PodModelList } from '../../src/model/types.js';
import { API_VERSION } from '../../src/model/types.js';
import { contextOf, loadPod } from '../model/evidence.js';

export function container(o: Partial<ContainerModel> & Pick<ContainerModel, 'name' | 'kind' | 'index'>): ContainerModel {
  return {
    image: 'busybox:1.36', state: 'running', reason: null, exitCode: null, started: true, ready: true,
    restartCount: 0, startedAt: null, finishedAt: null,
    probes: { startup: false, readiness: false, liveness: false }, legacySidecar: null,
    message: null, signal: null, lastState: null, hooks: { postStart: false, preStop: false },
    requests: {}, limits: {}, notes: [],
    ...o,
  };
}

/** ordering, snapshot "running" (taken 2026-11-21T22:56:25.694Z): all four containers up, pod Ready. */
export function orderingRunning(): PodModel {
  return describePod(loadPod('ordering', 'running'), contextOf('ordering', 'running'));
}

/** ordering, "last-seen" (logs of "terminating"): deleted at 22:56:25; app out at :26, second-sidecar :30, first-sidecar :34. */
export function orderingTerminated(): PodModel {
  return describePod(loadPod('ordering', 'last-seen', undefined, { logsFrom: 'terminating' }), contextOf('ordering', 'last-seen'));
}

export function list(...items: PodModel[]): PodModelList {
  return { apiVersion: API_VERSION, kind: 'PodLifecycleList', items };
}
