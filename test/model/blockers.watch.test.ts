// Every pod state the recorded watch streams went through, judged with the events seen by then:
// the rules never throw, Succeeded states have no blocker, Running+Ready ones only what does not
// stop a Ready pod (a liveness kill loop, a resize not applied), each blocker that appears is one the
// scenario really shows, and a regular init step running normally (seconds) is never one.
import { readdirSync, readFileSync } from 'node:fs';
import type { PodAnalysis } from '../../src/model/analysis.js';
import { advise } from '../../src/model/advice.js';
import { detectBlockers } from '../../src/model/blockers.js';
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import type { CoreEvent, Pod } from '../../src/model/k8s.js';

const ROOT = new URL('../fixtures/recordings/', import.meta.url);
const stream = (scenario: string, file: string) => readFileSync(new URL(`${scenario}/${file}`, ROOT), 'utf8').trim().split('\n')
  .map((l) => { const [t, j] = l.split('\t'); return { t, ev: JSON.parse(j) as { type: string; object: any } }; });
const rfc = (t: string) => t.replace(/(\.\d{3})\d*/, '$1');

function frames(scenario: string): { now: string; pod: Pod; a: PodAnalysis }[] {
  const evs = stream(scenario, 'events.watch.jsonl');
  return stream(scenario, 'pods.watch.jsonl').filter((f) => f.ev.type !== 'DELETED').map((f) => {
    const pod = f.ev.object as Pod;
    const seen = new Map<string, CoreEvent>();
    for (const e of evs) if (e.t <= f.t && e.ev.object?.involvedObject?.uid === pod.metadata?.uid) seen.set(e.ev.object.metadata.uid, e.ev.object);
    const now = rfc(f.t);
    const a: PodAnalysis = {
      pod, classified: classifyContainers(pod), events: normalizeEvents([...seen.values()]), logs: {},
      sources: { events: 'ok', logs: 'skipped' }, ctx: { now }, summary: {} as PodAnalysis['summary'],
      containers: [], timeline: [], restarts: [], termination: null,
    };
    return { now, pod, a };
  });
}

const SCENARIOS = readdirSync(ROOT).filter((d) => !d.endsWith('.md'));

/** Codes each scenario's stream may show at some moment (transient init steps included). */
const ALLOWED: Record<string, string[]> = {
  'app-crashloop': ['ContainerCrashLooping'],
  'image-pull-fail': ['ImagePullFailing'],
  'init-crashloop': ['InitContainerFailing'],
  'istio-native': ['SidecarNotStarted'],
  'job-legacy-sidecar': ['LegacySidecarBlocksCompletion'],
  'job-retries': ['PodFailed'],
  'job-native-sidecar': ['SidecarNotStarted'],
  // v1.35: the hook kills the sidecar; the resize never fits; the sidecar crash-loops past 20 restarts
  'poststart-fails': ['HookFailed'],
  'resize-infeasible': ['ResizeNotApplied'],
  'restarts-20': ['SidecarCrashLooping'],
  // v1.33: the liveness probe kills the sidecar while the pod stays Ready
  'sidecar-liveness-fail': ['ContainerUnhealthy'],
  'sidecar-crashloop': ['SidecarCrashLooping'],
  'sidecar-readiness-fail': ['SidecarNotReady'],
  'sidecar-startup-slow': ['SidecarNotStarted'],
  statefulset: ['SidecarNotStarted'],
  'unschedulable-requests': ['Unschedulable'],
};

test.each(SCENARIOS)('%s: every watched state', (scenario) => {
  const seen = new Set<string>();
  for (const { pod, a } of frames(scenario)) {
    const blockers = detectBlockers(a);
    expect(() => advise(a)).not.toThrow();
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    if (pod.status?.phase === 'Succeeded') expect(blockers).toEqual([]);
    if (pod.status?.phase === 'Running' && ready) expect(blockers.filter((b) => !['ContainerUnhealthy', 'ResizeNotApplied'].includes(b.code))).toEqual([]);
    for (const b of blockers) {
      seen.add(b.code);
      expect(b.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      expect(b.message).not.toMatch(/undefined|null|NaN/);
    }
  }
  expect([...seen].sort()).toEqual([...(ALLOWED[scenario] ?? [])].sort());
});
