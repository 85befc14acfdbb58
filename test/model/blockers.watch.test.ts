// Every pod state the recorded watch streams went through, judged with the events seen by then, at
// the moment of that update: the rules never throw, a pod whose work is done has no blocker before it
// Succeeds, Running+Ready ones only what does not stop a Ready pod (a liveness kill loop, a resize not
// applied, a crash loop running again between its crashes), each blocker that appears is one the
// scenario really shows, and nothing inside its budget is one (model/budgets.ts: a regular init step
// running normally, a startup probe within its failureThreshold, a readiness probe's first checks).
import { readdirSync, readFileSync } from 'node:fs';
import type { PodAnalysis } from '../../src/model/analysis.js';
import { advise } from '../../src/model/advice.js';
import { detectBlockers } from '../../src/model/blockers.js';
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import type { CoreEvent, Pod } from '../../src/model/k8s.js';
import { blockerMessage } from '../../src/render/words/blockers.js';

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
  // istio-native, job-native-sidecar, sidecar-startup-slow, statefulset: every update falls inside the
  // sidecar's startup probe budget (istio-native: 600 × 1s); sidecar-readiness-fail: the pod's last
  // update is 3s after the start, inside the readiness budget (2s × 3 + 1s). Past it, only the clock
  // (a watch tick, a describe) sees the SidecarNotReady.
  'job-legacy-sidecar': ['LegacySidecarBlocksCompletion'],
  'job-retries': ['PodFailed'],
  // v1.35: the hook kills the sidecar; the resize never fits; the sidecar crash-loops past 20 restarts
  'poststart-fails': ['HookFailed'],
  'resize-infeasible': ['ResizeNotApplied'],
  'restarts-20': ['SidecarCrashLooping'],
  // v1.33: the liveness probe kills the sidecar while the pod stays Ready
  'sidecar-liveness-fail': ['ContainerUnhealthy'],
  'sidecar-crashloop': ['SidecarCrashLooping'],
  'unschedulable-requests': ['Unschedulable'],
};

/**
 * A pod whose regular containers have all exited 0, not being deleted and not restarting them: its
 * work is done (Kubernetes then stops the sidecars and the pod Succeeds), so nothing blocks it,
 * however its sidecars ended (job-native-sidecar: api SIGKILLed, exit 137, at 22:56:53Z).
 */
function workDone(pod: Pod): boolean {
  const apps = new Set((pod.spec?.containers ?? []).map((c) => c.name));
  const statuses = (pod.status?.containerStatuses ?? []).filter((s) => apps.has(s.name));
  return pod.spec?.restartPolicy !== 'Always' && !pod.metadata?.deletionTimestamp && pod.status?.phase !== 'Failed'
    && apps.size > 0 && statuses.length === apps.size && statuses.every((s) => s.state?.terminated?.exitCode === 0);
}

// detectBlockers returns early for a Succeeded pod (src/model/blockers.ts), so "a Succeeded pod has
// no blocker" cannot fail. The states just before it can: the phase is still Running or Pending,
// the sidecars are being stopped (or were killed), and every rule runs on them.
test.each(['job-native-sidecar', 'cronjob'])('%s: once the work is done, before the pod Succeeds, no blocker', (scenario) => {
  const done = frames(scenario).filter(({ pod }) => workDone(pod) && pod.status?.phase !== 'Succeeded');
  expect(done.length).toBeGreaterThan(0);
  for (const { a } of done) expect(detectBlockers(a)).toEqual([]);
  if (scenario === 'job-native-sidecar') {
    // the moment the sidecar's SIGKILL is in the status: a sidecar exit 137, phase still Running
    const killed = done.filter(({ pod }) => pod.status?.initContainerStatuses?.some((s) => s.name === 'api' && s.state?.terminated?.exitCode === 137));
    expect(killed.map(({ pod }) => pod.status?.phase)).toContain('Running');
  }
});

test.each(SCENARIOS)('%s: every watched state', (scenario) => {
  const seen = new Set<string>();
  for (const { pod, a } of frames(scenario)) {
    const blockers = detectBlockers(a);
    expect(() => advise(a)).not.toThrow();
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
    const runningAgain = (b: (typeof blockers)[number]) => b.facts.kind === 'crashLoop' && !!b.facts.runningAgain;
    if (pod.status?.phase === 'Running' && ready) expect(blockers.filter((b) => !['ContainerUnhealthy', 'ResizeNotApplied'].includes(b.code) && !runningAgain(b))).toEqual([]);
    for (const b of blockers) {
      seen.add(b.code);
      expect(b.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      // the facts are complete enough to word (render/words/blockers.ts)
      expect(blockerMessage(b)).not.toMatch(/undefined|null|NaN/);
    }
  }
  expect([...seen].sort()).toEqual([...(ALLOWED[scenario] ?? [])].sort());
});

// A crash loop is one blocker across its restarts: once raised it stays in every later state of the
// stream (running again between crashes included), since no instance ran the kubelet's back-off reset
// window (client-go flowcontrol/backoff.go hasExpired: 2 × MaxContainerBackOff = 600s).
test.each([['app-crashloop', 'ContainerCrashLooping', 'api'], ['sidecar-crashloop', 'SidecarCrashLooping', 'otel-collector'], ['restarts-20', 'SidecarCrashLooping', 'flaky-proxy']])(
  '%s: %s on %s, once raised, stays open through every restart', (scenario, code, container) => {
    const open = frames(scenario).map(({ a }) => detectBlockers(a).some((b) => b.code === code && b.container === container));
    const first = open.indexOf(true);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(open.slice(first).every(Boolean)).toBe(true);
  });
