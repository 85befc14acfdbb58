// `watch` on a terminal: the built executable in a real pseudo-terminal (script, util-linux) at 80
// and 120 columns, its output rendered through a terminal emulator (pty.ts). What must hold on the
// screen left behind: no row the terminal had to wrap itself (nothing wider than it), the four
// columns aligned (every time row's event and detail start at one column, every continuation row
// starts at the detail column), no status line left, one pod's name once as a header.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT } from './run.js';
import { runOnTerminal, type PtyRun } from './pty.js';

const RECORDINGS = join(ROOT, 'test', 'fixtures', 'recordings');
const SCENARIOS = readdirSync(RECORDINGS).filter((d) => existsSync(join(RECORDINGS, d, 'snapshots')));
const NOW = '2026-11-21T23:10:00Z';
const TIME = /^(\d\d:\d\d:\d\d(?:\.\d{3})?(?:Z|[+-]\d\d:\d\d))( +)/;
const STATUS = /connecting to|listing pods in|watching \d+ pods? in|no answer from/;

let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: SCENARIOS });
});
afterAll(() => srv.close());

const kube = () => ['--kubeconfig', srv.kubeconfigPath, '--now', NOW, '--timeout', '2s'];

/** The columns of the rows that start with a time: where the name, the event and the detail begin. */
function columns(r: PtyRun) {
  const starts = { name: new Set<number>(), event: new Set<number>(), detail: new Set<number>(), continuation: new Set<number>() };
  let timed = 0;
  for (const { text } of r.rows) {
    const m = TIME.exec(text);
    if (m) {
      timed++;
      const name = m[0].length;
      // the name column is padded: the event starts after its two-space gap
      const event = text.slice(name).search(/ {2,}\S/) + name;
      const ev = event + text.slice(event).search(/\S/);
      starts.name.add(name);
      starts.event.add(ev);
      const rest = text.slice(ev);
      const gap = rest.search(/ \S/);
      // a type padded to its column, then one space: the detail starts there (none: no detail)
      if (gap >= 0) starts.detail.add(ev + gap + 1);
    } else if (/^ {10,}\S/.test(text)) {
      starts.continuation.add(text.search(/\S/));
    }
  }
  return { timed, starts };
}

describe.each([80, 120])('%i columns', (cols) => {
  test('every pod of every recording (-A): fitted, aligned, no status left on screen', async () => {
    const r = await runOnTerminal(['watch', '-A', ...kube()], cols);
    expect(r.code).toBe(0);
    // the status line was drawn while connecting, and nothing of it is left
    expect(r.raw).toMatch(/connecting to https:\/\/127\.0\.0\.1:\d+/);
    expect(r.rows.filter((x) => STATUS.test(x.text))).toEqual([]);
    expect(r.rows.filter((x) => x.wrapped)).toEqual([]);
    expect(r.rows.filter((x) => [...x.text].length > cols)).toEqual([]);
    const { timed, starts } = columns(r);
    expect(timed).toBeGreaterThan(100);
    expect([...starts.name]).toHaveLength(1);
    expect([...starts.event]).toHaveLength(1);
    // continuation rows are indented to the detail column, never under the time
    const detail = Math.max(...starts.detail);
    expect([...starts.continuation]).toEqual([detail]);
    // the day the recordings were made is said once per change of day, not on every line
    expect(r.rows.filter((x) => /\d{4}-\d\d-\d\d \d\d:\d\d/.test(x.text) && TIME.test(x.text))).toEqual([]);
    // the source word is -o wide's: not glued to the text of an event
    expect(r.rows.filter((x) => / (event|status)$/.test(x.text))).toEqual([]);
  });

  test('a local zone (+05:30) is in the time column from the first line: the columns do not move', async () => {
    const r = await runOnTerminal(['watch', '-n', 'rec-init-interleaved', ...kube()], cols, { TZ: 'Asia/Kolkata' });
    expect(r.code).toBe(0);
    const { timed, starts } = columns(r);
    expect(timed).toBeGreaterThan(5);
    expect(r.rows.filter((x) => TIME.test(x.text)).every((x) => /^\d\d:\d\d:\d\d(\.\d{3})?\+05:30/.test(x.text))).toBe(true);
    expect([...starts.name]).toHaveLength(1);
    expect([...starts.event]).toHaveLength(1);
    expect(r.rows.filter((x) => x.wrapped)).toEqual([]);
  });

  test('--logs: log rows in the same columns, each pod/container in one colour, within the width', async () => {
    const r = await runOnTerminal(['watch', '--logs', '-n', 'rec-init-interleaved', '--color', 'always', ...kube()], cols);
    expect(r.code).toBe(0);
    const logRows = r.rows.filter((x) => / log {2,}/.test(x.text) || / [+-] log /.test(x.text));
    expect(logRows.length).toBeGreaterThan(3);
    const { starts } = columns(r);
    expect([...starts.name]).toHaveLength(1);
    expect([...starts.event]).toHaveLength(1);
    expect(r.rows.filter((x) => x.wrapped || STATUS.test(x.text))).toEqual([]);
    // the same container's name is painted the same colour on each of its log lines
    const colours = new Map<string, Set<string>>();
    for (const m of r.raw.matchAll(/\u001b\[(3\d)m(interleaved\/[a-z-]+)\u001b\[39m/g)) {
      if (!colours.has(m[2])) colours.set(m[2], new Set());
      colours.get(m[2])!.add(m[1]);
    }
    expect(colours.size).toBeGreaterThan(1);
    for (const c of colours.values()) expect(c.size).toBe(1);
  });

  test('-o wide adds the source, still within the width', async () => {
    const r = await runOnTerminal(['watch', '-n', 'rec-sidecar-crashloop', '-o', 'wide', ...kube()], cols);
    expect(r.code).toBe(0);
    expect(r.rows.filter((x) => x.wrapped)).toEqual([]);
    expect(r.rows.some((x) => / (event|status)$/.test(x.text))).toBe(true);
  });

  test('one pod: its name once, as a header, and lines with its containers only', async () => {
    const r = await runOnTerminal(['watch', 'ordering', '-n', 'rec-ordering', ...kube()], cols);
    expect(r.code).toBe(0);
    expect(r.rows[0].text).toBe('rec-ordering/ordering');
    expect(r.rows.slice(1).filter((x) => x.text.includes('ordering/'))).toEqual([]);
    expect(r.rows.some((x) => /^\S+ +first-sidecar +State /.test(x.text))).toBe(true);
    expect(r.rows.filter((x) => x.wrapped || STATUS.test(x.text))).toEqual([]);
  });
});

test('piped, nothing of the status line is written', async () => {
  const { run } = await import('./run.js');
  const r = await run(['watch', '-n', 'rec-ordering', ...kube()]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).not.toMatch(STATUS);
});
