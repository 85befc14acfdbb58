// The cluster's bytes never reach the terminal as control sequences. Every field that text output
// prints (names, labels, node, owner, image, container and condition messages, reasons, event
// messages with probe output, log lines) is filled with OSC 52 (clipboard), OSC 0 (title), OSC 8
// (hidden link), CSI 2J, C1 CSI, bidi overrides and isolates, NUL, DEL, CR and a newline that tries to
// forge a watch line; describe (text, wide, from -f and from the API server), watch and error lines
// must show each field (so it was printed) escaped the kubectl way (`^[`, `\r`, `\u202e`).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT } from '../cli/run.js';
import { run, start, tempDir } from './helpers.js';

const SNAP = join(ROOT, 'test', 'fixtures', 'recordings', 'app-crashloop', 'snapshots', 'crashlooping');
const NOW = '2026-11-21T23:03:58Z';

/** The attack, tagged so that each field can be found in the output. */
const evil = (tag: string) =>
  `${tag}\u001b]52;c;cHduZWQ=\u0007\u001b]0;title\u0007\u001b[2J\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\` +
  `\u202eRLO\u2066LRI\u0000NUL\u007f\u009b31m\r` +
  `\n23:03:50Z  rec-app-crashloop/app-crash  api  Terminated  exit 0 Completed  status`;
// every control character but the line feed that ends each line, every bidi control
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const readJson = (f: string) => JSON.parse(readFileSync(join(SNAP, f), 'utf8'));

/** The recorded crash-looping pod with every printed field poisoned, plus a second pod with a poisoned name. */
function hostile(): { pods: any[]; events: any[]; logs: Record<string, string> } {
  const pod = readJson('pods.json').items[0];
  pod.metadata.labels = { app: 'x', [evil('LABELKEY')]: evil('LABELVAL') };
  pod.metadata.ownerReferences = [{ apiVersion: 'batch/v1', kind: 'Job', name: evil('OWNER'), uid: 'u1', controller: true }];
  pod.spec.nodeName = evil('NODE');
  pod.spec.containers[0].image = evil('IMAGE');
  const api = pod.status.containerStatuses[0];
  api.image = evil('STATUSIMAGE');
  api.state.terminated.reason = evil('TREASON');
  api.state.terminated.message = evil('TMESSAGE');
  api.lastState.terminated.message = evil('LASTMSG');
  for (const c of pod.status.conditions) c.message = evil(`COND${c.type}`);
  pod.status.conditions.find((c: any) => c.type === 'Ready').reason = evil('CONDREASON');
  pod.status.message = evil('PODMESSAGE');
  // a second pod: the many-pod summary, and a name the table has to escape
  const twin = structuredClone(pod);
  twin.metadata.name = `twin${evil('PODNAME')}`;
  twin.metadata.uid = 'twin-uid';
  const events = readJson('events.json').items.map((e: any, i: number) => ({ ...e, message: evil(`EVENT${i}`) }));
  // a readiness probe's output as the kubelet reports it
  events.push({
    ...events[events.length - 1],
    metadata: { ...events[0].metadata, name: 'app-crash.probe', uid: 'probe-uid' },
    reason: 'Unhealthy', type: 'Warning', count: 7,
    message: `Readiness probe failed: ${evil('QPROBE')}`,
    involvedObject: { ...events[0].involvedObject, fieldPath: 'spec.containers{api}' },
    firstTimestamp: '2026-11-21T23:03:20Z', lastTimestamp: '2026-11-21T23:03:48Z',
  });
  // the kill that follows a liveness failure: describe quotes it as restart evidence
  events.push({
    ...events[events.length - 1],
    metadata: { ...events[0].metadata, name: 'app-crash.kill', uid: 'kill-uid' },
    reason: 'Killing', type: 'Normal', count: 1,
    message: `Container api failed liveness probe, will be restarted ${evil('QKILL')}`,
    firstTimestamp: '2026-11-21T23:03:49Z', lastTimestamp: '2026-11-21T23:03:49Z',
  });
  const log = (tag: string) => `2026-11-21T23:03:47.961588569Z ${evil(tag)}\n2026-11-21T23:03:49.962506739Z panic ${evil(`${tag}LAST`)}\n`;
  return { pods: [pod, twin], events, logs: { 'app-crash.api.log': log('LOG'), 'app-crash.api.previous.log': log('PREVLOG') } };
}

function writeFixture(): string {
  const h = hostile();
  const dir = join(tempDir(), 'bundle');
  mkdirSync(join(dir, 'logs'), { recursive: true });
  writeFileSync(join(dir, 'pods.json'), JSON.stringify({ apiVersion: 'v1', kind: 'PodList', items: h.pods }));
  writeFileSync(join(dir, 'events.json'), JSON.stringify({ apiVersion: 'v1', kind: 'EventList', items: h.events }));
  for (const [f, text] of Object.entries(h.logs)) writeFileSync(join(dir, 'logs', f), text);
  return dir;
}

/** No control or bidi character; and each tag printed (escaped) where the field is shown. */
function expectSafe(out: string, tags: string[]): void {
  const bad = out.split('\n').filter((l) => UNSAFE.test(l));
  expect(bad).toEqual([]);
  // no line was forged: the newline inside a message never starts a line of its own
  expect(out.split('\n').filter((l) => l.startsWith('23:03:50Z'))).toEqual([]);
  // (a long attack is wrapped like any word: look for the tags in the text with line breaks undone)
  const flat = out.replace(/\n\s*/g, '');
  for (const t of tags) expect({ tag: t, shown: flat.includes(t) }).toEqual({ tag: t, shown: true });
  // the kubectl notation is visible where the attack was
  expect(out).toContain('^[]52;c;cHduZWQ=');
  expect(out).toContain('\\u202eRLO');
  expect(out).toContain('\\x00NUL');
  expect(out).toContain('\\r');
}

// The fields describe prints in text (a blocker quotes the waiting/terminated message and the last
// log line; the restart evidence quotes event messages), plus the wide-only ones.
const TEXT_TAGS = ['PODNAME', 'NODE', 'OWNER', 'QKILL', 'TREASON'];
const WIDE_TAGS = [...TEXT_TAGS, 'IMAGE'];
// -f also carries the log lines (the test API server serves only recorded logs)
const FILE_TAGS = [...TEXT_TAGS, 'LOG'];

describe('describe -f: a support bundle full of control sequences', () => {
  const dir = writeFixture();
  test.each([['text', FILE_TAGS], ['wide', [...FILE_TAGS, 'IMAGE']]] as [string, string[]][])('-o %s', async (o, tags) => {
    const r = await run(['describe', '-f', dir, '-o', o, '--now', NOW, '--color', 'never']);
    expect(r.code).toBe(0);
    expectSafe(r.stdout + r.stderr, tags);
  });
  test('one pod, its log lines included', async () => {
    const r = await run(['describe', 'app-crash', '-f', dir, '--now', NOW, '--color', 'always', '-o', 'wide']);
    expect(r.code).toBe(0);
    // colour on: our own SGR codes are the only escapes
    const plain = r.stdout.replace(/\u001b\[[0-9;]*m/g, '');
    expectSafe(plain, [...FILE_TAGS.filter((t) => t !== 'PODNAME'), 'IMAGE']);
  });
  test('-o json stays exact: the bytes are the cluster\'s, escaped only as JSON escapes them', async () => {
    const r = await run(['describe', '-f', dir, '-o', 'json', '--now', NOW]);
    expect(r.code).toBe(0);
    const list = JSON.parse(r.stdout);
    expect(list.items.map((p: any) => p.pod.name)).toContain(`twin${evil('PODNAME')}`);
  });
});

describe('from the API server: describe and watch', () => {
  let srv: RunningApiServer;
  const h = hostile();
  // its own namespace, so that the recorded pod of the same name does not mix in
  for (const o of [...h.pods, ...h.events]) o.metadata.namespace = 'hostile';
  for (const e of h.events) e.involvedObject.namespace = 'hostile';
  beforeAll(async () => {
    srv = await startApiServer({ scenarios: ['app-crashloop'], snapshot: 'crashlooping', extra: { pods: h.pods, events: h.events } });
  });
  afterAll(() => srv.close());

  test.each([['text', TEXT_TAGS], ['wide', WIDE_TAGS]] as [string, string[]][])('describe -n hostile -o %s', async (o, tags) => {
    const r = await run(['describe', '--kubeconfig', srv.kubeconfigPath, '-n', 'hostile', '-o', o, '--now', NOW, '--color', 'never']);
    expect(r.code).toBe(0);
    expectSafe(r.stdout + r.stderr, tags);
  });

  test('watch: state lines and a streamed event whose message holds a forged line', async () => {
    const cli = start(['watch', '--kubeconfig', srv.kubeconfigPath, '-n', 'hostile', '--now', NOW, '-o', 'wide', '--color', 'never']);
    for (let i = 0; i < 200 && srv.openWatches('events') < 1; i++) await new Promise((r) => setTimeout(r, 25));
    expect(srv.openWatches('events')).toBeGreaterThan(0);
    const ev = { ...h.events[h.events.length - 1], metadata: { ...h.events[0].metadata, name: 'late', uid: 'late', resourceVersion: '999999' }, message: `Liveness probe failed: ${evil('STREAMED')}`, reason: 'Unhealthy', lastTimestamp: '2026-11-21T23:03:57Z', count: 9 };
    srv.pushWatch('events', [{ type: 'ADDED', object: ev }]);
    // and the pod going into back-off, with a waiting message and a condition that changed
    const pod = structuredClone(h.pods[0]);
    pod.metadata.resourceVersion = '999998';
    pod.status.containerStatuses[0].state = { waiting: { reason: 'CrashLoopBackOff', message: evil('QWAIT') } };
    pod.status.conditions.find((c: any) => c.type === 'ContainersReady').status = 'True';
    const ready = pod.status.conditions.find((c: any) => c.type === 'Ready');
    Object.assign(ready, { status: 'True', lastTransitionTime: '2026-11-21T23:03:57Z' });
    const notReady = structuredClone(pod);
    notReady.metadata.resourceVersion = '999999';
    Object.assign(notReady.status.conditions.find((c: any) => c.type === 'Ready'), { status: 'False', reason: evil('QCREASON'), message: evil('QCOND'), lastTransitionTime: '2026-11-21T23:03:58Z' });
    srv.pushWatch('pods', [{ type: 'MODIFIED', object: pod }, { type: 'MODIFIED', object: notReady }]);
    for (let i = 0; i < 200 && !(cli.stdout().includes('STREAMED') && cli.stdout().includes('QCOND')); i++) await new Promise((r) => setTimeout(r, 25));
    cli.child.kill('SIGINT');
    const r = await cli.done;
    // watch prints what describe does not: condition and event messages
    expectSafe(r.stdout + r.stderr, ['PODNAME', 'TREASON', 'STREAMED', 'QCREASON', 'QCOND']);
  });

  test('an error line quoting what was asked for', async () => {
    const r = await run(['describe', `nope\u001b]0;pwned\u0007\u202e`, '--kubeconfig', srv.kubeconfigPath, '-n', 'hostile']);
    expect(r.code).toBe(1);
    expect(r.stderr).not.toMatch(UNSAFE);
    expect(r.stderr).toContain('nope^[]0;pwned\\x07\\u202e');
  });
});
