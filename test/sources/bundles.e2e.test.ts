// describe -f on the bundles users actually have, built from the recordings by ./bundles.ts
// (must-gather, troubleshoot folder and .tar.gz, cluster-info dump folder and stdout), through the
// built executable: the same containers, timeline and blockers as `describe -f SNAPSHOT`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../cli/run.js';
import { buildBundle, type Layout } from './bundles.js';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const REC = path.join(process.cwd(), 'test/fixtures/recordings');
const snap = (scenario: string, name: string) => path.join(REC, scenario, 'snapshots', name);
const takenAt = (dir: string) => fs.readFileSync(path.join(dir, 'taken-at'), 'utf8').trim();

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-bundles-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function describeJson(args: string[], now: string, input?: string): Promise<Obj[]> {
  const r = await run(['describe', ...args, '-o', 'json', '--now', now], { input });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return (JSON.parse(r.stdout) as Obj).items as Obj[];
}

const byName = (items: Obj[]) => Object.fromEntries(items.map((i) => [i.pod.name as string, i]));

// Scenarios where every pod has at least one real log line in the recording (so logs are "ok" in every tool).
const SCENARIOS: [string, string][] = [
  ['sidecar-crashloop', 'crashlooping'],
  ['ordering', 'terminating'],
  ['init-crashloop', 'crashlooping'],
  ['deployment-mesh', 'running'],
];

const TIMESTAMPED: Layout[] = ['must-gather', 'troubleshoot-dir', 'troubleshoot-tgz', 'dump-dir', 'dump-stdout'];
const UNTIMESTAMPED: Layout[] = ['troubleshoot-dir', 'troubleshoot-tgz', 'dump-dir', 'dump-stdout'];

describe.each(SCENARIOS)('%s/%s as other tools bundle it', (scenario, name) => {
  const dir = snap(scenario, name);
  const now = takenAt(dir);

  test('logs with timestamps (must-gather always; troubleshoot and cluster-info dump when asked): same result as the snapshot', async () => {
    const want = byName(await describeJson(['-f', dir], now));
    expect(Object.values(want).every((p) => p.sources.logs === 'ok')).toBe(true);
    for (const layout of TIMESTAMPED) {
      const out = path.join(tmp, layout);
      const bundle = buildBundle(dir, layout, out, { timestamps: true });
      const got = byName(await describeJson(['-f', bundle], now));
      expect({ layout, pods: Object.keys(got).sort() }).toEqual({ layout, pods: Object.keys(want).sort() });
      for (const [pod, w] of Object.entries(want)) {
        const g = got[pod];
        expect({ layout, pod, containers: g.containers, timeline: g.timeline, blockers: g.blockers, sources: g.sources })
          .toEqual({ layout, pod, containers: w.containers, timeline: w.timeline, blockers: w.blockers, sources: { events: 'ok', logs: 'ok' } });
      }
    }
  });

  test('logs without timestamps (troubleshoot and cluster-info dump by default): status-and-event times, the same blockers, logTimestamps false', async () => {
    const want = byName(await describeJson(['-f', dir], now));
    const noLogs = byName(await describeJson(['-f', dir, '--no-logs'], now));
    for (const layout of UNTIMESTAMPED) {
      const bundle = buildBundle(dir, layout, path.join(tmp, layout));
      const got = byName(await describeJson(['-f', bundle], now));
      expect({ layout, pods: Object.keys(got).sort() }).toEqual({ layout, pods: Object.keys(want).sort() });
      for (const [pod, w] of Object.entries(want)) {
        const g = got[pod];
        // Times: what status and events give (as with no logs); blockers and each container's last
        // log line: still found, as with timestamps.
        const lastLines = new Map((w.containers as Obj[]).map((c) => [c.name, c.lastLogLine]));
        expect({ layout, pod, containers: g.containers, timeline: g.timeline, blockers: g.blockers, sources: g.sources }).toEqual({
          layout, pod,
          containers: (noLogs[pod].containers as Obj[]).map((c) => ({ ...c, lastLogLine: lastLines.get(c.name) })),
          timeline: noLogs[pod].timeline,
          blockers: w.blockers,
          sources: { events: 'ok', logs: 'ok', logTimestamps: false },
        });
      }
    }
  });
});

