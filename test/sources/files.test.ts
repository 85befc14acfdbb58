// -f input against the real recordings: a snapshot folder, single files, YAML, stdin, errors.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { dump } from 'js-yaml';
import { InputError, loadFiles } from '../../src/sources/files.js';
import { gather } from '../../src/sources/gather.js';
import { DumpSplitter, LogWindow } from '../../src/sources/logsample.js';
import { LOG_HEAD_BYTES, LOG_TAIL_BYTES } from '../../src/sources/evidence.js';
import { buildBundle } from './bundles.js';
import type { CoreEvent, EventsV1Event, Pod } from '../../src/model/k8s.js';

const REC = path.join(process.cwd(), 'test/fixtures/recordings');
const snap = (scenario: string, name: string) => path.join(REC, scenario, 'snapshots', name);
const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-files-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('-f: recording snapshot folder', () => {
  test('ordering/terminating: pod, events of both APIs, logs with sub-second times, Status logs as errors, version', async () => {
    // nothing outside the folder named is read: the scenario's version.json is named beside it
    expect((await loadFiles([snap('ordering', 'terminating')])).version).toBeNull();
    const g = await loadFiles([snap('ordering', 'terminating'), path.join(snap('ordering', 'terminating'), '..', '..', 'version.json')]);
    expect(g.pods).toHaveLength(1);
    const p = g.pods[0];
    expect(p.pod.metadata?.name).toBe('ordering');
    expect(p.pod.metadata?.deletionTimestamp).toBe('2026-11-21T22:56:55Z');
    expect(p.sources).toEqual({ events: 'ok', logs: 'ok' });
    const core = readJson(path.join(snap('ordering', 'terminating'), 'events.json')).items as CoreEvent[];
    const v1 = readJson(path.join(snap('ordering', 'terminating'), 'events.k8s.io.json')).items as EventsV1Event[];
    const uid = p.pod.metadata?.uid;
    const expected = core.filter((e) => e.involvedObject?.uid === uid).length + v1.filter((e) => e.regarding?.uid === uid).length;
    expect(expected).toBeGreaterThan(0);
    expect(p.events).toHaveLength(expected);
    expect(p.logs.app.current?.head).toEqual([
      { time: '2026-11-21T22:56:21.374733354Z', text: 'app started' },
      { time: '2026-11-21T22:56:26.381528494Z', text: 'app got SIGTERM, exiting' },
    ]);
    expect(p.logs.app.current?.tail).toEqual([{ time: '2026-11-21T22:56:26.381528494Z', text: 'app got SIGTERM, exiting' }]);
    expect(p.logs['init-config'].current?.head.map((l) => l.text)).toEqual(['init-config writing config', 'init-config done']);
    expect(p.logs.app.previous?.error).toEqual({ code: 400, reason: 'BadRequest', message: 'previous terminated container "app" in pod "ordering" not found' });
    expect(g.version?.gitVersion).toBe('v1.33.13+ocp.microshift4.20');
  });

  test('last-seen (no logs): logs unavailable, events ok', async () => {
    const g = await loadFiles([snap('ordering', 'last-seen')]);
    expect(g.pods.map((p) => p.pod.metadata?.name)).toEqual(['ordering']);
    expect(g.pods[0].sources).toEqual({ events: 'ok', logs: 'unavailable' });
    expect(g.pods[0].events.length).toBeGreaterThan(0);
  });

  test('a whole scenario folder: each pod once (newest resourceVersion), manifest copies dropped', async () => {
    const g = await loadFiles([path.join(REC, 'job-retries')]);
    const names = g.pods.map((p) => p.pod.metadata?.name).sort();
    const failed = (readJson(path.join(snap('job-retries', 'failed'), 'pods.json')).items as Pod[]).map((p) => p.metadata?.name).sort();
    expect(names).toEqual(failed);
    expect(names).toHaveLength(3);
    expect(new Set(g.pods.map((p) => p.pod.metadata?.uid)).size).toBe(3);
  });
});

