// Termination order from finish times (refined by logs), never from Killing events or update order.
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import { buildContainers } from '../../src/model/containers.js';
import { buildTermination, serverPromise } from '../../src/model/termination.js';
import type { PodEvidence, TerminationModel as Termination } from '../../src/model/types.js';
import { contextOf, loadPod, loadSnapshot } from './evidence.js';

function terminationOf(ev: PodEvidence, version = contextOf('ordering', 'running').version): Termination | null {
  const cls = classifyContainers(ev.pod);
  return buildTermination(ev.pod, cls, buildContainers(ev.pod, cls, ev.logs), normalizeEvents(ev.events), ev.logs, version);
}

describe('termination', () => {
  it('is null while nothing stops', () => {
    expect(terminationOf(loadPod('ordering', 'running'))).toBeNull();
    expect(terminationOf(loadPod('sidecar-crashloop', 'crashlooping'))).toBeNull();
    // a legacy sidecar (a plain container) still runs: the app containers have not all terminated
    expect(terminationOf(loadPod('job-legacy-sidecar', 'stuck'))).toBeNull();
  });

  it('ordering after deletion: app, second-sidecar, first-sidecar; ordered; nobody killed', () => {
    const t = terminationOf(loadPod('ordering', 'last-seen', undefined, { logsFrom: 'terminating' }))!;
    expect(t.trigger).toBe('deletion');
    expect(t.startedAt).toBe('2026-11-21T22:56:25Z');
    expect(t.order).toEqual(['app', 'second-sidecar', 'first-sidecar']);
    expect(t.ordered).toBe(true);
    expect(t.violations).toEqual([]);
    expect(t.killed).toEqual([]);
    expect(t.gracePeriodSeconds).toBe(30);
    expect(t.serverPromise).toBe('ordered');
    // init-config finished long before: not part of termination
    expect(t.containers.map((c) => c.name)).toEqual(['first-sidecar', 'second-sidecar', 'app']);
    expect(t.containers.find((c) => c.name === 'app')).toMatchObject({ finishedAt: '2026-11-21T22:56:26.381528494Z', source: 'log' });
  });

  it('a sidecar that exits 1 on its own while the app drains is a sidecar failure, not the kubelet\'s order (KEP-4438)', () => {
    const ev = loadPod('ordering', 'last-seen');
    // edit: second-sidecar ends with exit 1 at 22:56:25, before the app (22:56:26), with no log to refine it
    const st = ev.pod.status!.initContainerStatuses!.find((c) => c.name === 'second-sidecar')!;
    st.state = { terminated: { ...st.state!.terminated!, exitCode: 1, reason: 'Error', finishedAt: '2026-11-21T22:56:25Z' } };
    const t = terminationOf(ev)!;
    expect(t.ordered).toBe(false);
    expect(t.violations).toEqual([expect.objectContaining({ first: 'second-sidecar', then: 'app', cause: 'sidecarExited' })]);
    // what the violation is worded from: the sidecar's own exit, before the app ended
    expect(t.containers.find((c) => c.name === 'second-sidecar')).toMatchObject({ kind: 'sidecar', exitCode: 1, reason: 'Error', finishedAt: '2026-11-21T22:56:25Z' });
  });

  it('containers that ended in the same second with nothing to split them are one group, not a sequence', () => {
    const ev = loadPod('ordering', 'last-seen');
    // edit: both sidecars end in the same second (the status has whole seconds; no logs here)
    for (const c of ev.pod.status!.initContainerStatuses!) if (c.state?.terminated && c.name !== 'init-config') c.state.terminated.finishedAt = '2026-11-21T22:56:34Z';
    const t = terminationOf(ev)!;
    expect(t.groups).toEqual([['app'], ['second-sidecar', 'first-sidecar']]);
    expect(t.ordered).toBe(true);
  });

  it('ordering while terminating: the deletion started, everybody still runs', () => {
    const t = terminationOf(loadPod('ordering', 'terminating'))!;
    expect(t.trigger).toBe('deletion');
    // deletionTimestamp 22:56:55 − grace 30 s
    expect(t.startedAt).toBe('2026-11-21T22:56:25Z');
    expect(t.order).toEqual([]);
    expect(t.running).toEqual(['first-sidecar', 'second-sidecar', 'app']);
    expect(t.notes).toEqual([{ kind: 'stillRunning', containers: ['first-sidecar', 'second-sidecar', 'app'] }]);
    expect(t.ordered).toBe(true);
  });

  it('job-native-sidecar: client first, api SIGKILLed at the end of the grace period (busybox httpd ignores SIGTERM)', () => {
    const t = terminationOf(loadPod('job-native-sidecar', 'completed'))!;
    expect(t.trigger).toBe('completion');
    expect(t.startedAt).toBe('2026-11-21T22:56:22.410429899Z'); // client's last log line, same second as finishedAt
    expect(t.order).toEqual(['client', 'api']);
    expect(t.ordered).toBe(true);
    expect(t.killed).toEqual(['api']);
  });

  it('istio-native: the app stops, then the proxy', () => {
    const t = terminationOf(loadPod('istio-native', 'last-seen'))!;
    expect(t.trigger).toBe('deletion');
    expect(t.order).toEqual(['reviews', 'istio-proxy']);
    expect(t.ordered).toBe(true);
    expect(t.gracePeriodSeconds).toBe(20);
  });

  it('a completed pod deleted later (cronjob) stays a completion', () => {
    const t = terminationOf(loadPod('cronjob', 'last-seen'))!;
    expect(t.trigger).toBe('completion');
    expect(t.startedAt).toBe('2026-11-21T23:04:03Z');
    expect(t.order).toEqual(['cleanup', 'cloud-sql-proxy']);
  });

  it('job-retries: in each failed pod the task ends first, then its sidecar', () => {
    for (const ev of loadSnapshot('job-retries', 'failed')) {
      const t = terminationOf(ev)!;
      expect(t.trigger).toBe('completion');
      expect(t.order).toEqual(['task', 'proxy']);
      expect(t.ordered).toBe(true);
      expect(t.containers.find((c) => c.name === 'task')).toMatchObject({ exitCode: 1, reason: 'Error' });
    }
  });

  it('flags a sidecar that ended before the app (ordering/last-seen, first-sidecar finishedAt moved to 22:56:25)', () => {
    const ev = loadPod('ordering', 'last-seen');
    const pod = structuredClone(ev.pod);
    pod.status!.initContainerStatuses![1].state!.terminated!.finishedAt = '2026-11-21T22:56:25Z'; // edited: was 22:56:34
    const t = terminationOf({ ...ev, pod })!;
    expect(t.order).toEqual(['first-sidecar', 'app', 'second-sidecar']);
    expect(t.ordered).toBe(false);
    expect(t.violations.map((v) => [v.first, v.then])).toEqual([['first-sidecar', 'second-sidecar'], ['first-sidecar', 'app']]);
  });

  it('a 1-second tie no log can split is not a violation (ordering/last-seen, second-sidecar moved to first-sidecar\'s second)', () => {
    const ev = loadPod('ordering', 'last-seen');
    const pod = structuredClone(ev.pod);
    pod.status!.initContainerStatuses![2].state!.terminated!.finishedAt = '2026-11-21T22:56:34Z'; // edited: was 22:56:30
    const t = terminationOf({ ...ev, pod })!;
    expect(t.ordered).toBe(true);
    expect(t.order).toEqual(['app', 'second-sidecar', 'first-sidecar']);
    expect(t.notes).toEqual([{ kind: 'tie', containers: ['second-sidecar', 'first-sidecar'], second: '2026-11-21T22:56:34Z' }]);
  });

  it('serverPromise follows the version', () => {
    expect(serverPromise({ major: '1', minor: '28' })).toBe('unordered');
    expect(serverPromise({ major: '1', minor: '29+' })).toBe('ordered');
    expect(serverPromise(contextOf('ordering', 'running').version)).toBe('ordered');
    expect(serverPromise({ gitVersion: 'v1.28.3' })).toBe('unordered');
    expect(serverPromise(null)).toBe('unknown');
    expect(terminationOf(loadPod('job-native-sidecar', 'completed'), { major: '1', minor: '28' })!.serverPromise).toBe('unordered');
  });
});