describe('what the bundles must still tell', () => {
  const dir = snap('sidecar-crashloop', 'crashlooping');
  const now = takenAt(dir);
  // The crash cause: the last line of the sidecar's log in the recording.
  const lastLine = fs.readFileSync(path.join(dir, 'logs', 'sidecar-crash.otel-collector.previous.log'), 'utf8').trim().split('\n').pop()!.replace(/^\S+ /, '');

  test('the untimestamped troubleshoot .tar.gz still names the crash cause; the text says the sub-second order is unavailable', async () => {
    expect(lastLine).toBe('fatal: bad exporter config');
    const bundle = buildBundle(dir, 'troubleshoot-tgz', tmp);
    const [pod] = await describeJson(['-f', bundle], now);
    const b = pod.blockers.find((x: Obj) => x.container === 'otel-collector');
    expect(b.code).toBe('SidecarCrashLooping');
    expect(b.message).toContain(lastLine);
    const text = await run(['describe', '-f', bundle, '--now', now]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(lastLine);
    expect(text.stdout).toContain('note: logs have no timestamps: sub-second order unavailable, times come from status and events (1-second precision)');
  });

  test('cluster-info dump on stdin (-f -)', async () => {
    const file = buildBundle(dir, 'dump-stdout', tmp);
    const got = await describeJson(['-f', '-'], now, fs.readFileSync(file, 'utf8'));
    const want = await describeJson(['-f', dir], now);
    expect(got.map((p) => p.blockers)).toEqual(want.map((p) => p.blockers));
    expect(got[0].sources).toEqual({ events: 'ok', logs: 'ok', logTimestamps: false });
  });

  test('positionals after -f select pods, as against a cluster', async () => {
    const mesh = snap('deployment-mesh', 'running');
    const bundle = buildBundle(mesh, 'must-gather', tmp);
    const all = await describeJson(['-f', bundle], takenAt(mesh));
    expect(all).toHaveLength(3);
    const one = all[1].pod.name as string;
    const picked = await describeJson(['-f', bundle, one], takenAt(mesh));
    expect(picked.map((p) => p.pod.name)).toEqual([one]);
    const before = await describeJson([one, '-f', bundle], takenAt(mesh));
    expect(before.map((p) => p.pod.name)).toEqual([one]);
  });

  test('a 3 GB log in a must-gather is read by its head and tail only', async () => {
    const bundle = buildBundle(dir, 'must-gather', tmp);
    const [log] = fs.readdirSync(bundle, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith(path.join('otel-collector', 'otel-collector', 'logs', 'previous.log')));
    const file = path.join(bundle, log);
    const body = fs.readFileSync(file, 'utf8');
    const [first, ...rest] = body.trimEnd().split('\n');
    // Sparse: 3 GB on paper, a few bytes on disk; a whole read would not fit in a string.
    const size = 3 * 1024 ** 3;
    fs.writeFileSync(file, `${first}\n`);
    fs.truncateSync(file, size);
    const fd = fs.openSync(file, 'r+');
    const tail = Buffer.from(`\n${rest.join('\n')}\n`);
    fs.writeSync(fd, tail, 0, tail.length, size - tail.length);
    fs.closeSync(fd);
    const t0 = Date.now();
    const [pod] = await describeJson(['-f', bundle], now);
    expect(Date.now() - t0).toBeLessThan(15000);
    expect(pod.blockers.find((x: Obj) => x.container === 'otel-collector').message).toContain(lastLine);
    expect(pod.sources).toEqual({ events: 'ok', logs: 'ok' });
  });
});