describe('-f: single files and streams', () => {
  test('a PodList file alone: events unavailable', async () => {
    const g = await loadFiles([path.join(snap('deployment-mesh', 'running'), 'pods.json')]);
    expect(g.pods).toHaveLength(3);
    expect(g.pods.every((p) => p.sources.events === 'unavailable' && p.sources.logs === 'unavailable')).toBe(true);
    expect(g.version?.gitVersion).toBeUndefined(); // version.json is two levels above the folder, not beside the file
  });

  test('a list whose kind names a member of Object ("constructor"): its items are read for what they are', async () => {
    // the recorded pods under a hostile list kind: once taken for a workload list, and every pod lost
    const pods = readJson(path.join(snap('deployment-mesh', 'running'), 'pods.json'));
    const file = path.join(tmp, 'list.json');
    fs.writeFileSync(file, JSON.stringify({ ...pods, kind: 'constructor' }));
    const g = await loadFiles([file]);
    expect(g.pods.map((p) => p.pod.metadata?.name)).toEqual(pods.items.map((p: Pod) => p.metadata?.name));
  });

  test('multi-document YAML with a Pod and a v1/List of events (core and events.k8s.io)', async () => {
    const pods = readJson(path.join(snap('sidecar-crashloop', 'crashlooping'), 'pods.json')).items as Pod[];
    const core = readJson(path.join(snap('sidecar-crashloop', 'crashlooping'), 'events.json')).items as CoreEvent[];
    const v1 = readJson(path.join(snap('sidecar-crashloop', 'crashlooping'), 'events.k8s.io.json')).items as EventsV1Event[];
    const list = {
      apiVersion: 'v1',
      kind: 'List',
      items: [...core.slice(0, 3).map((e) => ({ kind: 'Event', apiVersion: 'v1', ...e })), ...v1.slice(0, 2).map((e) => ({ kind: 'Event', apiVersion: 'events.k8s.io/v1', ...e }))],
    };
    const file = path.join(tmp, 'bundle.yaml');
    fs.writeFileSync(file, `${dump({ apiVersion: 'v1', kind: 'Pod', ...pods[0] })}---\n${dump(list)}`);
    const g = await loadFiles([file]);
    expect(g.pods).toHaveLength(1);
    const uid = pods[0].metadata?.uid;
    const mine = [...core.slice(0, 3).filter((e) => e.involvedObject?.uid === uid), ...v1.slice(0, 2).filter((e) => e.regarding?.uid === uid)];
    expect(g.pods[0].events).toHaveLength(mine.length);
    expect(g.pods[0].sources.events).toBe('ok');
    // YAML timestamps stay strings (core schema), as in the JSON.
    expect(g.pods[0].pod.metadata?.creationTimestamp).toBe(pods[0].metadata?.creationTimestamp);
  });

  test('stdin ("-"): the pods of the list read from it, in order', async () => {
    const text = fs.readFileSync(path.join(snap('statefulset', 'running'), 'pods.json'), 'utf8');
    const g = await loadFiles(['-'], { readStdin: async () => text });
    expect(g.pods.map((p) => p.pod.metadata?.name)).toEqual(['db-0', 'db-1']);
  });

  test('errors name the file', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    fs.writeFileSync(bad, 'kind: Pod\nmetadata: [\n');
    await expect(loadFiles([bad])).rejects.toThrow(InputError);
    await expect(loadFiles([bad])).rejects.toThrow(new RegExp(`^cannot parse ${bad}: `));
    const missing = path.join(tmp, 'missing.json');
    await expect(loadFiles([missing])).rejects.toThrow(`cannot read ${missing}: no such file or directory`);
    const notPods = path.join(snap('deployment-mesh', 'running'), 'deployments.json');
    await expect(loadFiles([notPods])).rejects.toThrow(`${notPods} holds no Pod, PodList, List or EventList`);
    const empty = path.join(tmp, 'empty');
    fs.mkdirSync(empty);
    const err = await loadFiles([empty]).catch((e: InputError) => e.oneLine());
    expect(err).toBe(`error: no pods found in ${empty}`);
  });
});

