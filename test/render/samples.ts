// Model OUTPUTS (PodModel: facts, worded by render/words/ as the renderers do) for renderer unit tests:
// the real model output of the `ordering` recording (test/fixtures/recordings/ordering), read as the
// model tests read it. Cases no recording shows (a crash-looping sidecar over hours, a legacy sidecar,
// RBAC-forbidden events) are the same pod with the change said in a comment, in the tests.
import { describePod } from '../../src/model/describe.js';
import type { ContainerModel, PodModel, PodModelList } from '../../src/model/types.js';
import { API_VERSION, type Advice, type Blocker } from '../../src/model/types.js';
import { wordAdvice } from '../../src/render/words/advice.js';
import { wordBlocker } from '../../src/render/words/blockers.js';
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
// Findings as the model returns them (facts), worded as the renderers word them: hand-written
// from the `ordering` recording with the edits each says.

/** first-sidecar with a failing readiness probe (edit: ordering has none), 12 failures over 2 minutes. */
export function sidecarNotReady(output = 'HTTP probe failed with statuscode: 503'): Blocker {
  return wordBlocker({
    code: 'SidecarNotReady', container: 'first-sidecar', since: '2026-11-21T22:56:20Z',
    facts: { kind: 'notReady', notReady: { by: 'readinessFailures', failures: { kind: 'Readiness', count: 12, first: '2026-11-21T22:54:20Z', last: '2026-11-21T22:56:20Z', output } } },
  });
}

/** ordering/terminating seen past its grace period (deleted 22:56:25 with 30s; edit: every container still runs). */
export function terminationOverdue(): Blocker {
  return wordBlocker({
    code: 'TerminationOverdue', container: null, since: '2026-11-21T22:56:55Z',
    facts: {
      kind: 'terminationOverdue', requestedAt: '2026-11-21T22:56:25Z', gracePeriodSeconds: 30, overdueSeconds: 15, node: 'lab-node', nodeLost: null,
      running: [{ name: 'first-sidecar', role: 'sidecar' }, { name: 'second-sidecar', role: 'sidecar' }, { name: 'app', role: 'container' }], finalizers: [],
    },
  });
}

/** first-sidecar without requests beside an app that has some (edit: ordering requests nothing). */
export function sidecarWithoutRequests(): Advice {
  return wordAdvice({ code: 'SidecarWithoutRequests', container: 'first-sidecar', facts: { kind: 'sidecarWithoutRequests', peers: [{ name: 'app', requests: [['cpu', '100m']] }] } });
}
