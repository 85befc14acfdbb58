// api.ts trimPodLine: the pods watch cuts from each event's text, after trimLine, the pod fields
// (POD_CUTS) no reader the watch derives from needs, and keeps that text (model/watch/store.ts).
// Checked three ways: the cut text parses to the trimmed object minus exactly those fields (every
// recorded pod line); the watch prints the same lines from cut objects as from whole ones (every
// recorded stream, events and the clock included); and text in odd shapes is never cut wrong.
// A fourth check keeps the list honest: no source file of the watch names a cut field.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RECORDINGS_DIR, recordedWatchLines } from '../apiserver/recordings.js';
import { POD_CUTS, trimLine, trimObject, trimPodLine } from '../../src/sources/api.js';
import { WatchTracker } from '../../src/model/transitions.js';
import { WatchLineFormatter } from '../../src/render/watch-lines.js';
import type { WatchFact } from '../../src/model/watch/facts.js';
import { timeline, iso, until } from '../watch/replay.js';
import { startApiServer } from '../apiserver/server.js';
import { loadKubeconfig } from '../../src/sources/kubeconfig.js';
import { HttpClient } from '../../src/sources/http.js';
import { KubeApi } from '../../src/sources/api.js';
import { EvidenceWatch, type WatchUpdate } from '../../src/sources/watch.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const drop = (o: unknown, keys: readonly string[]) => {
  if (isObj(o)) for (const k of keys) delete o[k];
};
const each = (a: unknown, f: (x: unknown) => void) => {
  if (Array.isArray(a)) a.forEach(f);
};

/** The watch event with trimObject's cuts and POD_CUTS deleted from its parsed pod: what the cut text must parse to. */
function expectedCut(event: Obj): Obj {
  const pod = event.object;
  if (!isObj(pod)) return event;
  trimObject(pod);
  const spec = pod.spec as Obj | undefined;
  const status = pod.status as Obj | undefined;
  drop(spec, POD_CUTS.spec);
  for (const k of ['containers', 'initContainers', 'ephemeralContainers']) each(spec?.[k], (c) => drop(c, POD_CUTS.container));
  drop(status, POD_CUTS.status);
  for (const k of ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses']) {
    each(status?.[k], (c) => {
      drop(c, POD_CUTS.containerStatus);
      if (isObj(c)) for (const st of ['state', 'lastState']) drop((c[st] as Obj | undefined)?.terminated, POD_CUTS.terminated);
    });
  }
  return event;
}

/** Every path present in `o` (a.b[].c), to show the cut fields were there to cut. */
function paths(o: unknown, at = '', out = new Set<string>()): Set<string> {
  if (Array.isArray(o)) o.forEach((x) => paths(x, `${at}[]`, out));
  else if (isObj(o)) for (const [k, v] of Object.entries(o)) {
    out.add(`${at}.${k}`);
    paths(v, `${at}.${k}`, out);
  }
  return out;
}

describe('trimPodLine on every recorded pod watch line', () => {
  const lines = recordedWatchLines(['pods.watch.jsonl']);

  test('the cut text is JSON and equals the whole object without exactly trimObject\'s and the POD_CUTS fields', () => {
    expect(lines.length).toBeGreaterThan(300);
    const bad: string[] = [];
    const seen = new Set<string>();
    for (const { where, line } of lines) {
      const whole = JSON.parse(line);
      for (const p of paths(whole)) seen.add(p);
      let cut: unknown;
      try {
        cut = JSON.parse(trimPodLine(line));
      } catch (e) {
        bad.push(`${where}: ${(e as Error).message}`);
        continue;
      }
      // deep equality, key order included: what is kept is byte for byte what was sent
      if (JSON.stringify(cut) !== JSON.stringify(expectedCut(whole))) bad.push(`${where}: differs`);
    }
    expect(bad).toEqual([]);
    // the recordings hold the big ones: the cut was exercised at every level, not skipped
    for (const p of ['.object.metadata.managedFields', '.object.metadata.annotations.kubectl.kubernetes.io/last-applied-configuration', '.object.spec.volumes', '.object.spec.tolerations', '.object.spec.containers[].volumeMounts', '.object.spec.containers[].env',
      '.object.spec.containers[].terminationMessagePath', '.object.spec.initContainers[].volumeMounts', '.object.status.containerStatuses[].volumeMounts',
      '.object.status.containerStatuses[].containerID', '.object.status.containerStatuses[].lastState.terminated.containerID', '.object.status.hostIPs']) {
      expect([p, seen.has(p)]).toEqual([p, true]);
    }
  });

  test('a pod line keeps about half of what trimLine leaves', () => {
    const before = lines.reduce((n, l) => n + trimLine(l.line).length, 0);
    const after = lines.reduce((n, l) => n + trimPodLine(l.line).length, 0);
    expect(after / before).toBeLessThan(0.6);
  });
});

