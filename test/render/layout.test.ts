// Fitting tables and prose to a width: columns give way widest first (names last), cells wrap
// at name segments, nothing is cut; cli-table3 (per-pod tables) and the linear printer (the
// many-pod summary) draw the same table.
import { fitColumns, flow, linearTable, podTable, wrapCell } from '../../src/render/layout.js';

const HEAD = ['IDX', 'NAME', 'KIND', 'STATE', 'EXIT'];
const ROWS = [
  ['I0', 'init-config', 'init', 'terminated (Completed)', '0'],
  ['S1', 'first-sidecar', 'sidecar', 'running', '-'],
  ['A0', 'app', 'app', 'waiting (CrashLoopBackOff)', '-'],
];
const width = (s: string) => Math.max(...s.split('\n').map((l) => [...l].length));

test('natural widths when they fit; kubectl\'s three spaces; no trailing blanks', () => {
  const t = podTable(HEAD, ROWS, Infinity);
  expect(t.split('\n')[0]).toBe('IDX   NAME            KIND      STATE                        EXIT');
  expect(t.split('\n')[2]).toBe('S1    first-sidecar   sidecar   running                      -');
  // the same table from the linear printer
  expect(linearTable(HEAD, ROWS, Infinity)).toBe(t);
});

test('narrower: the prose column wraps at a word, the names stay whole, nothing is cut', () => {
  for (const w of [60, 55, 50]) {
    const t = podTable(HEAD, ROWS, w);
    expect(width(t)).toBeLessThanOrEqual(w);
    expect(t).toContain('first-sidecar');
    expect(t).not.toContain('…');
    expect(t.replace(/\s+/g, ' ')).toContain('(CrashLoop');
    expect(linearTable(HEAD, ROWS, w)).toBe(t);
  }
  expect(podTable(HEAD, ROWS, 50).split('\n')[1]).toMatch(/^I0\s+init-config\s+init\s+terminated\s+0$/);
});

test('no table fits: one block per row, every value kept', () => {
  const t = podTable(HEAD, ROWS, 30);
  expect(width(t)).toBeLessThanOrEqual(30);
  expect(t.split('\n')[0]).toBe('I0 init-config');
  expect(t).toContain('STATE terminated (Completed)');
});

test('a runaway cell (thousands of lines) is laid out in linear time', () => {
  const big = 'word '.repeat(40000);
  const t0 = performance.now();
  const t = podTable(HEAD, [['A0', 'app', 'app', big, '1']], 80);
  expect(performance.now() - t0).toBeLessThan(2000);
  expect(width(t)).toBeLessThanOrEqual(80);
  expect(t.split('word').length - 1).toBe(40000);
});

test('fitColumns shrinks the widest first, never below the minimum', () => {
  expect(fitColumns([10, 30, 5], [3, 8, 5], 40, 3)).toEqual([10, 19, 5]);
  expect(fitColumns([10, 30, 5], [3, 8, 5], 1000, 3)).toEqual([10, 30, 5]);
  expect(fitColumns([10, 30, 5], [10, 30, 5], 20, 3)).toEqual([10, 30, 5]);
});

test('wrapCell breaks long words where their segments meet; flow keeps items whole', () => {
  expect(wrapCell('rec-job-legacy-sidecar', 10)).toEqual(['rec-job-', 'legacy-', 'sidecar']);
  expect(wrapCell('LegacySidecarBlocksCompletion', 16)).toEqual(['LegacySidecar', 'BlocksCompletion']);
  expect(wrapCell('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
  expect(flow(['READY 1/2', 'RESTARTS 0', 'AGE 44s'], 24, 2)).toBe('READY 1/2   RESTARTS 0\n  AGE 44s');
});
