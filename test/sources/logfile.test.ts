// -f DIR reads a log file's head and last line by ranged reads (issue 13 #6): a file of any size
// costs the same. The folder is a recorded snapshot (ordering/running) with one log swapped for a
// sparse 3 GiB file that starts and ends with real lines; before, it was read whole (and a file
// over ~512 MiB ended the run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { run } from '../cli/run.js';
import { sampleFromLogFile } from '../../src/sources/logfile.js';
import { sampleFromFullLog } from '../../src/sources/evidence.js';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-logfile-'));
  fs.cpSync(path.join('test', 'fixtures', 'recordings', 'ordering', 'snapshots', 'running'), path.join(dir, 'running'), { recursive: true });
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a 3 GiB log file: head and last line, the run goes on', async () => {
  const file = path.join(dir, 'running', 'logs', 'ordering.app.log');
  const first = fs.readFileSync(file, 'utf8');
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, first);
  const last = '2026-11-21T22:56:33.123456789Z the very last line\n';
  fs.writeSync(fd, `\n${last}`, 3 * 1024 ** 3 - last.length - 1);
  fs.closeSync(fd);
  expect(fs.statSync(file).size).toBe(3 * 1024 ** 3);
  const s = sampleFromLogFile(file);
  expect(s.head[0]).toEqual(sampleFromFullLog(first).head[0]);
  expect(s.tail).toEqual([{ time: '2026-11-21T22:56:33.123456789Z', text: 'the very last line' }]);
  const r = await run(['describe', '-f', path.join(dir, 'running'), '-o', 'json', '--now', '2026-11-21T22:57:00Z'], { env: { NODE_OPTIONS: '--max-old-space-size=128' } });
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
});

test('small files sample as a whole-file read does; a huge last line is cut and marked', () => {
  const small = path.join(dir, 'small.log');
  const text = '2026-11-21T22:56:21.1Z a\nno timestamp\n2026-11-21T22:56:22.2Z b\n';
  fs.writeFileSync(small, text);
  expect(sampleFromLogFile(small)).toEqual(sampleFromFullLog(text));
  const big = path.join(dir, 'big.log');
  fs.writeFileSync(big, `2026-11-21T22:56:21.1Z a\n2026-11-21T22:56:22.2Z ${'x'.repeat(200_000)}\n`);
  const s = sampleFromLogFile(big);
  expect(s.tail[0].time).toBe('2026-11-21T22:56:22.2Z');
  expect(s.tail[0].text).toMatch(/^x+ … \[line cut\]$/);
  expect(s.tail[0].text.length).toBeLessThan(17000);
});