describe('the watch over cut pods prints what it prints over whole ones', () => {
  const scenarios = readdirSync(RECORDINGS_DIR).filter((s) => existsSync(join(RECORDINGS_DIR, s, 'pods.watch.jsonl')));

  /** The recorded streams through a WatchTracker, as sources/watch.ts hands them over; then ten minutes of clock. */
  function run(scenario: string, cut: boolean): { facts: string; text: string; json: string } {
    const tracker = new WatchTracker({ version: { major: '1', minor: '33', gitVersion: 'v1.33.1' } });
    const tl = timeline(scenario);
    const start = iso(tl[0].t);
    const text = new WatchLineFormatter({ output: 'wide', color: false, utc: true, now: () => start });
    const json = new WatchLineFormatter({ output: 'json', color: false, utc: true, now: () => start });
    const out = { facts: '', text: '', json: '' };
    const put = (fs: WatchFact[]) => {
      out.facts += `${JSON.stringify(fs)}\n`;
      if (fs.length) {
        out.text += text.format(fs);
        out.json += json.format(fs);
      }
    };
    put(tracker.seed([], [], start));
    for (const l of tl) {
      const now = iso(l.t);
      if (l.stream === 'events') {
        if (l.type !== 'DELETED') put(tracker.event(JSON.parse(l.line).object, now));
        continue;
      }
      const line = cut ? trimPodLine(l.line) : trimLine(l.line);
      const ev = JSON.parse(line);
      put(l.type === 'DELETED' ? tracker.deleted(ev.object, now) : tracker.pod(ev.object, now, line));
    }
    put(tracker.tick(iso(tl[tl.length - 1].t + 10 * 60_000)));
    return out;
  }

  test.each(scenarios)('%s: the same facts and the same lines', (scenario) => {
    const whole = run(scenario, false);
    const cut = run(scenario, true);
    expect(whole.text.length).toBeGreaterThan(0);
    expect(cut.facts).toBe(whole.facts);
    expect(cut.text).toBe(whole.text);
    expect(cut.json).toBe(whole.json);
  });
});

