// Model OUTPUTS (PodModel: facts, worded by render/words/ as the renderers do) for renderer unit tests, written by hand from the `ordering` recording
// (test/fixtures/recordings/ordering): names, images, times, exit codes are the recorded ones. Cases no
// recording shows (a crash-looping sidecar over hours, a legacy sidecar, RBAC-forbidden events) are the
// same pod with the change said in a comment.
import type {
  ContainerModel, PodModel, PodModelList, TimelineFact, TimelineFacts,
} from '../../src/model/types.js';
import { API_VERSION } from '../../src/model/types.js';

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

const tl = (time: string, container: string | null, type: TimelineFact['type'], source: TimelineFact['source'], facts: TimelineFacts): TimelineFact =>
  ({ time, container, type, source, facts });
const event = (reason: string, message: string): TimelineFacts => ({ kind: 'event', reason, message, count: 1, firstTime: null, lastTime: null });
const START: TimelineFacts = { kind: 'start', instance: 'current', restart: 0 };
const EXIT_0: TimelineFacts = { kind: 'exit', instance: 'current', exitCode: 0, reason: 'Completed', signal: null };
const condition = (c: string): TimelineFacts => ({ kind: 'condition', condition: c, status: 'True', reason: null, message: null });

/** ordering, snapshot "running" (taken 2026-11-21T22:56:25.694Z): all four containers up, pod Ready. */
export function orderingRunning(): PodModel {
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
      tl('2026-11-21T22:56:16Z', null, 'Scheduled', 'event', event('Scheduled', 'Successfully assigned rec-ordering/ordering to lab-node')),
      tl('2026-11-21T22:56:17Z', 'init-config', 'Started', 'status', START),
      tl('2026-11-21T22:56:17.723732621Z', 'init-config', 'Started', 'log', START),
      tl('2026-11-21T22:56:18Z', 'init-config', 'Terminated', 'status', EXIT_0),
      tl('2026-11-21T22:56:18.726923793Z', 'init-config', 'Terminated', 'log', EXIT_0),
      tl('2026-11-21T22:56:19Z', 'first-sidecar', 'Started', 'status', START),
      tl('2026-11-21T22:56:19.361224595Z', 'first-sidecar', 'Started', 'log', START),
      tl('2026-11-21T22:56:20Z', 'second-sidecar', 'Started', 'status', START),
      tl('2026-11-21T22:56:20.404956518Z', 'second-sidecar', 'Started', 'log', START),
      tl('2026-11-21T22:56:21Z', null, 'PodInitialized', 'condition', condition('Initialized')),
      tl('2026-11-21T22:56:21Z', 'app', 'Started', 'status', START),
      tl('2026-11-21T22:56:21.374733354Z', 'app', 'Started', 'log', START),
      tl('2026-11-21T22:56:22Z', null, 'PodReady', 'condition', condition('Ready')),
    ],
    restarts: [],
    termination: null,
    blockers: [],
    resources: { requests: {}, limits: {}, naiveSumRequests: {}, naiveSumLimits: {}, basis: 'containers', overhead: {} },
    advice: [],
    sources: { events: 'ok', logs: 'ok' },
    verdict: { state: 'Healthy', summary: 'running and Ready: every sidecar and app container is started and ready', evidence: [] },
  };
}

/** ordering, "last-seen": deleted at 22:56:25; app out at :26, second-sidecar :30, first-sidecar :34 (each sidecar sleeps 3 s on SIGTERM). */
export function orderingTerminated(): PodModel {
  const lc = orderingRunning();
  lc.pod = { ...lc.pod, phase: 'Succeeded', status: 'Completed', ready: '0/3', deletionTimestamp: '2026-11-21T22:56:35Z' };
  lc.verdict = { state: 'Terminating', summary: 'being deleted, within its 30s grace period (deadline 2026-11-21T22:56:35Z)', evidence: [] };
  const fin: Record<string, string> = {
    app: '2026-11-21T22:56:26.381528494Z', 'second-sidecar': '2026-11-21T22:56:30Z', 'first-sidecar': '2026-11-21T22:56:34Z',
  };
  lc.containers = lc.containers.map((c) => (c.kind === 'init' ? c : {
    ...c, state: 'terminated', reason: 'Completed', exitCode: 0, started: false, ready: false, finishedAt: fin[c.name],
  }));
  lc.timeline.push(
    tl('2026-11-21T22:56:25Z', 'app', 'Killing', 'event', event('Killing', 'Stopping container app')),
    tl('2026-11-21T22:56:25Z', 'first-sidecar', 'Killing', 'event', event('Killing', 'Stopping container first-sidecar')),
    tl('2026-11-21T22:56:25Z', 'second-sidecar', 'Killing', 'event', event('Killing', 'Stopping container second-sidecar')),
    tl('2026-11-21T22:56:26.381528494Z', 'app', 'Terminated', 'log', EXIT_0),
    tl('2026-11-21T22:56:30Z', 'second-sidecar', 'Terminated', 'status', EXIT_0),
    tl('2026-11-21T22:56:34Z', 'first-sidecar', 'Terminated', 'status', EXIT_0),
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

export function list(...items: PodModel[]): PodModelList {
  return { apiVersion: API_VERSION, kind: 'PodLifecycleList', items };
}
