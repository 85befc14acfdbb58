// `watch job/NAME` in a busy namespace (issue 13 #3): a new pod of the Job whose events come
// before the pod itself, then the events of 1,500 other pods, then the pod. Its lines must all be
// printed (other pods' events once filled a 500-pod window and pushed them out); the others' events
// are kept out. Objects are copies of the recorded job-native-sidecar pod and its events.
import { startApiServer } from '../apiserver/server.js';
import { loadSnapshot } from '../model/evidence.js';
import { start } from '../cli/run.js';
import { parseLines, sleep, until } from './replay.js';

test('a Job pod\'s early events survive a flood of other pods\' events', async () => {
  const ev = loadSnapshot('job-native-sidecar', 'completed')[0];
  const pod = structuredClone(ev.pod) as any;
  pod.metadata = { ...pod.metadata, name: 'podbee-again', uid: 'podbee-again-uid', resourceVersion: '900001' };
  const own = (ev.events as any[]).filter((e) => e.involvedObject?.kind === 'Pod').map((e, i) => ({
    ...e,
    metadata: { ...e.metadata, name: `podbee-again.${i}`, uid: `podbee-again-ev-${i}`, resourceVersion: String(900100 + i) },
    involvedObject: { ...e.involvedObject, name: 'podbee-again', uid: 'podbee-again-uid' },
  }));
  const others = [];
  for (let p = 0; p < 1500; p++) {
    for (const [i, e] of own.slice(0, 3).entries()) {
      others.push({ ...e, metadata: { ...e.metadata, name: `other-${p}.${i}`, uid: `other-${p}-ev-${i}`, resourceVersion: String(1000000 + p * 10 + i) }, involvedObject: { ...e.involvedObject, name: `other-${p}`, uid: `other-${p}-uid` } });
    }
  }
  const want = own.filter((e) => ['Pulled', 'Created', 'Killing'].includes(e.reason)).length;
  expect(want).toBeGreaterThanOrEqual(5);
  const srv = await startApiServer({ scenarios: ['job-native-sidecar'], snapshot: 'completed' });
  try {
    const cli = start(['watch', 'job/podbee', '-n', 'rec-job-native-sidecar', '-o', 'json', '--kubeconfig', srv.kubeconfigPath], { timeoutMs: 60000 });
    await until(() => srv.openWatches('pods') >= 1 && srv.openWatches('events') >= 1, 'the watches');
    srv.pushWatch('events', own.map((object) => ({ type: 'ADDED' as const, object })));
    for (let i = 0; i < others.length; i += 500) {
      srv.pushWatch('events', others.slice(i, i + 500).map((object) => ({ type: 'ADDED' as const, object })));
      await sleep(20);
    }
    await sleep(500);
    srv.pushWatch('pods', [{ type: 'ADDED', object: pod }]);
    const mine = () => parseLines(cli.stdout().slice(0, cli.stdout().lastIndexOf('\n') + 1)).filter((l) => l.pod === 'podbee-again' && ['Pulled', 'Created', 'Killing'].includes(l.type));
    await until(() => mine().length >= want, 'the pod\'s lines', 15000).catch(() => undefined);
    cli.child.kill('SIGINT');
    await cli.done;
    expect(mine().length).toBe(want);
    expect(cli.stdout()).not.toContain('other-');
  } finally {
    await srv.close();
  }
}, 60000);
