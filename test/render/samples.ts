// Model OUTPUTS (PodLifecycle) for renderer unit tests, written by hand from the `ordering` recording
// (test/fixtures/recordings/ordering): names, images, times, exit codes are the recorded ones. Cases no
// recording shows (a crash-looping sidecar over hours, a legacy sidecar, RBAC-forbidden events) are the
// same pod with the change said in a comment.
import type {
  ContainerLifecycle, PodLifecycle, PodLifecycleList, PodModel, PodModelList, TimelineEntry,
} from '../../src/model/types.js';
import { API_VERSION, type Advice, type Blocker } from '../../src/model/types.js';
import { wordAdvice } from '../../src/render/words/advice.js';
import { wordBlocker } from '../../src/render/words/blockers.js';

export function container(o: Partial<ContainerLifecycle> & Pick<ContainerLifecycle, 'name' | 'kind' | 'index'>): ContainerLifecycle {
  return {
    image: 'busybox:1.36', state: 'running', reason: null, exitCode: null, started: true, ready: true,
    restartCount: 0, startedAt: null, finishedAt: null,
    probes: { startup: false, readiness: false, liveness: false }, legacySidecar: null,
    message: null, signal: null, lastState: null, hooks: { postStart: false, preStop: false },
    requests: {}, limits: {}, notes: [],
    ...o,
  };
}

const tl = (time: string, container: string | null, type: TimelineEntry['type'], source: TimelineEntry['source'], detail = ''): TimelineEntry =>
  ({ time, container, type, source, detail });

/** ordering, snapshot "running" (taken 2026-11-21T22:56:25.694Z): all four containers up, pod Ready. */
/** What the renderers take (the model's PodModel) and, once worded, what rows and charts read (PodLifecycle). */
export type Sample = PodModel & PodLifecycle;

export function orderingRunning(): Sample {
  return {
    pod: {
      namespace: 'rec-ordering', name: 'ordering', uid: '6c1f0e4e-0d53-4b8e-9e55-3d7c2a1b0f10', node: 'lab-node',
      phase: 'Running', status: 'Running', ready: '3/3', restartPolicy: 'Always',
      createdAt: '2026-11-21T22:56:16Z', deletionTimestamp: null, terminationGracePeriodSeconds: 30,
      restarts: 0, lastRestartAt: null, startedAt: '2026-11-21T22:56:16Z', qosClass: 'BestEffort', owner: null,
      conditions: [], reason: null, message: null, finalizers: [],
    },
    containers: [
      container({ name: 'init-config', kind: 'init', index: 0, state: 'terminated', reason: 'Completed', exitCode: 0,
        started: false, ready: true, startedAt: '2026-11-21T22:56:17.723732621Z', finishedAt: '2026-11-21T22:56:18.726923793Z' }),
      container({ name: 'first-sidecar', kind: 'sidecar', index: 1, startedAt: '2026-11-21T22:56:19.361224595Z' }),
      container({ name: 'second-sidecar', kind: 'sidecar', index: 2, startedAt: '2026-11-21T22:56:20.404956518Z' }),
      container({ name: 'app', kind: 'app', index: 0, startedAt: '2026-11-21T22:56:21.374733354Z' }),
    ],
    timeline: [
      tl('2026-11-21T22:56:16Z', null, 'Scheduled', 'event', 'Successfully assigned rec-ordering/ordering to lab-node'),
      tl('2026-11-21T22:56:17Z', 'init-config', 'Started', 'status'),
      tl('2026-11-21T22:56:17.723732621Z', 'init-config', 'Started', 'log', 'init-config writing config'),
      tl('2026-11-21T22:56:18Z', 'init-config', 'Terminated', 'status', 'Completed (exit 0)'),
      tl('2026-11-21T22:56:18.726923793Z', 'init-config', 'Terminated', 'log', 'init-config done'),
      tl('2026-11-21T22:56:19Z', 'first-sidecar', 'Started', 'status'),
      tl('2026-11-21T22:56:19.361224595Z', 'first-sidecar', 'Started', 'log', 'first-sidecar started'),
      tl('2026-11-21T22:56:20Z', 'second-sidecar', 'Started', 'status'),
      tl('2026-11-21T22:56:20.404956518Z', 'second-sidecar', 'Started', 'log', 'second-sidecar started'),
      tl('2026-11-21T22:56:21Z', null, 'PodInitialized', 'condition'),
      tl('2026-11-21T22:56:21Z', 'app', 'Started', 'status'),
      tl('2026-11-21T22:56:21.374733354Z', 'app', 'Started', 'log', 'app started'),
      tl('2026-11-21T22:56:22Z', null, 'PodReady', 'condition'),
    ],
    restarts: [],
    termination: null,
    blockers: [],
    resources: { requests: {}, limits: {}, naiveSumRequests: {}, naiveSumLimits: {}, basis: 'containers', overhead: {} },
    advice: [],
    sources: { events: 'ok', logs: 'ok' },
    verdict: { state: 'Healthy', summary: 'running and Ready: every sidecar and app container is started and ready', facts: { kind: 'healthy' }, evidence: [] },
  };
}

