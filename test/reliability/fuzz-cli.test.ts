// The CLI path for bad objects: a handful of mutated recorded pods and events piped to the real
// executable with `-f -`, in every output format. Never a crash: exit 0 with the pod described
// (unknown + notes where needed), or, for input that holds no pod at all, one `error:` line.
import type { PodLifecycleList } from '../../src/model/types.js';
import { loadSnapshot } from '../model/evidence.js';
import { expectOneErrorLine, run } from './helpers.js';
import { manyContainers, mutateEvidence, Rng } from './mutate.js';

const SEED = 7;
const FORMATS = ['json', 'yaml', 'text', 'wide'];

function asList(pod: unknown, events: unknown[]): string {
  return JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', ...(pod as object) }, ...events.map((e) => ({ apiVersion: 'v1', kind: 'Event', ...(e as object) }))] });
}

describe('mutated recorded objects through `describe -f -`', () => {
  const r = new Rng(SEED);
  const bases = ['ordering/running', 'job-native-sidecar/completed', 'sidecar-crashloop/crashlooping', 'init-interleaved/running', 'istio-native/terminating', 'job-retries/failed'];
  const cases = bases.map((b, i) => {
    const [scenario, snapshot] = b.split('/');
    const m = mutateEvidence(r, loadSnapshot(scenario, snapshot)[0]);
    return [`${b}: ${m.what.join(', ')}`, asList(m.ev.pod, m.ev.events), FORMATS[i % FORMATS.length]] as const;
  });

  test.each(cases)('%s', async (_what, input, format) => {
    const res = await run(['describe', '-f', '-', '-o', format, '--now', '2026-11-21T23:00:00Z'], { input });
    expect(res.stderr).not.toMatch(/\n\s+at |TypeError|internal:/);
    expect(res.code).toBe(0);
    expect(res.stdout.length).toBeGreaterThan(0);
    if (format === 'json') expect((JSON.parse(res.stdout) as PodLifecycleList).items).toHaveLength(1);
  });

  test('broken containers are `unknown` with their notes, in JSON and in text', async () => {
    const ev = loadSnapshot('ordering', 'running')[0];
    const pod = structuredClone(ev.pod) as any;
    pod.status.containerStatuses[0].state = 'running'; // app: a string, not an object
    pod.status.initContainerStatuses[1].restartCount = 'two';
    pod.metadata.creationTimestamp = 'yesterday';
    const input = asList(pod, ev.events);
    const j = await run(['describe', '-f', '-', '-o', 'json', '--now', '2026-11-21T23:00:00Z'], { input });
    expect(j.code).toBe(0);
    const item = (JSON.parse(j.stdout) as PodLifecycleList).items[0];
    const app = item.containers.find((c) => c.name === 'app')!;
    expect(app.state).toBe('unknown');
    expect(app.notes).toContain('state is not an object');
    expect(item.containers.find((c) => c.name === 'first-sidecar')!.notes.join()).toMatch(/restartCount is not a count/);
    expect(item.pod.createdAt).toBeNull();
    expect(item.notes).toEqual(['metadata.creationTimestamp is not a time ("yesterday"): shown as unknown']);
    const t = await run(['describe', '-f', '-', '--color', 'never', '--now', '2026-11-21T23:00:00Z'], { input });
    expect(t.code).toBe(0);
    expect(t.stdout).toMatch(/note: app: state is not an object/);
    expect(t.stdout).toMatch(/note: metadata.creationTimestamp is not a time/);
  });

  test('a pod with 2,000 containers and 256 KB messages: described in well under the timeout', async () => {
    const big = manyContainers(loadSnapshot('ordering', 'running')[0], 2000) as any;
    big.pod.status.containerStatuses[5].state = { waiting: { reason: 'CrashLoopBackOff', message: 'm'.repeat(256 * 1024) } };
    const res = await run(['describe', '-f', '-', '--color', 'never', '--now', '2026-11-21T23:00:00Z'], { input: asList(big.pod, big.events), timeoutMs: 15000 });
    expect(res.code).toBe(0);
    const named = new Set([...res.stdout.matchAll(/\sc(\d+)\s/g)].map((m) => m[1]));
    expect(named.size).toBe(2000);
    expect(Math.max(...res.stdout.split('\n').map((l) => l.length))).toBeLessThan(2000);
  });

  test('input that holds no pod is one error line, not a crash', async () => {
    expectOneErrorLine(await run(['describe', '-f', '-'], { input: '{"kind": "List", "items": 5}' }));
    expectOneErrorLine(await run(['describe', '-f', '-'], { input: '{not json' }));
    expectOneErrorLine(await run(['describe', '-f', '-'], { input: 'null' }));
  });
});
