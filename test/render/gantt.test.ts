import { axisLabel, chooseStep, LEGEND, renderGantt, type GanttRow, type GanttSpan } from '../../src/render/gantt.js';
import { startupRows, terminationRows } from '../../src/render/rows.js';
import { orderingRunning, orderingTerminated } from './samples.js';
import { wordPod } from '../../src/render/words/index.js';

const ANSI = /\u001b\[/;
const span = (o: Partial<GanttSpan>): GanttSpan => ({
  start: null, startSource: 'status', end: null, endSource: 'status', running: false, exitCode: null, ...o,
});
const row = (name: string, tag: string, kind: string, spans: GanttSpan[], waiting: string | null = null): GanttRow =>
  ({ name, tag, kind, spans, marks: [], waiting });

/** Column of the first occurrence of a glyph in the line naming `name`. */
function colOf(out: string, name: string, glyph: string): number {
  const line = out.split('\n').find((l) => l.includes(` ${name} `))!;
  return [...line].indexOf(glyph);
}

describe('renderGantt', () => {
  const origin = '2026-11-21T22:56:16Z';

  test('bars are placed in time order and scaled to the width; lines never exceed it', () => {
    const rows = startupRows(wordPod(orderingRunning()));
    for (const width of [60, 100, 160]) {
      const out = renderGantt(rows, { width, color: false, origin, now: '2026-11-21T22:56:25.694061645Z' });
      const starts = ['init-config', 'first-sidecar', 'second-sidecar', 'app'].map((n) => colOf(out, n, '▲'));
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
      expect(new Set(starts).size).toBe(4);
      expect(out.split('\n').filter((l) => [...l].length > width)).toEqual([]);
    }
    // more width, longer bars: the app's run from +5.37s to now spans more columns at 160 than at 60
    const len = (w: number) => {
      const out = renderGantt(rows, { width: w, color: false, origin, now: '2026-11-21T22:56:25.694061645Z' });
      return colOf(out, 'app', '▶') - colOf(out, 'app', '▲');
    };
    expect(len(160)).toBeGreaterThan(len(60));
  });

  test('a width below 60 is treated as 60', () => {
    const rows = startupRows(wordPod(orderingRunning()));
    const a = renderGantt(rows, { width: 20, color: false, origin, now: '2026-11-21T22:56:25Z' });
    const b = renderGantt(rows, { width: 60, color: false, origin, now: '2026-11-21T22:56:25Z' });
    expect(a).toBe(b);
  });

  test('every mark is traceable: times with their sources, and a one-line legend', () => {
    const out = renderGantt(startupRows(wordPod(orderingRunning())), { width: 100, color: false, origin, now: '2026-11-21T22:56:25Z' });
    // init-config: log-refined start and end (two decimals), app: still running
    expect(out).toContain('+1.72s → +2.73s log');
    expect(out).toContain('+5.37s log → running');
    expect(out.split('\n').filter((l) => l.includes(LEGEND))).toHaveLength(1);
    expect(out).toMatch(/┬[─┬]+\n\s+0s\s+2s\s+4s/);
    expect(out).not.toMatch(ANSI);
  });

  test('still running: the bar reaches now and ends in ▶', () => {
    const rows = [row('app', 'A0', 'app', [span({ start: '2026-11-21T22:56:21Z', running: true })])];
    const out = renderGantt(rows, { width: 80, color: false, origin, now: '2026-11-21T22:56:31Z' });
    const line = out.split('\n')[0];
    expect(line).toMatch(/▲━+▶/);
    expect(line).toContain('+5.0s status → running');
  });

  test('zero-length spans show their end mark; never-started containers say what they wait for', () => {
    // image-pull-fail: the app never starts, it waits with PodInitializing
    const rows = [
      row('init-config', 'I0', 'init', [span({ start: '2026-11-21T22:56:17Z', end: '2026-11-21T22:56:17Z', exitCode: 0 })]),
      row('app', 'A0', 'app', [], 'PodInitializing'),
    ];
    const out = renderGantt(rows, { width: 80, color: false, origin, now: '2026-11-21T22:56:18Z' });
    const lines = out.split('\n');
    expect(lines[0]).toContain('■');
    expect(lines[0]).toContain('+1.0s → +1.0s status');
    expect(lines[1]).toMatch(/A0 app\s+waiting: PodInitializing/);
    expect(lines[1]).not.toMatch(/[▲━■✕▶]/);
  });

  test('restarts: one row, several runs; the crash exits are ✕ and the codes are printed', () => {
    // sidecar-crashloop (crashlooping): otel-collector started 4 times between 22:56:50 and 22:57:41, last run 22:57:41→:44 exit 1
    const start = '2026-11-21T22:56:49Z';
    const rows = [row('otel-collector', 'S0', 'sidecar', [
      span({ start: '2026-11-21T22:56:50Z', startSource: 'event', end: '2026-11-21T22:56:53Z', exitCode: 1 }),
      span({ start: '2026-11-21T22:57:41.942016163Z', startSource: 'log', end: '2026-11-21T22:57:44Z', exitCode: 1 }),
    ], 'CrashLoopBackOff')];
    const out = renderGantt(rows, { width: 100, color: false, origin: start, now: '2026-11-21T22:58:04.979313997Z' });
    const line = out.split('\n')[0];
    expect((line.match(/▲/g) ?? []).length).toBe(2);
    expect((line.match(/✕/g) ?? []).length).toBe(2);
    expect(out).toContain('+1.0s event → +4.0s (exit 1) status');
    expect(out).toContain('+52.94s log → +55.0s (exit 1) status');
    expect(out).toContain('now waiting: CrashLoopBackOff');
  });

  test('unknown times: nothing is drawn for them and the text says so', () => {
    const rows = [
      row('first-sidecar', 'S1', 'sidecar', [span({ start: null, end: null })]),
      row('app', 'A0', 'app', [span({ start: '2026-11-21T22:56:21Z', end: null, exitCode: null })]),
    ];
    const out = renderGantt(rows, { width: 80, color: false, origin, now: '2026-11-21T22:56:30Z' });
    const [a, b] = out.split('\n');
    expect(a).not.toMatch(/[▲━■✕▶]/);
    expect(a).toContain('? → ?');
    expect(b).toContain('+5.0s status → ?');
  });

  test('a pod that lived one second still gets a readable axis', () => {
    const rows = [row('init-config', 'I0', 'init', [span({ start: origin, end: origin, exitCode: 0 })])];
    const out = renderGantt(rows, { width: 80, color: false, origin, now: origin });
    expect(out).toMatch(/\n\s+0s\s+1s\n/);
  });

  test('hours: the axis switches to hour labels', () => {
    const rows = [
      row('vault-agent', 'S0', 'sidecar', [span({ start: '2026-11-21T10:00:01Z', running: true })]),
      row('app', 'A0', 'app', [span({ start: '2026-11-21T10:00:02Z', end: '2026-11-21T15:30:00Z', exitCode: 137 })]),
    ];
    const out = renderGantt(rows, { width: 100, color: false, origin: '2026-11-21T10:00:00Z', now: '2026-11-21T16:00:00Z' });
    expect(out).toMatch(/0s\s+1h\s+2h/);
    expect(out).toContain('+2.0s → +5h30m (exit 137) status');
  });

  test('a pod running for days does not squeeze its startup into one column', () => {
    const lc = orderingRunning();
    const out = renderGantt(startupRows(wordPod(lc)), { width: 100, color: false, origin, now: '2026-11-25T22:56:16Z' });
    expect(colOf(out, 'app', '▲') - colOf(out, 'init-config', '▲')).toBeGreaterThan(10);
    expect(out).toContain('(now +4d00h)');
  });

  test('color on: marks are coloured; color off: no escape codes at all', () => {
    const rows = startupRows(wordPod(orderingTerminated()));
    expect(renderGantt(rows, { width: 100, color: true, origin })).toMatch(ANSI);
    expect(renderGantt(rows, { width: 100, color: false, origin })).not.toMatch(ANSI);
  });

  test('axis: tick labels in at most two units (1m30s, 1d12h), tick steps from the round list that keep labels apart', () => {
    expect([0, 45, 90, 120, 5400, 7200, 129600].map(axisLabel)).toEqual(['0s', '45s', '1m30s', '2m', '1h30m', '2h', '1d12h']);
    expect(chooseStep(18, 60)).toBe(5);
    expect(chooseStep(1, 60)).toBe(1);
    expect(chooseStep(6 * 3600, 60)).toBe(3600);
  });
});

describe('rows from a lifecycle', () => {
  test('status and log reports of one start are one run, drawn at the log time', () => {
    const rows = startupRows(wordPod(orderingRunning()));
    expect(rows.map((r) => r.tag)).toEqual(['I0', 'S1', 'S2', 'A0']);
    expect(rows[0].spans).toHaveLength(1);
    expect(rows[0].spans[0]).toMatchObject({ start: '2026-11-21T22:56:17.723732621Z', startSource: 'log', exitCode: 0 });
    expect(rows[3].spans).toEqual([expect.objectContaining({ running: true, start: '2026-11-21T22:56:21.374733354Z' })]);
  });

  // in the container table's order, as the reviewed goldens show (ordering.last-seen.txt); the
  // section's `order:` line gives the termination order
  test('termination rows run from shutdown start to each exit', () => {
    const rows = terminationRows(wordPod(orderingTerminated()));
    expect(rows.map((r) => r.name)).toEqual(['first-sidecar', 'second-sidecar', 'app']);
    expect(rows[0].spans[0]).toMatchObject({ start: '2026-11-21T22:56:25Z', end: '2026-11-21T22:56:34Z', startMark: false });
    const out = renderGantt(rows, { width: 100, color: false, origin: '2026-11-21T22:56:25Z' });
    expect(out).toContain('+0.0s → +9.0s status');
    // the bars start at shutdown, not at a container start: no ▲ on them
    expect(out.split('\n').slice(0, 3).join('\n')).not.toContain('▲');
  });
});
