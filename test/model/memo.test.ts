// The model's memos (issue 15: CPU per watch update) must answer what a fresh computation answers,
// for every pod state recorded: each snapshot's pods (with their logs) and every object of each
// recording's pod watch stream (test/fixtures/recordings/*/pods.watch.jsonl).
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { classifyContainers, type ClassifiedContainer } from '../../src/model/classify.js';
import { containerTimes } from '../../src/model/containers.js';
import type { Pod } from '../../src/model/k8s.js';
import { addSeconds } from '../../src/model/time.js';
import type { ContainerLogs } from '../../src/model/types.js';
import { loadSnapshot, RECORDINGS, scenarios } from './evidence.js';

function streamPods(): Pod[] {
  const out: Pod[] = [];
  for (const s of readdirSync(RECORDINGS).sort()) {
    const f = join(RECORDINGS, s, 'pods.watch.jsonl');
    if (!existsSync(f)) continue;
    for (const l of readFileSync(f, 'utf8').split('\n')) {
      const tab = l.indexOf('\t');
      if (tab < 0) continue;
      const o = JSON.parse(l.slice(tab + 1)).object;
      if (o?.kind === 'Pod') out.push(o);
    }
  }
  return out;
}

const cases: { pod: Pod; logs: Record<string, ContainerLogs> }[] = [
  ...scenarios().flatMap(({ scenario, snapshot }) => loadSnapshot(scenario, snapshot).map((ev) => ({ pod: ev.pod, logs: ev.logs }))),
  ...streamPods().map((pod) => ({ pod, logs: {} })),
];

/** The same container, never asked before (no memo on it). */
const fresh = (c: ClassifiedContainer): ClassifiedContainer => ({ ...c, times: undefined });

describe('memos', () => {
  it('the cases hold every recording: pods of each snapshot and of each pod watch stream', () => {
    for (const { scenario, snapshot } of scenarios()) expect({ scenario, snapshot, pods: loadSnapshot(scenario, snapshot).length > 0 }).toEqual({ scenario, snapshot, pods: true });
    const streamed = new Set(streamPods().map((p) => p.metadata?.namespace));
    const withStream = readdirSync(RECORDINGS).filter((s) => existsSync(join(RECORDINGS, s, 'pods.watch.jsonl')));
    expect(withStream.length).toBeGreaterThan(10);
    expect(withStream.filter((s) => !streamed.has(`rec-${s}`))).toEqual([]);
    expect(cases.length).toBeGreaterThan(200);
  });

  it('containerTimes: the kept answer equals a fresh one, for the logs it was given only', () => {
    let containers = 0;
    for (const { pod, logs } of cases) {
      for (const c of classifyContainers(pod)) {
        const first = containerTimes(c, logs[c.name]);
        expect(containerTimes(c, logs[c.name])).toBe(first);
        expect(containerTimes(fresh(c), logs[c.name])).toEqual(first);
        // other logs: not the kept answer
        expect(containerTimes(c, undefined)).toEqual(containerTimes(fresh(c), undefined));
        containers++;
      }
    }
    expect(containers).toBeGreaterThan(500);
  });

  it('addSeconds: the kept answer equals the Date arithmetic, for every recorded time and grace', () => {
    const times = new Set<string>();
    for (const { pod } of cases) {
      for (const t of [pod.metadata?.deletionTimestamp, pod.metadata?.creationTimestamp, pod.status?.startTime]) if (typeof t === 'string') times.add(t);
    }
    expect(times.size).toBeGreaterThan(20);
    for (const t of times) {
      for (const s of [-30, -5, 0, 1, 2.5, 3600]) {
        const want = new Date(Date.parse(t) + s * 1000).toISOString().replace('.000Z', 'Z');
        expect(addSeconds(t, s)).toBe(want);
        expect(addSeconds(t, s)).toBe(want); // kept
      }
    }
  });

  it('classification (legacy sidecar images): asked twice, the same answer', () => {
    for (const { pod } of cases) expect(classifyContainers(pod).map(fresh)).toEqual(classifyContainers(pod).map(fresh));
  });
});
