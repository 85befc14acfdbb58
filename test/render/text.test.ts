import { renderText } from '../../src/render/text.js';
import type { RenderOptions } from '../../src/options.js';
import { container, list, orderingRunning, orderingTerminated, sidecarNotReady, sidecarWithoutRequests, terminationOverdue } from './samples.js';

const ANSI = /\u001b\[/;
// Infinity: as when piped (nothing wraps); the layout to a width is tested in layout.test.ts
const opts = (o: Partial<RenderOptions> = {}): RenderOptions => ({ output: 'text', noHeaders: false, color: false, width: Infinity, ...o });
const RUNNING_NOW = '2026-11-21T22:56:25.694061645Z';

describe('renderText', () => {
  test('header: namespace/name, node, phase, READY, RESTARTS, AGE, QoS', () => {
    const out = renderText(list(orderingRunning()), opts(), RUNNING_NOW);
    const [first, second] = out.split('\n');
    expect(first).toMatch(/^rec-ordering\/ordering\s+on lab-node\s+IP 10\.244\.0\.96\s+Running\s+READY 3\/3\s+RESTARTS 0\s+AGE 9s$/);
    expect(second).toContain('QoS BestEffort');
  });

  test('container table: kubectl-like columns, lifecycle order, START/FINISH relative to pod start', () => {
    const out = renderText(list(orderingRunning()), opts(), RUNNING_NOW);
    expect(out).toMatch(/IDX\s+NAME\s+KIND\s+STATE\s+EXIT\s+STARTED\s+READY\s+RESTARTS\s+START\s+FINISH\n/);
    expect(out).toMatch(/I0\s+init-config\s+init\s+terminated \(Completed\)\s+0\s+false\s+true\s+0\s+\+1\.72s\s+\+2\.73s/);
    expect(out).toMatch(/S2\s+second-sidecar\s+sidecar\s+running\s+-\s+true\s+true\s+0\s+\+4\.40s\s+-/);
    expect(out.indexOf('I0 ')).toBeLessThan(out.indexOf('S1 '));
    expect(out.indexOf('S2 ')).toBeLessThan(out.indexOf('A0 '));
    expect(out).not.toContain('IMAGE');
  });

  test('--no-headers drops the summary header, as kubectl get does; each pod\'s details keep theirs', () => {
    const out = renderText(list(orderingRunning(), orderingTerminated()), opts({ noHeaders: true, details: 'all' }), RUNNING_NOW);
    expect(out).toMatch(/IDX\s+NAME/);
    expect(out).not.toMatch(/NAMESPACE\s+NAME/);
    expect(out.split('\n')[0]).toMatch(/^ordering\s+Running/);
    expect(out).toMatch(/S1\s+first-sidecar/);
  });

  test('-o wide adds IMAGE, PROBES(S:R:L), REQUESTS, LAST STATE', () => {
    const lc = orderingRunning();
    // sidecar-liveness-fail style: a sidecar with probes, requests and a previous instance killed with 137
    lc.containers[1] = { ...lc.containers[1], probes: { startup: true, readiness: true, liveness: false }, requests: { cpu: '100m', memory: '64Mi' },
      lastState: { exitCode: 137, reason: 'Error', startedAt: '2026-11-21T22:56:19Z', finishedAt: '2026-11-21T22:56:23Z' }, restartCount: 1 };
    const out = renderText(list(lc), opts({ output: 'wide' }), RUNNING_NOW);
    expect(out).toMatch(/IMAGE\s+PROBES\(S:R:L\)\s+REQUESTS\s+LAST STATE/);
    expect(out).toMatch(/first-sidecar.*busybox:1\.36\s+on:on:off\s+cpu=100m,memory=64Mi\s+terminated Error \(137\) 2s ago/);
  });

  test('legacy sidecars are marked A1* with a footnote saying why', () => {
    const lc = orderingRunning();
    // job-legacy-sidecar: istio-proxy as a plain container beside main
    lc.containers.push(container({ name: 'istio-proxy', kind: 'app', index: 1, image: 'docker.io/istio/proxyv2:1.27.0',
      startedAt: '2026-11-21T22:56:21Z', legacySidecar: { product: 'Istio', by: 'image', match: 'docker.io/istio/proxyv2:1.27.0' } }));
    const out = renderText(list(lc), opts(), RUNNING_NOW);
    expect(out).toMatch(/A1\*\s+istio-proxy/);
    expect(out).toContain('* legacy sidecar: well-known sidecar image docker.io/istio/proxyv2:1.27.0');
  });

  test('blockers are listed with their evidence; the verdict is shown, with the green check only for Healthy and Completed', () => {
    const lc = orderingRunning();
    lc.pod = { ...lc.pod, ready: '2/3' };
    lc.blockers = [sidecarNotReady()];
    lc.advice = [sidecarWithoutRequests()];
    lc.verdict = { ...lc.verdict, state: 'Degraded', facts: { kind: 'blockers', lead: 'Degraded', blockers: [{ code: 'SidecarNotReady', container: 'first-sidecar' }] } };
    const out = renderText(list(lc), opts({ width: 100 }), RUNNING_NOW);
    // wrapped to the width with a hanging indent, never cut
    expect(out.replace(/\n +/g, ' ')).toContain('✗ SidecarNotReady first-sidecar: readiness probe failing (12 times in 2m): HTTP probe failed with statuscode: 503; the pod is not Ready and is out of Service endpoints (for 5s, since 22:56:20Z)');
    expect(out.split('\n').filter((l) => /✗|^ {8}\S/.test(l) && l.length > 100)).toEqual([]);
    expect(out).toContain('→ SidecarWithoutRequests first-sidecar: first-sidecar requests no cpu or memory');
    expect(out).toContain('! Degraded: running, but not as it should: sidecar first-sidecar is not ready');
    expect(out).not.toContain('✓');

    expect(renderText(list(orderingRunning()), opts(), RUNNING_NOW)).toContain(
      '✓ Healthy: running and Ready: every sidecar and app container is started and ready');
    const terminating = renderText(list(orderingTerminated()), opts(), '2026-11-21T22:56:40Z');
    expect(terminating).toContain('… Terminating: deleted');
    expect(terminating).not.toContain('✓');
  });

  test('termination: chart and verdict in words; violations and SIGKILLs named', () => {
    const out = renderText(list(orderingTerminated()), opts(), '2026-11-21T22:56:40Z');
    expect(out).toContain('Termination (0 = 22:56:25Z, pod deleted; grace 30s)');
    expect(out).toContain('order: app → second-sidecar → first-sidecar (apps first, sidecars in reverse order: as Kubernetes ≥1.29 promises)');

    const bad = orderingTerminated();
    // same pod, changed: first-sidecar stopped before second-sidecar and was SIGKILLed (what a 1.28 node may do)
    const t = bad.termination!;
    const ended: Record<string, object> = { 'first-sidecar': { finishedAt: '2026-11-21T22:56:30Z', exitCode: 137, reason: 'Error' }, 'second-sidecar': { finishedAt: '2026-11-21T22:56:34Z' } };
    bad.termination = { ...t, ordered: false, order: ['app', 'first-sidecar', 'second-sidecar'], groups: [], killed: ['first-sidecar'],
      containers: t.containers.map((c) => ({ ...c, ...ended[c.name] })),
      violations: [{ first: 'first-sidecar', then: 'second-sidecar', cause: 'order' }] };
    const o2 = renderText(list(bad), opts(), '2026-11-21T22:56:40Z');
    expect(o2).toContain('order: app → first-sidecar → second-sidecar (out of order)');
    expect(o2).toContain('✗ first-sidecar before second-sidecar: first-sidecar (sidecar) terminated at 22:56:30Z, before second-sidecar (sidecar) at 22:56:34Z');
    expect(o2).toContain('killed at end of grace period (exit 137): first-sidecar');
    expect(renderText(list(orderingRunning()), opts(), RUNNING_NOW)).not.toContain('Termination');
  });

  test('restarts: count, last exit, causes, back-off, evidence', () => {
    const lc = orderingRunning();
    lc.pod = { ...lc.pod, restarts: 3, lastRestartAt: '2026-11-21T22:56:23Z' };
    lc.restarts = [{ container: 'first-sidecar', kind: 'sidecar', count: 3,
      last: { exitCode: 137, reason: 'Error', startedAt: '2026-11-21T22:56:19Z', finishedAt: '2026-11-21T22:56:23Z' },
      causes: ['LivenessProbeFailed'], backOff: { events: 2, lastAt: '2026-11-21T22:56:24Z' },
      evidence: [{ kind: 'kill', cause: 'LivenessProbeFailed', reason: 'Killing', message: 'Container first-sidecar failed liveness probe, will be restarted',
        count: 3, firstTime: '2026-11-21T22:56:20Z', lastTime: '2026-11-21T22:56:22Z' }] }];
    const out = renderText(list(lc), opts(), RUNNING_NOW);
    expect(out).toContain('RESTARTS 3 (2s ago)');
    expect(out).toContain('first-sidecar (sidecar): 3 restarts; last exit 137 Error at +7.0s, 2s ago, ran 4s; causes: LivenessProbeFailed; back-off: 2 events, last 1s ago');
    expect(out).toContain('Killing "Container first-sidecar failed liveness probe, will be restarted" ×3 between 22:56:20Z and 22:56:22Z');
  });

  test('sources that were not ok are said, with what it costs', () => {
    const lc = orderingRunning();
    lc.sources = { events: 'forbidden', logs: 'skipped' };
    const out = renderText(list(lc), opts(), RUNNING_NOW);
    expect(out).toContain('note: events forbidden (RBAC): timeline and restart causes are partial');
    expect(out).toContain('note: logs not read');
    expect(renderText(list(orderingRunning()), opts(), RUNNING_NOW)).not.toContain('note:');
  });

  test('several pods: a summary table first, then the blocks separated by a blank line', () => {
    const t = orderingTerminated();
    t.pod = { ...t.pod, name: 'ordering-2' };
    const out = renderText(list(orderingRunning(), t), opts({ details: 'all' }), '2026-11-21T22:56:40Z');
    const lines = out.split('\n');
    // one namespace: no NAMESPACE column, as kubectl get pods (with -A it comes back: allNamespaces)
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+VERDICT\s+READY\s+RESTARTS\s+SIDECARS\s+BLOCKERS\s+AGE$/);
    expect(lines[1]).toMatch(/^ordering\s+Running\s+Healthy\s+3\/3\s+0\s+2\s+-\s+24s$/);
    expect(lines[2]).toMatch(/^ordering-2\s+Completed\s+Terminating\s+0\/3/);
    const all = renderText(list(orderingRunning(), t), opts({ details: 'none', allNamespaces: true }), '2026-11-21T22:56:40Z').split('\n');
    expect(all[0]).toMatch(/^NAMESPACE\s+NAME\s+STATUS\s+VERDICT\s+READY\s+RESTARTS\s+SIDECARS\s+BLOCKERS\s+AGE$/);
    expect(all[1]).toMatch(/^rec-ordering\s+ordering\s+Running\s+Healthy\s+3\/3\s+0\s+2\s+-\s+24s$/);
    expect(lines[3]).toBe('');
    expect(lines[4]).toMatch(/^rec-ordering\/ordering\s/);
    const second = lines.findIndex((l) => l.startsWith('rec-ordering/ordering-2'));
    expect(lines[second - 1]).toBe('');
    // inside a pod block, no blank line: blank lines only separate pods
    expect(lines.slice(4, second - 1).every((l) => l !== '')).toBe(true);
    expect(renderText(list(orderingRunning()), opts(), RUNNING_NOW)).not.toMatch(/NAMESPACE\s+NAME/);
  });

  test('color: escape codes only when asked; none at all otherwise', () => {
    const lc = orderingTerminated();
    lc.blockers = [terminationOverdue()];
    const plain = renderText(list(lc, orderingRunning()), opts({ output: 'wide' }), '2026-11-21T22:57:10Z');
    const colored = renderText(list(lc, orderingRunning()), opts({ output: 'wide', color: true }), '2026-11-21T22:57:10Z');
    expect(plain).not.toMatch(ANSI);
    expect(colored).toMatch(/\u001b\[31m✗ TerminationOverdue/);
    expect(colored).toMatch(/\u001b\[1mrec-ordering\/ordering/);
    // same text once the codes are removed
    expect(colored.replace(/\u001b\[[0-9;]*m/g, '')).toBe(plain);
  });

  test('an empty list renders nothing', () => {
    expect(renderText(list(), opts(), RUNNING_NOW)).toBe('');
  });
});