describe('gather with -f', () => {
  const opts = (files: string[], names: string[] = [], extra: Partial<{ logs: 'on' | 'off' | 'auto'; now: string }> = {}) => ({
    connection: { env: {} },
    targets: { names, allNamespaces: false, files },
    gather: { logs: extra.logs ?? 'auto', chunkSize: 500 },
    render: { output: 'json' as const, noHeaders: false, color: false, width: 100 },
    exitCode: false,
    now: extra.now,
  });

  test('TYPE/NAME arguments select offline by name or owner; --no-logs marks logs skipped', async () => {
    const g = await gather(opts([path.join(REC, 'job-retries', 'snapshots', 'failed'), snap('deployment-mesh', 'running')], ['job/flaky'], { logs: 'off' }));
    expect(g.pods).toHaveLength(3);
    expect(g.pods.every((p) => p.sources.logs === 'skipped')).toBe(true);
    const d = await gather(opts([snap('deployment-mesh', 'running'), snap('statefulset', 'running')], ['deployment/web', 'db-1']));
    const web = (readJson(path.join(snap('deployment-mesh', 'running'), 'pods.json')).items as Pod[]).map((p) => p.metadata?.name);
    expect(web).toHaveLength(3);
    expect(d.pods.map((p) => p.pod.metadata?.name).sort()).toEqual(['db-1', ...web].sort());
  });

  test('no events at all for a pod older than the event TTL (1h): events expired', async () => {
    fs.copyFileSync(path.join(snap('ordering', 'running'), 'pods.json'), path.join(tmp, 'pods.json'));
    fs.writeFileSync(path.join(tmp, 'events.json'), JSON.stringify({ kind: 'EventList', apiVersion: 'v1', items: [] }));
    const created = (readJson(path.join(tmp, 'pods.json')).items[0] as Pod).metadata?.creationTimestamp ?? '';
    const later = (ms: number) => new Date(Date.parse(created) + ms).toISOString();
    expect((await gather(opts([tmp], [], { now: later(2 * 3600e3) }))).pods[0].sources.events).toBe('expired');
    expect((await gather(opts([tmp], [], { now: later(10 * 60e3) }))).pods[0].sources.events).toBe('ok');
  });
});

describe('-f: archives and log sampling', () => {
  const crash = snap('sidecar-crashloop', 'crashlooping');

  test('a must-gather tarred with PAX headers reads as the folder does; a gzipped PodList as the file', async () => {
    const mg = buildBundle(crash, 'must-gather', path.join(tmp, 'mg'));
    const archive = path.join(tmp, 'must-gather.tar.gz');
    const r = spawnSync('tar', ['--format=pax', '-czf', archive, '-C', path.dirname(mg), path.basename(mg)], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const fromDir = await loadFiles([mg]);
    const fromTar = await loadFiles([archive]);
    expect(fromTar.pods.map((p) => p.logs)).toEqual(fromDir.pods.map((p) => p.logs));
    expect(Object.keys(fromTar.pods[0].logs).sort()).toEqual(['app', 'otel-collector']);
    expect(fromTar.pods[0].logs['otel-collector'].previous?.tail).toEqual([{ time: '2026-11-21T22:57:44.943433449Z', text: 'fatal: bad exporter config' }]);
    expect(fromTar.pods[0].events).toHaveLength(fromDir.pods[0].events.length);

    const gz = path.join(tmp, 'pods.json.gz');
    fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(path.join(crash, 'pods.json'))));
    expect((await loadFiles([gz])).pods.map((p) => p.pod.metadata?.name)).toEqual(['sidecar-crash']);
  });

  test('a corrupt or cut archive: one line naming the file', async () => {
    const bundle = buildBundle(crash, 'troubleshoot-tgz', path.join(tmp, 'ts'));
    const bytes = fs.readFileSync(bundle);
    const cut = path.join(tmp, 'cut.tar.gz');
    fs.writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const e1 = await loadFiles([cut]).catch((e: InputError) => e);
    expect(e1).toBeInstanceOf(InputError);
    expect((e1 as InputError).oneLine()).toMatch(new RegExp(`^error: cannot read ${cut}: (not a valid gzip file|the archive is cut short)`));
    const bad = path.join(tmp, 'bad.tar.gz');
    fs.writeFileSync(bad, Buffer.concat([bytes.subarray(0, 20), Buffer.alloc(200, 7)]));
    const e2 = await loadFiles([bad]).catch((e: InputError) => e);
    expect((e2 as InputError).oneLine()).toMatch(new RegExp(`^error: cannot read ${bad}: not a valid gzip file \\(.+\\)$`));
  });

  test('a stream keeps only the head and the tail: 1 GiB through the window', () => {
    const w = new LogWindow();
    const filler = Buffer.alloc(1024 * 1024, 'x');
    let most = 0;
    w.write(Buffer.from('collector starting\n'));
    for (let i = 0; i < 1024; i++) {
      w.write(filler);
      most = Math.max(most, w.held);
    }
    w.write(Buffer.from('\nfatal: bad exporter config\n'));
    expect(w.total).toBe(1024 ** 3 + 19 + 28);
    expect(most).toBeLessThanOrEqual(LOG_HEAD_BYTES + 2 * LOG_TAIL_BYTES);
    const s = w.sample();
    expect(s.untimestamped).toBe(true);
    expect(s.head.map((l) => l.text)).toEqual(['collector starting']);
    expect(s.tail).toEqual([{ time: '', text: 'fatal: bad exporter config' }]);
  });

  test('cluster-info dump sections come out the same whatever the chunk boundaries', () => {
    const file = buildBundle(crash, 'dump-stdout', tmp, { timestamps: true });
    const bytes = fs.readFileSync(file);
    const split = (size: number) => {
      const d = new DumpSplitter(true);
      for (let i = 0; i < bytes.length; i += size) d.write(bytes.subarray(i, i + size));
      const outside = d.end().toString('utf8');
      return { sections: d.sections, outside };
    };
    const whole = split(bytes.length);
    expect(whole.sections.map((s) => `${s.namespace}/${s.pod}/${s.container}`)).toEqual(['rec-sidecar-crashloop/sidecar-crash/otel-collector', 'rec-sidecar-crashloop/sidecar-crash/app']);
    expect(whole.sections[0].sample.tail).toEqual([{ time: '2026-11-21T22:57:44.943433449Z', text: 'fatal: bad exporter config' }]);
    expect(whole.outside).not.toContain('====');
    for (const size of [1, 7, 511, 4096]) expect(split(size)).toEqual(whole);
  });
});

