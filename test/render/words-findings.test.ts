// The sentences of blockers and advice in states no recording shows (the recorded ones are in the
// golden files, test/golden/cli): the model's facts of edited recordings
// (test/model/edited-recordings.ts), worded by src/render/words/. Each sentence is pinned here only.
import { advise } from '../../src/model/advice.js';
import { detectBlockers } from '../../src/model/blockers.js';
import type { PodAnalysis } from '../../src/model/analysis.js';
import { adviceMessage } from '../../src/render/words/advice.js';
import { blockerMessage } from '../../src/render/words/blockers.js';
import { EDITED } from '../model/edited-recordings.js';
import type { WaitFinding } from '../../src/model/findings.js';
import { wordWait } from '../../src/render/words/waiting.js';

const blockerSentences = (a: PodAnalysis) => detectBlockers(a).map((b) => `${b.code}: ${blockerMessage(b)}`);
const adviceSentences = (a: PodAnalysis) => advise(a).map((x) => `${x.code}: ${adviceMessage(x)}`);

// An init step has no kubelet timeout: running is waited on (model/budgets.ts), in words.
describe('waiting sentences', () => {
  const waitSentences = (a: PodAnalysis) => { const w: WaitFinding[] = []; detectBlockers(a, w); return w.map((x) => `${x.container}: ${wordWait(x).message}`); };
  test.each([
    ['migrateRunning', EDITED.migrateRunning('2026-11-21T22:58:02Z'),
      'migrate: init step running for 90s; the kubelet gives init steps no timeout, so it counts as not exiting after 10m'],
    ['istioInitRunning', EDITED.istioInitRunning(),
      'istio-init: init step running for 2m; the kubelet gives init steps no timeout, so it counts as not exiting after 10m'],
  ])('%s', (_name, a, sentence) => {
    expect(waitSentences(a)).toEqual([sentence]);
  });
});

describe('blocker sentences', () => {
  test.each([
    ['configError', EDITED.configError(),
      'ContainerConfigError: the container cannot be created: CreateContainerConfigError: secret "fluent-bit-config" not found; app waits for it'],
    ['vaultNotExiting', EDITED.vaultNotExiting(),
      'InitContainerNotExiting: a regular init container (no restartPolicy: Always) that has been running for 15m and never exits, and it looks like a sidecar (well-known sidecar name vault-agent (Vault Agent)); migrate and app wait for it: its restartPolicy: Always was likely dropped by an old mutating webhook, or the cluster has no native sidecars'],
    ['appNotReady', EDITED.appNotReady(),
      'ContainerNotReady: readiness probe (exec [true] delay=0s timeout=1s period=2s #success=1 #failure=3) failing (18 times in 28s): upstream not configured; the pod is not Ready and is out of Service endpoints'],
    ['readinessGate', EDITED.readinessGate(),
      'ReadinessGateNotReady: readiness gate "target-health.elbv2.k8s.aws/web" has no condition on the pod yet: the controller that owns it has not reported; the pod is not Ready even though its containers may be'],
    ['readinessGate False', EDITED.readinessGate('False'),
      'ReadinessGateNotReady: readiness gate "target-health.elbv2.k8s.aws/web" is False (Elb.RegistrationInProgress: Target registration is in progress); the pod is not Ready even though its containers may be'],
    ['orderingOverdue', EDITED.orderingOverdue(),
      'TerminationOverdue: deletion was requested at 2026-11-21T22:56:25Z with a 30s grace period that ended 90s ago, and the pod is still terminating; still running: first-sidecar (sidecar), second-sidecar (sidecar) and app (container)'],
  ])('%s', (_name, a, sentence) => {
    expect(blockerSentences(a)).toEqual([sentence]);
  });

  test('a hook message without an exit code is quoted without its command lines (they may carry secrets)', () => {
    const [sentence] = blockerSentences(EDITED.hookTimedOut());
    expect(sentence).not.toContain('s3cr3t');
    expect(sentence).toMatch(/^HookFailed: its postStart hook failed 3 times in 17s \(Exec lifecycle hook for Container "cert-agent" in Pod "hooked" failed - error: its command timed out after 30s\), and the kubelet killed/);
  });

  test('a failed pod and the failed init container that caused it (init-crashloop, restartPolicy Never)', () => {
    expect(blockerSentences(EDITED.initFailedNever())).toEqual([
      'PodFailed: the pod failed and will not run again: init container db-check exited with code 3 (Error) at 2026-11-21T22:57:26Z; last log line: "checking database at db:5432" (kubectl logs init-crash -c db-check -n rec-init-crashloop)',
      'InitContainerFailing: exited with code 3 (Error) and the pod failed (restartPolicy Never): its sidecars were stopped and the app containers never ran; last log line: "checking database at db:5432"',
    ]);
  });
});

describe('advice sentences', () => {
  test.each([
    ['preStopSleep', EDITED.preStopSleep(),
      'GracePeriodTooShort: the preStop hook of reviews sleeps 20s but the whole pod has only terminationGracePeriodSeconds 20, leaving the sidecars istio-proxy no time to stop in order: raise terminationGracePeriodSeconds above 25s or shorten the hook'],
    ['sidecarWithoutRequests', EDITED.sidecarWithoutRequests(),
      "SidecarWithoutRequests: istio-proxy requests no cpu or memory although it runs for the pod's whole life, while web requests 20m cpu, 32Mi memory: the scheduler reserves nothing for it and it is first in line for eviction pressure; set resources.requests (and limits) on it"],
    ['oldServer 28', EDITED.oldServer('28'),
      'NativeSidecarsUnsupported: the API server is v1.28.15-eks-1: native sidecars there are alpha (feature gate SidecarContainers, off by default) and stopped without ordering, so first-sidecar and second-sidecar may stop before or with the app containers at shutdown; upgrade to 1.29+ for ordered termination'],
    ['oldServer 27', EDITED.oldServer('27'),
      'NativeSidecarsUnsupported: the API server is v1.27.16, older than 1.28: it does not know restartPolicy: Always on init containers, so first-sidecar and second-sidecar would run as regular init containers that never exit and block initialization forever; upgrade to 1.29+ or run them as plain containers'],
    ['tightGrace', EDITED.tightGrace(),
      'GracePeriodTooShort: shutdown took 9s of the shared 10s grace period (first-sidecar stopped last, at 2026-11-21T22:56:34Z): one slower stop and the remaining sidecars get SIGKILL; raise terminationGracePeriodSeconds or make the containers stop faster'],
  ])('%s', (_name, a, sentence) => {
    expect(adviceSentences(a)).toEqual([sentence]);
  });
});