describe('trimPodLine on text in other shapes', () => {
  const event = (pod: string) => `{"type":"MODIFIED","object":{"kind":"Pod","apiVersion":"v1",${pod}}}`;
  const meta = '"metadata":{"name":"p","namespace":"n","uid":"u","resourceVersion":"1"}';

  test.each([
    ['a label and an annotation named like cut fields, one with an array in its value',
      event('"metadata":{"name":"p","labels":{"volumes":"x","env":"[1]"},"annotations":{"volumeMounts":"[{\\"a\\":1}]","containerID":"c"}},"spec":{"volumes":[],"containers":[{"name":"a"}]}')],
    ['an env var named imageID, and the key quoted inside a value',
      event(`${meta},"spec":{"containers":[{"name":"a","image":"i","command":["sh","-c","echo \\"env\\":[1],\\"volumeMounts\\":[]"],"env":[{"name":"imageID","value":"\\"volumeMounts\\":[]"}]}]}`)],
    ['escaped quotes and backslashes before a cut field',
      event(`${meta},"spec":{"containers":[{"name":"a\\\\","args":["\\"]}\\\\"],"terminationMessagePath":"/dev/termination-log","image":"x"}]}`)],
    ['a cut field first, last and alone, at every level',
      event(`${meta},"spec":{"volumes":[{"name":"v"}],"containers":[{"env":[]},{"name":"b","ports":[{"containerPort":80}]},{"tty":true}],"dnsPolicy":"ClusterFirst"},"status":{"hostIP":"1.2.3.4","containerStatuses":[{"containerID":"c","name":"a","state":{"terminated":{"containerID":"c","exitCode":0}},"lastState":{"terminated":{"exitCode":1,"containerID":"d"}}}],"podIPs":[]}`)],
    ['nested objects of a kept field holding a key of a cut field\'s name',
      event(`${meta},"spec":{"containers":[{"name":"a","lifecycle":{"preStop":{"exec":{"command":["sleep","5"]}}},"resources":{"limits":{"ports":"1"}},"env":[{"name":"x","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}]}],"nodeSelector":{"volumes":"x"}},"status":{"podIP":"10.0.0.1","containerStatuses":[{"name":"a","state":{"running":{"containerID":"kept: not a terminated state"}},"volumeMounts":[{"name":"env","mountPath":"/env"}]}]}`)],
    ['unicode and escapes in names and values',
      event(`${meta},"spec":{"containers":[{"name":"caf\u00e9-\ud83d\ude80","image":"r\\u00e9g/x","workingDir":"/\u00e9\\t","env":[{"name":"E","value":"\\u0022volumes\\u0022:[]"}]}],"schedulerName":"\u00fc"}`)],
    ['fields of the wrong type are cut as they are', event(`${meta},"spec":{"volumes":null,"containers":[{"name":"a","env":{"x":[1,{"y":"}"}]},"ports":5}],"tolerations":"x"},"status":{"containerStatuses":null}`)],
    ['managedFields before the annotations (another writer\'s order: trimLine leaves it to trimObject)',
      event('"metadata":{"name":"p","managedFields":[{"manager":"m","fieldsV1":{"f:metadata":{"f:annotations":{}}}}],"annotations":{"a":"1","kubectl.kubernetes.io/last-applied-configuration":"{\\"x\\":1}"},"labels":{"managedFields":"keep"}},"spec":{"containers":[{"name":"a"}]}')],
    ['last-applied as a label or inside another annotation: kept',
      event('"metadata":{"labels":{"kubectl.kubernetes.io/last-applied-configuration":"keep"},"annotations":{"n":"\\"kubectl.kubernetes.io/last-applied-configuration\\":\\"x\\""},"managedFields":[]},"spec":{"containers":[{"name":"a"}]}')],
    ['numbers and literals of every form', event(`${meta},"spec":{"priority":-1.5e+3,"containers":[{"name":"a","stdin":false,"stdinOnce":null,"tty":true,"ports":1E2,"resources":{"requests":{"cpu":0.25}}}],"activeDeadlineSeconds":-0.5}`)],
  ])('cut exactly: %s', (_what, line) => {
    const want = expectedCut(JSON.parse(line));
    const cut = trimPodLine(line);
    // key order included: what is kept is what was sent
    expect(JSON.stringify(JSON.parse(cut))).toBe(JSON.stringify(want));
    expect(cut.length).toBeLessThan(line.length);
  });

  // What it does not know it leaves as trimLine left it: the parse then reads the whole pod.
  test.each([
    ['the event of another object (an ERROR Status): nothing to cut', '{"type":"ERROR","object":{"kind":"Status","status":"Failure","message":"too old","reason":"Expired","code":410}}'],
    ['spaces after colons', `{"type":"ADDED","object":{"metadata":{"name":"p"}, "spec": {"volumes":[],"containers":[{"name":"a","env":[]}]}}}`],
    ['pretty-printed', JSON.stringify({ type: 'ADDED', object: { spec: { volumes: [], containers: [{ name: 'a', env: [] }] } } }, null, 2)],
    ['a trailing newline', `{"type":"ADDED","object":{"spec":{"volumes":[]}}}\n`],
    ['text after the object', `{"type":"ADDED","object":{"spec":{"volumes":[]}}}{"x":1}`],
    ['not an object', '["volumes",{"volumes":[]}]'],
    ['an unknown literal in a field it would cut', `{"type":"ADDED","object":{"spec":{"volumes":undefined,"containers":[{"name":"a","env":[]}]}}}`],
    ['a number JSON does not allow in a field it would cut', `{"type":"ADDED","object":{"spec":{"priority":1.,"containers":[{"name":"a","env":[]}]}}}`],
    ['a key spelled with escapes (never matched), nothing else to cut', `{"type":"ADDED","object":{"spec":{"containers":[{"name":"a","\\u0065nv":[{"name":"x"}]}]}}}`],
  ])('left whole: %s', (_what, line) => {
    expect(trimPodLine(line)).toBe(trimLine(line));
  });

  test('recorded lines cut short stay invalid: a broken line is never made whole', () => {
    const line = recordedWatchLines(['pods.watch.jsonl']).find((l) => l.where.startsWith('istio-native'))!.line;
    for (let end = 10; end < line.length; end += 89) {
      const part = line.slice(0, end);
      expect(() => JSON.parse(trimPodLine(part))).toThrow(SyntaxError);
    }
  });
});

