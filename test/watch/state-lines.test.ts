// The compact state printed when watch connects: when the events stream is ahead of the pod status
// (the kubelet publishes status in batches), the State line says what the events already tell, since
// those marks count as printed from then on.
import { WatchTracker } from '../../src/model/transitions.js';
import { wordWatch } from '../../src/render/words/watch.js';
import { iso, timeline } from './replay.js';

test('job-native-sidecar: connecting between the client\'s Started event and its status says so', () => {
  const tl = timeline('job-native-sidecar');
  const pods = new Map<string, unknown>();
  const events = new Map<string, unknown>();
  const seen: string[] = [];
  for (const l of tl) {
    const m = l.stream === 'pods' ? pods : events;
    if (l.type === 'DELETED') m.delete(l.item.key);
    else m.set(l.item.key, l.item.obj);
    const lines = wordWatch(new WatchTracker({ followEvidence: true }).seed([...pods.values()] as never[], [...events.values()] as never[], iso(l.t)));
    const client = lines.find((x) => x.type === 'State' && x.container === 'client');
    if (client && /events already say Started/.test(client.detail)) seen.push(client.detail);
  }
  // the recorded streams do pass through such a moment: the status still says waiting
  expect(seen.length).toBeGreaterThan(0);
  expect(seen[0]).toMatch(/^waiting \(PodInitializing\).*events already say Started at 22:56:2\dZ$/);
});
