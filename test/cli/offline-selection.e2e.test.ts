// -f with -n, -A, -l and --field-selector selects the pods of the files that kubectl, with the same
// flags, lists from an API server serving the same recorded pods (the test API server matches
// selectors itself: test/apiserver/selectors.ts). Before, the flags were ignored with -f.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

const SNAPSHOTS: Record<string, string> = { ordering: 'running', 'app-crashloop': 'crashlooping', 'deployment-mesh': 'running', 'job-retries': 'failed' };
const FILES = Object.entries(SNAPSHOTS).flatMap(([s, n]) => ['-f', join(ROOT, 'test', 'fixtures', 'recordings', s, 'snapshots', n)]);

let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: Object.keys(SNAPSHOTS), snapshot: SNAPSHOTS });
});
afterAll(() => srv.close());

const kubectl = (...args: string[]) => new Promise<{ status: number; stdout: string; stderr: string }>((resolve) => {
  execFile('kubectl', ['--kubeconfig', srv.kubeconfigPath, 'get', 'pods', '-o', 'name', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } },
    (e, stdout, stderr) => resolve({ status: e ? Number((e as { code?: number }).code ?? 1) : 0, stdout, stderr }));
});
const names = (text: string) => text.split('\n').filter(Boolean).sort();

// each selection as its arguments, separated by "|"
const SELECTIONS: string[][] = `-A
-n|rec-deployment-mesh
-n|rec-job-retries|--field-selector|status.phase=Failed
-A|-l|app=web
-A|-l|app!=web
-A|-l|app in (web, ordering)
-A|-l|app notin (web)
-A|-l|pod-template-hash
-A|-l|!pod-template-hash
-A|-l|app=web,pod-template-hash
-A|--field-selector|status.phase=Running
-A|--field-selector|status.phase!=Running,spec.restartPolicy=Never
-A|--field-selector|metadata.name=ordering
-A|--field-selector|spec.nodeName=nowhere
-A|-l|app=nothing`.split('\n').map((l) => l.split('|'));

test.each(SELECTIONS.map((s) => [s.join(' '), s]))('%s: the pods kubectl lists from a server', async (_, sel) => {
  const theirs = await kubectl(...sel);
  expect(theirs.status).toBe(0);
  const ours = await run(['describe', ...FILES, ...sel, '-o', 'name', '--now', '2026-11-21T23:03:58Z']);
  expect(ours.code).toBe(0);
  expect(names(ours.stdout)).toEqual(names(theirs.stdout));
});

test('no pod left: says which flags narrowed the files', async () => {
  const r = await run(['describe', ...FILES, '-l', 'app=nothing']);
  expect(r.stderr).toBe('No pods found in the given files matching -l app=nothing.\n');
});

test('a selector or field the API server refuses is a one-line error, as kubectl\'s', async () => {
  const bad = await run(['describe', ...FILES, '--field-selector', 'spec.foo=bar']);
  expect(bad.code).toBe(1);
  expect(bad.stderr).toMatch(/^error: field label not supported: spec\.foo \(pods: .*\)\n$/);
  expect((await kubectl('-A', '--field-selector', 'spec.foo=bar')).stderr).toContain('field label not supported: spec.foo');
  const unparsable = await run(['describe', ...FILES, '-l', 'a b']);
  expect(unparsable.stderr).toMatch(/^error: unable to parse requirement: "a b" .*\n$/);
  // names and a selector together: refused as against a cluster
  const both = await run(['describe', ...FILES, 'ordering', '-l', 'app=web']);
  expect(both.stderr).toBe('error: name cannot be provided when a selector is specified: drop -l or the names\n');
});