describe('the pods watch hands over cut text', () => {
  test('over the test API server: each recorded update of `ordering` arrives cut, its text the object handed over', async () => {
    const srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running' });
    const ac = new AbortController();
    try {
      const api = new KubeApi(new HttpClient(loadKubeconfig({ kubeconfig: srv.kubeconfigPath, env: {} }), {}));
      const got: Extract<WatchUpdate, { kind: 'pod' }>[] = [];
      let synced = false;
      const watch = new EvidenceWatch(api, { namespace: 'rec-ordering', eventFieldSelector: null, chunkSize: 500 }, () => true, (u) => {
        if (u.kind === 'synced') synced = true;
        if (u.kind === 'pod') got.push(u);
      });
      const running = watch.run(ac.signal);
      await until(() => synced && srv.openWatches('pods') === 1, 'the pods watch');
      const sent = timeline('ordering').filter((l) => l.stream === 'pods' && l.type !== 'DELETED').map((l) => {
        const o = structuredClone(l.item.obj);
        o.metadata = { ...o.metadata, namespace: 'rec-ordering', name: 'cut', uid: 'cut-pod-uid' };
        return { type: l.type as 'ADDED' | 'MODIFIED', object: o };
      });
      expect(srv.pushWatch('pods', sent)).toBe(1);
      await until(() => got.length === sent.length, 'every update');
      ac.abort();
      await running;
      for (const [i, u] of got.entries()) {
        expect(u.text).toBeDefined();
        expect(u.text).not.toMatch(/"(managedFields|volumeMounts|volumes|terminationMessagePath)":/);
        expect(JSON.parse(u.text!).object).toEqual(u.pod);
        const whole = { type: sent[i].type, object: { kind: 'Pod', apiVersion: 'v1', ...structuredClone(sent[i].object) } };
        expect(u.pod).toEqual(expectedCut(whole).object);
      }
    } finally {
      ac.abort();
      await srv.close();
    }
  });
});

describe('POD_CUTS names no field the watch reads', () => {
  /** The sources of everything a watched pod reaches: the model, the renderers, the watch's source and command. */
  function files(dir: string): string[] {
    return readdirSync(dir).flatMap((f) => {
      const p = join(dir, f);
      return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
    });
  }
  const read = [...files(join(SRC, 'model')), ...files(join(SRC, 'render')), ...['cli/watch.ts', 'sources/watch.ts', 'sources/selection.ts'].map((f) => join(SRC, f))]
    // model/k8s.ts declares the API's types (a few cut fields among them); declaring is not reading
    .filter((f) => !f.endsWith(join('model', 'k8s.ts')));

  test.each(Object.entries(POD_CUTS))('%s fields', (_level, keys) => {
    const code = read.map((f) => ({ f, text: readFileSync(f, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1') }));
    const named = keys.flatMap((k) => code.filter((c) => new RegExp(`\\b${k}\\b`).test(c.text)).map((c) => `${k} in ${c.f.slice(SRC.length)}`));
    expect(named).toEqual([]);
  });
});
