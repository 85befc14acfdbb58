// Wide characters on a real terminal: a last log line in Japanese with emoji (two columns each, as
// terminals draw them) stays inside 80 and 120 columns, in a pseudo-terminal (util-linux `script`)
// whose size is set with stty. Widths are measured outside the code under test: Python's
// unicodedata East Asian Width (W and F take two columns, combining marks none).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN, ROOT } from './run.js';

const SNAP = path.join(ROOT, 'test/fixtures/recordings/sidecar-crashloop/snapshots/crashlooping');
const LINE = '致命的エラー：エクスポーター設定が無効です 🚫🔥 設定ファイル /etc/otel/config.yaml の読み込みに失敗しました。再起動します 🔁 詳細はログを参照してください';

const MEASURE = `
import re, sys, json, unicodedata
def width(s):
    s = re.sub(r'\\x1b\\[[0-9;?]*[A-Za-z]', '', s).replace('\\r', '')
    return sum(0 if unicodedata.combining(c) or c in '\\u200b\\u200d\\ufe0f' else 2 if unicodedata.east_asian_width(c) in 'WF' else 1 for c in s)
print(json.dumps([[width(l), l] for l in re.split(r'\\r?\\n', sys.stdin.read())]))
`;

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-wide-'));
  // the recording's crash-looping sidecar, its last log line replaced (current and previous instance)
  fs.cpSync(SNAP, path.join(tmp, 'one'), { recursive: true });
  const logs = path.join(tmp, 'one', 'logs');
  for (const f of fs.readdirSync(logs).filter((n) => n.includes('otel-collector'))) {
    const lines = fs.readFileSync(path.join(logs, f), 'utf8').trimEnd().split('\n');
    lines[lines.length - 1] = `${lines[lines.length - 1].split(' ', 1)[0]} ${LINE}`;
    fs.writeFileSync(path.join(logs, f), lines.join('\n') + '\n');
  }
  // beside another recorded pod: the many-pod summary comes first
  fs.cpSync(path.join(ROOT, 'test/fixtures/recordings/app-crashloop/snapshots/crashlooping'), path.join(tmp, 'many', 'two'), { recursive: true });
  fs.cpSync(path.join(tmp, 'one'), path.join(tmp, 'many', 'one'), { recursive: true });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The executable's output on a terminal of `cols` columns. */
function onTerminal(cols: number, args: string[]): string {
  const cmd = `stty cols ${cols} rows 50 && exec ${[process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ')}`;
  return execFileSync('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', TZ: 'UTC', TERM: 'xterm-256color' }, encoding: 'utf8' });
}

const widths = (out: string): [number, string][] => JSON.parse(execFileSync('python3', ['-c', MEASURE], { input: out, encoding: 'utf8' }));

describe.each([80, 120])('%i columns', (cols) => {
  test.each([['one', []], ['one', ['-o', 'wide']], ['one', ['--details', 'all']], ['many', []], ['many', ['-o', 'wide']]])('describe -f %s %j: no line wider than the terminal, the log line whole', (dir, extra) => {
    const out = onTerminal(cols, ['describe', '-f', path.join(tmp, dir as string), '--now', '2026-11-21T23:30:00Z', ...(extra as string[])]);
    const measured = widths(out);
    expect(measured.length).toBeGreaterThan(10);
    expect(measured.filter(([w]) => w > cols)).toEqual([]);
    // every word of the line is there (wrapping splits between words)
    const flat = measured.map(([, l]) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trim()).join(' ');
    for (const word of LINE.split(' ')) expect(flat).toContain(word);
  });
});
