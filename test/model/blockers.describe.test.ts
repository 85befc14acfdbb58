// The rules through the real pipeline: describePod over recorded evidence must carry the same
// blockers and advice codes as the rules see on the raw recording.
import { describePod } from '../../src/model/describe.js';
import { evidenceFrom } from './analysis-fixture.js';

const EXPECTED: [string, string, string[], string[]][] = [
  // scenario, snapshot, blockers (code:container), advice (code:container)
  ['sidecar-readiness-fail', 'not-ready', ['SidecarNotReady:proxy'], ['SidecarReadinessGatesPod:proxy']],
  // 6s into a 2s × 30 startup budget: waited on, not a blocker (model/budgets.ts)
  ['sidecar-startup-slow', 'waiting-for-sidecar', [], ['SlowSidecarStartup:vault-agent']],
  ['sidecar-startup-slow', 'ready', [], ['SlowSidecarStartup:vault-agent']],
  ['init-crashloop', 'crashlooping', ['InitContainerFailing:db-check'], []],
  ['image-pull-fail', 'pull-backoff', ['ImagePullFailing:log-shipper'], []],
  ['sidecar-crashloop', 'crashlooping', ['SidecarCrashLooping:otel-collector'], []],
  ['app-crashloop', 'crashlooping', ['ContainerCrashLooping:api'], []],
  ['sidecar-liveness-fail', 'restarting', ['ContainerUnhealthy:proxy'], []],
  ['job-legacy-sidecar', 'stuck', ['LegacySidecarBlocksCompletion:istio-proxy'], ['LegacySidecar:istio-proxy']],
  ['unschedulable-requests', 'pending', ['Unschedulable:-'], []],
  ['ordering', 'running', [], []],
  ['ordering', 'terminating', [], []],
  ['job-native-sidecar', 'completed', [], ['GracePeriodTooShort:api']],
  ['deployment-mesh', 'running', [], []],
  ['istio-native', 'terminating', [], []],
  // v1.35 recordings
  ['sandbox-fails', 'no-sandbox', ['SandboxNotReady:-'], []],
  ['poststart-fails', 'hook-failing', ['HookFailed:cert-agent'], []],
  ['resize-infeasible', 'infeasible', ['ResizeNotApplied:-'], []],
  ['restart-rules', 'retrying', [], []],
  ['restarts-20', 'backoff-20', ['SidecarCrashLooping:flaky-proxy'], []],
];

test.each(EXPECTED)('%s/%s through describePod', (scenario, snap, blockers, advice) => {
  const { evidence, ctx } = evidenceFrom(scenario, snap);
  const out = describePod(evidence, ctx);
  expect(out.blockers.map((b) => `${b.code}:${b.container ?? '-'}`)).toEqual(blockers);
  expect(out.advice.map((b) => `${b.code}:${b.container ?? '-'}`)).toEqual(advice);
  for (const b of out.blockers) expect(b.since).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
});
