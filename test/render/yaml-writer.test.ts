// yamlListWriter (describe -o yaml of a whole selection, item by item: issue 13 #7) writes what
// renderYaml writes for the whole list, byte for byte, on every recorded pod (0, 1 and many pods).
import { startApiServer } from '../apiserver/server.js';
import { gather } from '../../src/sources/gather.js';
import { describePod, describePods } from '../../src/model/describe.js';
import { renderYaml, yamlListWriter } from '../../src/render/json.js';
import { describeOptions } from '../sources/options.js';

const NOW = '2026-11-21T23:30:00Z';

test('writes renderYaml byte for byte, item by item', async () => {
  const srv = await startApiServer({ scenarios: ['ordering', 'deployment-mesh', 'istio-native', 'job-legacy-sidecar', 'init-crashloop'] });
  try {
    const g = await gather(describeOptions(srv, { now: NOW, all: true, logs: 'off' }));
    expect(g.pods.length).toBeGreaterThan(3);
    for (const n of [0, 1, g.pods.length]) {
      const list = describePods(g.pods.slice(0, n), { now: NOW, version: null });
      let text = '';
      const w = yamlListWriter({ apiVersion: list.apiVersion, kind: list.kind }, (t) => (text += t));
      for (const ev of g.pods.slice(0, n)) w.item(describePod(ev, { now: NOW, version: null }));
      w.end();
      expect(text).toBe(renderYaml(list));
    }
  } finally {
    await srv.close();
  }
});
