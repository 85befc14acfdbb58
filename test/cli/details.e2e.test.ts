// Many pods: the summary first, then by default the details of the pods with a problem only
// (the demo: two blocked pods, two that completed), the charts' legend once.
import { LEGEND } from '../../src/render/gantt.js';
import { run } from './run.js';

const DEMO = ['describe', '-f', 'test/fixtures/demo', '--now', '2026-11-21T22:57:01Z'];
const blocks = (out: string) => out.split('\n').filter((l) => /^rec-[a-z-]+\/\S+\s+on /.test(l)).map((l) => l.split(/\s+/)[0]);
const count = (out: string, s: string) => out.split(s).length - 1;

test('default: the summary of all four, the details of the two with a problem, one legend', async () => {
  const r = await run(DEMO);
  expect(r.code).toBe(0);
  expect(r.stdout.split('\n')[0]).toMatch(/^NAMESPACE\s+NAME\s+STATUS/);
  expect(r.stdout.split('\n\n')[0].split('\n').filter((l) => l.startsWith('rec-')).length).toBe(4);
  expect(blocks(r.stdout)).toEqual(['rec-job-legacy-sidecar/legacy-rd8jm', 'rec-sidecar-readiness-fail/readiness']);
  expect(r.stdout).toContain('(details of 2 pods without a problem omitted: --details all shows them)');
  expect(count(r.stdout, LEGEND)).toBe(1);
  expect(r.stdout.trimEnd().endsWith(LEGEND)).toBe(true);
});

test('--details all: every pod, still one legend; --details none: the summary only', async () => {
  const all = await run([...DEMO, '--details', 'all']);
  expect(blocks(all.stdout).length).toBe(4);
  expect(count(all.stdout, LEGEND)).toBe(1);
  const none = await run([...DEMO, '--details', 'none']);
  expect(blocks(none.stdout)).toEqual([]);
  expect(none.stdout.trim().split('\n').length).toBe(5);
  const bad = await run([...DEMO, '--details', 'some']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toBe('error: invalid --details "some": use all, problems, none (see kubectl sidecars --help)\n');
});

test('one pod: its details (with one legend under its last chart), whatever its state', async () => {
  const r = await run(['describe', '-f', 'test/fixtures/demo/job-native-sidecar', '--now', '2026-11-21T22:57:01Z']);
  expect(blocks(r.stdout)).toEqual(['rec-job-native-sidecar/podbee-wl9wt']);
  expect(count(r.stdout, LEGEND)).toBe(1);
  expect(r.stdout.indexOf(LEGEND)).toBeGreaterThan(r.stdout.indexOf('Termination ('));
});
