// The causes the data holds, drawn on a real terminal (a pseudo-terminal from util-linux `script`) at
// 80 and 120 columns: the termination's cause line, the log lines that show the signal arrived, the
// quoted termination message, the shutdown OOM kill and the kubectl-style probe wrap within the width.
// And a container's own message is escaped and bounded however it is written.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, run } from './run.js';

const corpus = (name: string) => join(ROOT, 'test', 'fixtures', 'corpus', name);
const nowOf = (name: string) => JSON.parse(readFileSync(join(corpus(name), 'expected.json'), 'utf8')).now as string;

/** The command on a pseudo-terminal of `cols` columns; the output as the terminal received it. */
function onTerminal(cols: number, args: string[]): Promise<string> {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return new Promise((resolve, reject) => {
    execFile('script', ['-qec', `stty cols ${cols} rows 60; ${quoted}`, '/dev/null'], { cwd: ROOT, encoding: 'utf8', timeout: 30000, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', TZ: 'UTC', TERM: 'xterm' } },
      (e, stdout) => (e ? reject(e) : resolve(stdout)));
  });
}
// eslint-disable-next-line no-control-regex
const visible = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

const CASES: [string, string[]][] = [
  ['evicted-eviction-api', ['evicted through the Eviction API', 'cause: DisruptionTarget EvictionByEvictionAPI', 'app got SIGTERM, exiting']],
  ['sidecar-oom-at-shutdown', ['ShutdownOOMKilled', 'ShutdownNeedsMemory']],
  ['init-termination-message', ['termination message: "could not connect to db:5432']],
  ['wild-ks-readiness-failing', ['http-get http://:8080/ready']],
];

describe.each([80, 120])('%i columns', (cols) => {
  test.each(CASES)('%s', async (name, said) => {
    const out = visible(await onTerminal(cols, ['describe', '-f', corpus(name), '--now', nowOf(name)]));
    const lines = out.split(/\r?\n/);
    expect(lines.filter((l) => [...l].length > cols)).toEqual([]);
    const flat = lines.map((l) => l.trim()).join(' ');
    for (const s of said) expect(flat).toContain(s);
  });
});

test('a termination message with terminal escapes and 10,000 characters: escaped, on one line, clipped (start and end kept)', async () => {
  const pods = JSON.parse(readFileSync(join(corpus('init-termination-message'), 'pods.json'), 'utf8'));
  const st = pods.items[0].status.initContainerStatuses.find((c: { name: string }) => c.name === 'db-check');
  st.state.terminated.message = `\x1b]52;c;ZWNobyBwd25lZA==\x07start of it\r\n${'x'.repeat(10000)} the end: connection refused`;
  const dir = mkdtempSync(join(tmpdir(), 'sidecars-msg-'));
  writeFileSync(join(dir, 'pods.json'), JSON.stringify(pods));
  const r = await run(['describe', '-f', join(dir, 'pods.json'), '--now', nowOf('init-termination-message')]);
  expect(r.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f]/);
  const line = r.stdout.split('\n').find((l) => l.includes('termination message:'))!;
  expect(line).toContain('^[]52;c;ZWNobyBwd25lZA==\\x07start of it');
  expect(line).toContain('the end: connection refused"');
  expect(line).toContain(' … ');
  expect(line.length).toBeLessThan(1000);
});
