// Scale: a namespace with more events than a JavaScript call can take as arguments (~125,000:
// `push(...list)` overflowed the stack, issue 13 item 1). The events are copies of a recorded one
// (ordering/running), each with its own name and uid, all about the recorded pod.
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { loadSnapshot } from '../model/evidence.js';
import { run } from '../cli/run.js';

const COUNT = 140_000;

function manyEvents(): { events: object[]; podName: string } {
  const ev = loadSnapshot('ordering', 'running')[0];
  const recorded = ev.events[0] as any;
  const events: object[] = [];
  for (let i = 0; i < COUNT; i++) {
    events.push({
      ...recorded,
      metadata: { name: `${recorded.metadata.name}.x${i}`, namespace: recorded.metadata.namespace, uid: `x-${i}`, resourceVersion: String(i + 1) },
      message: `copy ${i}`,
    });
  }
  return { events, podName: ev.pod.metadata!.name! };
}

let srv: RunningApiServer;
let podName: string;
beforeAll(async () => {
  const m = manyEvents();
  podName = m.podName;
  srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', extra: { events: m.events } });
}, 60000);
afterAll(() => srv.close());

test(`describe -n NS over ${COUNT} events in scope: no stack overflow`, async () => {
  const r = await run(['describe', '-n', 'rec-ordering', '--kubeconfig', srv.kubeconfigPath, '-o', 'json'], { timeoutMs: 60000 });
  expect(r.stderr).not.toMatch(/call stack|internal/);
  expect(r.code).toBe(0);
  const out = JSON.parse(r.stdout);
  const pods = out.items ?? out;
  expect(JSON.stringify(pods)).toContain(podName);
}, 90000);
