// Without a probe-failure event, a blocker says which probe and how it is configured, never its
// exec command line or its URL's query string (issue 13 #8): both carry secrets in real manifests.
// The pods are the recorded ones (sidecar-startup-slow waiting-for-sidecar: startup probe not passed;
// sidecar-readiness-fail not-ready: readiness) with those probes swapped in and the probe-failure
// events dropped, read from stdin as a user would.
import { loadSnapshot } from './evidence.js';
import { run } from '../cli/run.js';

const SECRETS = ['hunter2', 'tok3n-value', 'mysqladmin'];

function input(scenario: string, snapshot: string, probe: 'startupProbe' | 'readinessProbe', spec: object): string {
  const items: object[] = [];
  for (const ev of loadSnapshot(scenario, snapshot)) {
    const pod = structuredClone(ev.pod) as any;
    for (const c of [...(pod.spec.initContainers ?? []), ...pod.spec.containers]) if (c[probe]) c[probe] = spec;
    items.push({ apiVersion: 'v1', kind: 'Pod', ...pod });
    for (const e of ev.events as any[]) if (e.reason !== 'Unhealthy') items.push({ apiVersion: 'v1', kind: 'Event', ...e });
  }
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
}

const cases: [string, string, string, 'startupProbe' | 'readinessProbe', object, RegExp][] = [
  ['exec startup probe', 'sidecar-startup-slow', 'waiting-for-sidecar', 'startupProbe',
    { exec: { command: ['sh', '-c', 'mysqladmin ping -uroot -phunter2'] }, periodSeconds: 2, failureThreshold: 30 },
    /startup probe \(exec \[sh \(arguments not shown\)\] delay=0s timeout=1s period=2s #success=1 #failure=30\) has not passed yet/],
  ['httpGet readiness probe with a token in the query', 'sidecar-readiness-fail', 'not-ready', 'readinessProbe',
    { httpGet: { path: '/healthz?token=tok3n-value#x', port: 8080, scheme: 'HTTPS' }, periodSeconds: 5, failureThreshold: 2 },
    /readiness probe http-get https:\/\/:8080\/healthz delay=0s timeout=1s period=5s #success=1 #failure=2; no failure event recorded/],
];

test.each(cases)('%s', async (_name, scenario, snapshot, probe, spec, want) => {
  const stdin = input(scenario, snapshot, probe, spec);
  expect(SECRETS.some((s) => stdin.includes(s))).toBe(true);
  for (const o of ['text', 'wide', 'json', 'yaml']) {
    const r = await run(['describe', '-f', '-', '-o', o, '--now', '2026-11-30T00:00:00Z'], { input: stdin });
    expect(r.code).toBe(0);
    expect(SECRETS.filter((s) => (r.stdout + r.stderr).includes(s))).toEqual([]);
    if (o === 'json') expect(r.stdout).toMatch(want);
  }
});

// The kubelet's own Unhealthy message names the probe's whole URL: its query string is dropped where
// it is quoted (blockers, timeline, watch lines), the path kept.
test('a probe-failure event quoting a URL with a token: the path stays, the query goes', async () => {
  const items: object[] = [];
  for (const ev of loadSnapshot('sidecar-readiness-fail', 'not-ready')) {
    items.push({ apiVersion: 'v1', kind: 'Pod', ...(ev.pod as object) });
    for (const e of ev.events as any[]) {
      // edit: the recorded readiness failure, as an HTTP probe with a token in its URL reports it
      const m = e.reason === 'Unhealthy' ? { message: 'Readiness probe failed: Get "http://10.244.0.95:8080/ready?token=tok3n-value": context deadline exceeded' } : {};
      items.push({ apiVersion: 'v1', kind: 'Event', ...e, ...m });
    }
  }
  const stdin = JSON.stringify({ apiVersion: 'v1', kind: 'List', items });
  for (const o of ['text', 'json']) {
    const r = await run(['describe', '-f', '-', '-o', o, '--now', '2026-11-21T22:57:01Z'], { input: stdin });
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('tok3n-value');
    expect(r.stdout.replace(/\n\s+/g, ' ')).toContain('http://10.244.0.95:8080/ready?…');
  }
});
