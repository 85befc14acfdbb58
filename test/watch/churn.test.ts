// Many pods changing at once (issue 13 #3): copies of the recorded `ordering` pod lifecycle, pushed
// through the test API server's watch streams for all copies together. The pods and events streams
// are two connections, so either may lag the other by the whole burst: both extremes are played.
// Every copy must get every line its recorded events stand for, and its deletion: the expected
// counts come from the recorded lines (one line per Pulling/Pulled/Created/Killing/BackOff event,
// Unhealthy as ProbeFailed: output contract), not from the code under test.
import { startApiServer, type PushedWatchEvent, type RunningApiServer } from '../apiserver/server.js';
import { timeline, until, parseLines, sleep } from './replay.js';
import { start } from '../cli/run.js';

// KS_CHURN_COPIES=5000 runs the large case by hand (about a minute per order on 2 cores).
const COPIES = Number(process.env.KS_CHURN_COPIES) || 600; // above the 500-pod windows the model had
const NS = 'churn';
const EVENT_LINE: Record<string, string> = { Pulling: 'Pulling', Pulled: 'Pulled', Created: 'Created', Killing: 'Killing', BackOff: 'BackOff', Unhealthy: 'ProbeFailed' };

function copies(): { pods: PushedWatchEvent[][]; events: PushedWatchEvent[][]; expected: Map<string, number> } {
  const tl = timeline('ordering');
  const pods: PushedWatchEvent[][] = [];
  const events: PushedWatchEvent[][] = [];
  const expected = new Map<string, number>(); // line type → lines per copy
  let rv = 1000;
  for (const l of tl) {
    const batch: PushedWatchEvent[] = [];
    for (let i = 0; i < COPIES; i++) {
      const o = structuredClone(l.item.obj) as any;
      if (l.stream === 'pods') {
        o.metadata = { ...o.metadata, name: `churn-${i}`, namespace: NS, uid: `churn-pod-${i}`, resourceVersion: String(++rv) };
      } else {
        o.metadata = { ...o.metadata, name: `churn-${i}.${o.metadata.name}`, namespace: NS, uid: `${o.metadata.uid}-${i}`, resourceVersion: String(++rv) };
        o.involvedObject = { ...o.involvedObject, name: `churn-${i}`, namespace: NS, uid: `churn-pod-${i}` };
      }
      batch.push({ type: l.type as PushedWatchEvent['type'], object: o });
    }
    (l.stream === 'pods' ? pods : events).push(batch);
    const want = l.stream === 'events' ? EVENT_LINE[(l.item.obj as any).reason] : undefined;
    if (want) expected.set(want, (expected.get(want) ?? 0) + 1);
  }
  return { pods, events, expected };
}

const data = copies();

async function churn(first: 'pods' | 'events'): Promise<void> {
  const srv: RunningApiServer = await startApiServer({ scenarios: ['ordering'], snapshot: 'running' });
  try {
    const cli = start(['watch', '-n', NS, '-o', 'json', '--kubeconfig', srv.kubeconfigPath], { timeoutMs: 600000 });
    await until(() => srv.openWatches('pods') >= 1 && srv.openWatches('events') >= 1, 'the watches');
    for (const res of first === 'pods' ? ['pods', 'events'] as const : ['events', 'pods'] as const) {
      for (const batch of res === 'pods' ? data.pods : data.events) {
        expect(srv.pushWatch(res, batch)).toBe(1);
        await sleep(5);
      }
    }
    const total = [...data.expected.values()].reduce((a, b) => a + b, 0) * COPIES;
    // the output is only scanned now and then: parsing it all every few ms would starve the CLI
    const types = [...data.expected.keys()].map((t) => `"type":"${t}"`);
    const counted = () => types.reduce((n, t) => n + cli.stdout().split(t).length - 1, 0);
    for (let last = -1, same = 0; counted() < total && same < 40; same = counted() === last ? same + 1 : 0, last = counted()) await sleep(250);
    cli.child.kill('SIGINT');
    await cli.done;
    const lines = parseLines(cli.stdout());
    const per = new Map<string, number>();
    for (const l of lines) if (data.expected.has(l.type)) per.set(`${l.pod}|${l.type}`, (per.get(`${l.pod}|${l.type}`) ?? 0) + 1);
    const wrong: string[] = [];
    for (let i = 0; i < COPIES; i++) {
      for (const [type, n] of data.expected) {
        const got = per.get(`churn-${i}|${type}`) ?? 0;
        if (got !== n) wrong.push(`churn-${i} ${type}: ${got} of ${n}`);
      }
    }
    expect({ wrong: wrong.length, first: wrong.slice(0, 5) }).toEqual({ wrong: 0, first: [] });
    expect(cli.stderr()).toBe(`note: no matching pods in namespace "${NS}" yet: waiting for them\n`);
  } finally {
    await srv.close();
  }
}

test('the recording has lines to count', () => {
  expect(data.expected.get('Pulled')).toBe(4);
  expect(data.expected.get('Killing')).toBe(3);
});

test(`${COPIES} pods at once, the events stream behind the whole pods stream (late events of deleted pods)`, () => churn('pods'), 600000);
test(`${COPIES} pods at once, the events stream ahead of the whole pods stream (events before their pods)`, () => churn('events'), 600000);