/** ordering, "last-seen": deleted at 22:56:25; app out at :26, second-sidecar :30, first-sidecar :34 (each sidecar sleeps 3 s on SIGTERM). */
export function orderingTerminated(): Sample {
  const lc = orderingRunning();
  lc.pod = { ...lc.pod, phase: 'Succeeded', status: 'Completed', ready: '0/3', deletionTimestamp: '2026-11-21T22:56:35Z' };
  lc.verdict = { state: 'Terminating', summary: 'being deleted, within its 30s grace period (deadline 2026-11-21T22:56:35Z)', facts: { kind: 'terminating', gracePeriodSeconds: 30, deadline: '2026-11-21T22:56:35Z' }, evidence: [] };
  const fin: Record<string, string> = {
    app: '2026-11-21T22:56:26.381528494Z', 'second-sidecar': '2026-11-21T22:56:30Z', 'first-sidecar': '2026-11-21T22:56:34Z',
  };
  lc.containers = lc.containers.map((c) => (c.kind === 'init' ? c : {
    ...c, state: 'terminated', reason: 'Completed', exitCode: 0, started: false, ready: false, finishedAt: fin[c.name],
  }));
  lc.timeline.push(
    tl('2026-11-21T22:56:25Z', 'app', 'Killing', 'event', 'Stopping container app'),
    tl('2026-11-21T22:56:25Z', 'first-sidecar', 'Killing', 'event', 'Stopping container first-sidecar'),
    tl('2026-11-21T22:56:25Z', 'second-sidecar', 'Killing', 'event', 'Stopping container second-sidecar'),
    tl('2026-11-21T22:56:26.381528494Z', 'app', 'Terminated', 'log', 'app got SIGTERM, exiting'),
    tl('2026-11-21T22:56:30Z', 'second-sidecar', 'Terminated', 'status', 'Completed (exit 0)'),
    tl('2026-11-21T22:56:34Z', 'first-sidecar', 'Terminated', 'status', 'Completed (exit 0)'),
  );
  lc.termination = {
    startedAt: '2026-11-21T22:56:25Z', order: ['app', 'second-sidecar', 'first-sidecar'], ordered: true, violations: [], killed: [],
    trigger: 'deletion', gracePeriodSeconds: 30, serverPromise: 'ordered',
    containers: [
      { name: 'app', kind: 'app', finishedAt: fin.app, exitCode: 0, reason: 'Completed', source: 'log' },
      { name: 'second-sidecar', kind: 'sidecar', finishedAt: fin['second-sidecar'], exitCode: 0, reason: 'Completed', source: 'status' },
      { name: 'first-sidecar', kind: 'sidecar', finishedAt: fin['first-sidecar'], exitCode: 0, reason: 'Completed', source: 'status' },
    ],
  };
  return lc;
}

export function list(...items: Sample[]): PodLifecycleList & PodModelList {
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
