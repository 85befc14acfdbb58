// What a tool built on @kubernetes/client-node does to read a cluster's pods and events, for the
// bench's side-by-side figure (docs/performance.md "Why our own code": why src/sources/http.ts lists pages itself).
//   node client-node-probe.mjs list      CoreV1Api list calls, pages of 500 (as kubectl and we read),
//                                        every item kept (a lifecycle joins pods with their events)
//   node client-node-probe.mjs informer  makeInformer (ListWatch) on pods and on events: one
//                                        unpaged list each, then a watch; exits once both are synced
// KUBECONFIG names the bench's server. Prints the counts read, so the bench can check the answer.
import { CoreV1Api, KubeConfig, makeInformer } from '@kubernetes/client-node';

const kc = new KubeConfig();
kc.loadFromDefault();
const api = kc.makeApiClient(CoreV1Api);
const mode = process.argv[2];

async function pages(list) {
  const items = [];
  let _continue;
  do {
    const r = await list({ limit: 500, _continue });
    for (const x of r.items) items.push(x);
    _continue = r.metadata?._continue || undefined;
  } while (_continue);
  return items;
}

if (mode === 'list') {
  const pods = await pages((p) => api.listPodForAllNamespaces(p));
  const events = await pages((p) => api.listEventForAllNamespaces(p));
  process.stdout.write(`${pods.length} pods, ${events.length} events\n`);
} else if (mode === 'informer') {
  const pods = makeInformer(kc, '/api/v1/pods', () => api.listPodForAllNamespaces());
  const events = makeInformer(kc, '/api/v1/events', () => api.listEventForAllNamespaces());
  await Promise.all([pods.start(), events.start()]);
  process.stdout.write(`${pods.list().length} pods, ${events.list().length} events\n`);
  await Promise.all([pods.stop(), events.stop()]);
  process.exit(0);
} else {
  process.stderr.write('usage: client-node-probe.mjs list|informer\n');
  process.exit(2);
}
