// The command line as kubectl users meet it: help without a command (exit 0, as kubectl plugins do),
// kubectl's `unknown command "x"` with a suggestion, every usage error on one line, and help that
// offers only what each command accepts.
import { run } from './run.js';

/** Exit 1 and exactly one line on stderr, `error: …`. */
async function oneLine(args: string[]): Promise<string> {
  const r = await run(args);
  expect({ code: r.code, lines: r.stderr.split('\n').filter(Boolean).length, stdout: r.stdout }).toEqual({ code: 1, lines: 1, stdout: '' });
  expect(r.stderr).toMatch(/^error: /);
  return r.stderr.trim();
}

test('no command: the help on stdout, exit 0', async () => {
  const r = await run([]);
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/^Explain pods with sidecars/);
  for (const c of ['describe', 'watch', 'version', 'completion']) expect(r.stdout).toContain(`kubectl sidecars ${c}`);
  expect((await run(['help'])).stdout).toBe(r.stdout);
});

test('an unknown command is named as such, with a suggestion when one is close', async () => {
  expect(await oneLine(['descibe'])).toBe('error: unknown command "descibe" for "kubectl sidecars": did you mean "describe"? (see kubectl sidecars --help)');
  expect(await oneLine(['wach', 'pod'])).toMatch(/^error: unknown command "wach" .*did you mean "watch"\?/);
  expect(await oneLine(['bogus'])).toBe('error: unknown command "bogus" for "kubectl sidecars": use describe, watch, version or completion (see kubectl sidecars --help)');
});

test.each([
  [['watch', '--until', 'bogus'], 'error: invalid --until "bogus": use initialized, ready, complete, deleted (see kubectl sidecars --help)'],
  [['completion', 'tcsh'], 'error: invalid shell "tcsh": use bash, zsh, fish, powershell (see kubectl sidecars --help)'],
  [['describe', '--bogus'], 'error: unknown flag --bogus (see kubectl sidecars --help)'],
  [['describe', '-o', 'xml', '-f', 'test/fixtures/demo'], 'error: unknown output format "xml": use text, wide, json, yaml or name'],
  [['watch', '-o', 'yaml'], 'error: output format "yaml" is not available for watch: use text, wide or json (one object per line)'],
  [['watch', '-f', 'test/fixtures/demo'], 'error: unknown flag -f: -f is a flag of describe, not of watch (see kubectl sidecars --help)'],
  [['describe', '--until', 'ready', '-f', 'test/fixtures/demo'], 'error: unknown flag --until: --until is a flag of watch, not of describe (see kubectl sidecars --help)'],
  [['describe', '-n', '..', 'x'], 'error: invalid namespace ".." (-n): a namespace is lowercase letters, digits and \'-\', at most 63 characters'],
  [['watch', '-n', '.'], 'error: invalid namespace "." (-n): a namespace is lowercase letters, digits and \'-\', at most 63 characters'],
  [['watch', '--no-headers'], 'error: unknown flag --no-headers: --no-headers is a flag of describe, not of watch (see kubectl sidecars --help)'],
  [['describe', '..'], 'error: invalid resource name "..": may not be \'..\''],
  [['watch', 'deploy/.'], 'error: invalid resource name ".": may not be \'.\''],
  [['describe', 'pod/a%2Fb'], 'error: invalid resource name "a%2Fb": may not contain \'%\''],
  [['describe', 'job', 'a/b'], 'error: there is no need to name a type as a separate argument when passing TYPE/NAME ("job a/b"): use job/NAME, or TYPE/NAME alone'],
  [['describe', '--now', 'yesterday', '-f', 'test/fixtures/demo'], 'error: invalid --now "yesterday": use an RFC 3339 time'],
  [['-n', 'x'], 'error: name a command: describe, watch, version or completion (see kubectl sidecars --help)'],
])('one line: %j', async (args, line) => {
  expect(await oneLine(args)).toBe(line);
});

test('help lists only what each command accepts; --now is documented as the replay clock', async () => {
  const w = await run(['watch', '--help']);
  expect(w.code).toBe(0);
  expect(w.stdout).not.toMatch(/yaml|--filename|--no-headers/);
  // watch's --logs follows the logs (describe's reads samples): its own words, and its bound
  expect(w.stdout).toMatch(/--logs\s+follow the containers' logs too/);
  expect(w.stdout).toMatch(/--max-log-requests/);
  expect(w.stdout).toMatch(/--output\s+text \| wide \| json/);
  expect(w.stdout).toMatch(/--now\s+the replay clock/);
  const d = await run(['describe', '--help']);
  expect(d.stdout).toMatch(/--output\s+text \| wide \| json \| yaml \| name/);
  expect(d.stdout).toMatch(/--filename/);
  expect(d.stdout).toMatch(/--now\s+the replay clock/);
});