test('-f archive and folder: a log link at a recognised path to a file kept elsewhere is followed', async () => {
  const crash = snap('sidecar-crashloop', 'crashlooping');
  const root = path.join(tmp, 'b');
  const real = path.join(root, 'all-logs', 'sidecar-crash', 'otel-collector.log');
  fs.mkdirSync(path.dirname(real), { recursive: true });
  fs.copyFileSync(path.join(crash, 'logs', 'sidecar-crash.otel-collector.log'), real);
  fs.mkdirSync(path.join(root, 'cluster-resources', 'pods', 'logs', 'rec-sidecar-crashloop', 'sidecar-crash'), { recursive: true });
  fs.symlinkSync('../../../../../all-logs/sidecar-crash/otel-collector.log', path.join(root, 'cluster-resources', 'pods', 'logs', 'rec-sidecar-crashloop', 'sidecar-crash', 'otel-collector.log'));
  fs.copyFileSync(path.join(crash, 'pods.json'), path.join(root, 'pods.json'));
  const archive = path.join(tmp, 'b.tar.gz');
  // The link first, then the file it points to (GNU tar keeps the order of its arguments).
  const r = spawnSync('tar', ['-czf', archive, '-C', tmp, 'b/cluster-resources', 'b/all-logs', 'b/pods.json'], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  for (const input of [archive, root]) {
    const g = await loadFiles([input]);
    expect(g.pods[0].sources.logs).toBe('ok');
    expect(g.pods[0].logs['otel-collector'].current?.tail).toEqual([{ time: '2026-11-21T22:57:44.943433449Z', text: 'fatal: bad exporter config' }]);
  }
  // A dangling link at a log path is skipped, not an error.
  fs.symlinkSync('nowhere.log', path.join(root, 'cluster-resources', 'pods', 'logs', 'rec-sidecar-crashloop', 'sidecar-crash', 'app.log'));
  expect((await loadFiles([root])).pods[0].logs.app).toBeUndefined();
});
