// Hostile and unusual -f input through the executable: every input finishes within its time and
// memory bounds (peak RSS read from /proc while it runs), with one line when refused, and data
// read as kubectl would read it. Big inputs are made here, in a temp folder (sparse files and
// gzip streams of zeros: cheap to make, large to read).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { dump, load } from 'js-yaml';
import { BIN, ROOT } from './run.js';
import { buildBundle } from '../sources/bundles.js';

const REC = path.join(ROOT, 'test/fixtures/recordings');
const snap = (scenario: string, name: string) => path.join(REC, scenario, 'snapshots', name);
const NOW = ['--now', '2026-11-21T23:30:00Z'];
const MiB = 1024 * 1024;
/** The done-when bound for every -f input. */
const RSS_LIMIT = 600 * MiB;

interface Measured {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Peak resident set size (VmHWM), bytes. */
  peak: number;
  ms: number;
}

/** Runs the executable with stdin from a file descriptor or bytes; reads its peak RSS from /proc. */
function measure(args: string[], opts: { stdin?: number | Buffer; timeoutMs?: number } = {}): Promise<Measured> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', TZ: 'UTC' },
    stdio: [typeof opts.stdin === 'number' ? opts.stdin : 'pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let peak = 0;
  const t0 = Date.now();
  const poll = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch {
      // exited
    }
  }, 50);
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  if (child.stdin) {
    child.stdin.on('error', () => {});
    child.stdin.end(opts.stdin instanceof Buffer ? opts.stdin : '');
  }
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, signal, stdout, stderr, peak, ms: Date.now() - t0 });
    });
  });
}

/** A ustar header block (type flag, size), with its checksum. */
function tarHeader(name: string, size: number, type = '0'): Buffer {
  const h = Buffer.alloc(512);
  h.write(name.slice(0, 99), 0, 'utf8');
  h.write('0000644\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write(type, 156);
  h.write('ustar\u000000', 257, 'latin1');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);

/** A .tar.gz of `files`, with one entry (`bomb`) of `size` zero bytes streamed in, never held. */
async function bombArchive(file: string, files: { name: string; body: Buffer }[], bomb: { name: string; type: string; size: number }): Promise<void> {
  async function* parts() {
    yield tarHeader(bomb.name, bomb.size, bomb.type);
    const zeros = Buffer.alloc(MiB);
    for (let left = bomb.size; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
    yield pad(bomb.size);
    for (const f of files) {
      yield tarHeader(f.name, f.body.length);
      yield f.body;
      yield pad(f.body.length);
    }
    yield Buffer.alloc(1024);
  }
  await pipeline(Readable.from(parts()), zlib.createGzip({ level: 1 }), fs.createWriteStream(file));
}

const crashPods = () => ({ name: 'bundle/pods.json', body: fs.readFileSync(path.join(snap('sidecar-crashloop', 'crashlooping'), 'pods.json')) });

let tmp: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-hostile-'));
});
afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** One line on stderr, no stack trace, no control characters. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(stderr).not.toMatch(/\n\s+at |Fatal error|FATAL|#\s+Check failed/);
  return lines[lines.length - 1];
}

describe('archives: every entry and header bounded', () => {
  const BIG = 600 * MiB; // the issue's 600 KB archive holding a 600 MiB entry (cost 1.3 GB)

  test('a 600 MiB .json entry is skipped with a notice; the pods beside it are read', async () => {
    const file = path.join(tmp, 'bomb.tar.gz');
    await bombArchive(file, [crashPods()], { name: 'bundle/huge.json', type: '0', size: BIG });
    expect(fs.statSync(file).size).toBeLessThan(4 * MiB);
    const r = await measure(['describe', '-f', file, '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items.length).toBeGreaterThan(0);
    expect(oneLine(r.stderr)).toMatch(/^note: skipped .*bomb\.tar\.gz!bundle\/huge\.json: 600 MiB, over the 256 MiB a data file may hold \(--max-response-size\)/);
    expect(r.peak).toBeLessThan(RSS_LIMIT);
  }, 90000);

  test('a 600 MiB GNU long name refuses the archive in one line', async () => {
    const file = path.join(tmp, 'longname.tar.gz');
    await bombArchive(file, [crashPods()], { name: '././@LongLink', type: 'L', size: BIG });
    const r = await measure(['describe', '-f', file, ...NOW]);
    expect(r.code).not.toBe(0);
    expect(r.signal).toBeNull();
    expect(r.stderr.trim()).toBe(`error: cannot read ${file}: its GNU long-name header is ${BIG} bytes, over the 1 MiB this reader keeps`);
    expect(r.peak).toBeLessThan(RSS_LIMIT);
  }, 90000);

  test('a 600 MiB PAX global header is skipped unread', async () => {
    const file = path.join(tmp, 'pax.tar.gz');
    await bombArchive(file, [crashPods()], { name: 'pax_global_header', type: 'g', size: BIG });
    const r = await measure(['describe', '-f', file, '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items.length).toBeGreaterThan(0);
    expect(r.peak).toBeLessThan(RSS_LIMIT);
  }, 90000);

  test('an archive on stdin is read as the same archive named', async () => {
    const file = buildBundle(snap('sidecar-crashloop', 'crashlooping'), 'troubleshoot-tgz', tmp);
    const named = await measure(['describe', '-f', file, '-o', 'json', ...NOW]);
    const piped = await measure(['describe', '-f', '-', '-o', 'json', ...NOW], { stdin: fs.readFileSync(file) });
    expect(piped.stderr).toBe('');
    expect(piped.code).toBe(named.code);
    expect(piped.stdout).toBe(named.stdout);
  }, 60000);
});

describe('endless and oversized files', () => {
  test('-f /dev/zero is refused at the data limit', async () => {
    const r = await measure(['describe', '-f', '/dev/zero', ...NOW]);
    expect(r.signal).toBeNull();
    expect(oneLine(r.stderr)).toBe('error: cannot read /dev/zero: more than the 256 MiB a data file may hold (--max-response-size)');
    expect(r.peak).toBeLessThan(RSS_LIMIT);
  }, 90000);

  test('-f - fed from /dev/zero is refused at the data limit', async () => {
    const fd = fs.openSync('/dev/zero', 'r');
    try {
      const r = await measure(['describe', '-f', '-', '--max-response-size', '64Mi', ...NOW], { stdin: fd });
      expect(r.signal).toBeNull();
      expect(oneLine(r.stderr)).toBe('error: cannot read stdin: more than the 64 MiB a data file may hold (--max-response-size)');
      expect(r.peak).toBeLessThan(RSS_LIMIT);
    } finally {
      fs.closeSync(fd);
    }
  }, 90000);

  test('a 600 MB unrelated JSON file in a bundle folder is skipped; the bundle is read', async () => {
    const dir = path.join(tmp, 'bundle');
    fs.cpSync(snap('sidecar-crashloop', 'crashlooping'), dir, { recursive: true });
    const big = path.join(dir, 'zz-metrics.json');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 600 * 1000 * 1000); // sparse
    const r = await measure(['describe', '-f', dir, '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items.length).toBeGreaterThan(0);
    expect(oneLine(r.stderr)).toBe(`note: skipped ${big}: 572.2 MiB, over the 256 MiB a data file may hold (--max-response-size)`);
    expect(r.peak).toBeLessThan(RSS_LIMIT);
  }, 90000);

  test('one file that cannot be parsed does not sink the bundle', async () => {
    const dir = path.join(tmp, 'bundle');
    fs.cpSync(snap('sidecar-crashloop', 'crashlooping'), dir, { recursive: true });
    const bad = path.join(dir, 'broken.yaml');
    fs.writeFileSync(bad, 'kind: Pod\nspec:\n  containers: [\n  - name: x\n');
    const r = await measure(['describe', '-f', dir, '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items.length).toBeGreaterThan(0);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^note: cannot parse ${bad}: .*; skipped$`));
  }, 60000);

  test('20,000 log files of pods not in the input are not read', async () => {
    const dir = path.join(tmp, 'bundle');
    fs.cpSync(snap('sidecar-crashloop', 'crashlooping'), dir, { recursive: true });
    const line = Buffer.alloc(70 * 1024, 'x'); // each one's last line fills a tail window
    for (let i = 0; i < 20000; i++) fs.writeFileSync(path.join(dir, 'logs', `other-${i}.app.log`), line);
    const r = await measure(['describe', '-f', dir, '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.peak).toBeLessThan(RSS_LIMIT);
  }, 120000);

  test('a 473-byte YAML alias bomb is refused in one line, at once', async () => {
    // a sequence of sequences, each nine aliases of the one before: 9^9 lists once expanded
    const rows = ['- &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]'];
    for (let i = 1; i < 9; i++) rows.push(`- &${'abcdefghi'[i]} [${Array(9).fill(`*${'abcdefghi'[i - 1]}`).join(',')}]`);
    const file = path.join(tmp, 'laughs.yaml');
    fs.writeFileSync(file, rows.join('\n') + '\n');
    expect(fs.statSync(file).size).toBeLessThan(500);
    const r = await measure(['describe', '-f', file, ...NOW], { timeoutMs: 30000 });
    expect(r.signal).toBeNull();
    expect(r.ms).toBeLessThan(20000);
    expect(oneLine(r.stderr)).toMatch(new RegExp(`^error: cannot parse ${file}: excessive aliasing`));
  }, 60000);
});

describe('only regular files, only inside the folder named', () => {
  test('a FIFO named version.json beside the file or in the folder does not hang the read', async () => {
    const dir = path.join(tmp, 'snap');
    fs.cpSync(snap('sidecar-crashloop', 'crashlooping'), dir, { recursive: true });
    execFileSync('mkfifo', [path.join(dir, 'version.json')]);
    execFileSync('mkfifo', [path.join(tmp, 'version.json')]);
    for (const target of [dir, path.join(dir, 'pods.json')]) {
      const r = await measure(['describe', '-f', target, '-o', 'json', ...NOW], { timeoutMs: 15000 });
      expect(r.signal).toBeNull();
      expect(r.code).toBe(0);
    }
  }, 60000);

  test('a log link pointing outside the folder named is not followed', async () => {
    const dir = path.join(tmp, 'snap');
    fs.cpSync(snap('sidecar-crashloop', 'crashlooping'), dir, { recursive: true });
    const secret = path.join(tmp, 'id_rsa');
    fs.writeFileSync(secret, '-----BEGIN KEY-----\nSECRET-LAST-LINE\n');
    const logs = path.join(dir, 'logs');
    const victim = fs.readdirSync(logs).find((f) => f.endsWith('.log') && !f.endsWith('.previous.log'))!;
    fs.rmSync(path.join(logs, victim));
    fs.symlinkSync(secret, path.join(logs, victim));
    const r = await measure(['describe', '-f', dir, '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('SECRET');
    // a link to a file inside the folder is still followed (troubleshoot's COLLECTOR/POD/C.log)
    fs.rmSync(path.join(logs, victim));
    fs.writeFileSync(path.join(dir, 'kept.txt'), '-----BEGIN-----\nINSIDE-LAST-LINE\n');
    fs.symlinkSync(path.join(dir, 'kept.txt'), path.join(logs, victim));
    const inside = await measure(['describe', '-f', dir, '-o', 'json', ...NOW]);
    expect(inside.stdout).toContain('INSIDE-LAST-LINE');
  }, 60000);
});

describe('data read as kubectl reads it', () => {
  test('a last log line longer than the tail window is kept from its start and marked cut', async () => {
    const dir = path.join(tmp, 'snap');
    fs.cpSync(snap('sidecar-crashloop', 'crashlooping'), dir, { recursive: true });
    const logs = path.join(dir, 'logs');
    // the crash-looping sidecar's log (its current and previous instance are the same file's text)
    for (const file of fs.readdirSync(logs).filter((f) => f.includes('otel-collector'))) {
      const text = fs.readFileSync(path.join(logs, file), 'utf8').trimEnd().split('\n');
      const [time] = text[text.length - 1].split(' ', 1);
      text[text.length - 1] = `${time} fatal: ${'x'.repeat(100 * 1024)}`;
      fs.writeFileSync(path.join(logs, file), text.join('\n') + '\n');
    }
    const r = await measure(['describe', '-f', dir, '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/fatal: x{100,} … \[line cut\]/);
    // the same from an archive (a stream through the log window), made by GNU tar
    const archive = path.join(tmp, 'snap.tar.gz');
    execFileSync('tar', ['-czf', archive, '-C', tmp, 'snap']);
    const a = await measure(['describe', '-f', archive, '-o', 'json', ...NOW]);
    expect(a.stdout).toMatch(/fatal: x{100,} … \[line cut\]/);
  }, 60000);

  test('two clusters’ must-gathers under one folder keep their own logs', async () => {
    const a = buildBundle(snap('sidecar-crashloop', 'crashlooping'), 'must-gather', path.join(tmp, 'all', 'cluster-a'));
    const b = buildBundle(snap('sidecar-crashloop', 'crashlooping'), 'must-gather', path.join(tmp, 'all', 'cluster-b'));
    // cluster b: another pod of the same name (another uid) whose logs say so
    for (const f of walkFiles(b)) {
      if (/\.ya?ml$/.test(f)) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/uid: (\S+)/g, (_m, u: string) => `uid: b-${u.replace(/^['"]|['"]$/g, '')}`));
      if (f.endsWith('.log')) fs.writeFileSync(f, fs.readFileSync(f, 'utf8').replace(/(Z )(.*)$/gm, '$1CLUSTER-B $2'));
    }
    const r = await measure(['describe', '-f', path.join(tmp, 'all'), '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    const items = JSON.parse(r.stdout).items as { pod: { uid: string } }[];
    expect(items).toHaveLength(2);
    const texts = items.map((p) => JSON.stringify(p));
    const ofB = texts.filter((t) => t.includes('"uid":"b-'));
    const ofA = texts.filter((t) => !t.includes('"uid":"b-'));
    expect(ofB.every((t) => t.includes('CLUSTER-B'))).toBe(true);
    expect(ofA.some((t) => t.includes('CLUSTER-B'))).toBe(false);
    void a;
  }, 60000);

  test('UTF-16 files with a byte-order mark (PowerShell 5.1 `>`) read as their UTF-8 twin, named or in a folder', async () => {
    const src = path.join(snap('sidecar-crashloop', 'crashlooping'), 'pods.json');
    const utf8 = await measure(['describe', '-f', src, '-o', 'json', ...NOW]);
    const le = path.join(tmp, 'le', 'pods.json');
    fs.mkdirSync(path.dirname(le));
    fs.writeFileSync(le, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(fs.readFileSync(src, 'utf8'), 'utf16le')]));
    for (const target of [le, path.dirname(le)]) {
      const r = await measure(['describe', '-f', target, '-o', 'json', ...NOW]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(utf8.stdout);
    }
  }, 60000);

  test('unquoted YAML timestamps give the same output as their quoted twin, with no Date string', async () => {
    const pods = JSON.parse(fs.readFileSync(path.join(snap('sidecar-crashloop', 'crashlooping'), 'pods.json'), 'utf8'));
    const quoted = dump(pods); // js-yaml quotes strings its default schema would read as timestamps
    const unquoted = quoted.replace(/'(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)'/g, '$1');
    expect(unquoted).toMatch(/creationTimestamp: \d{4}-/);
    fs.writeFileSync(path.join(tmp, 'quoted.yaml'), quoted);
    fs.writeFileSync(path.join(tmp, 'unquoted.yaml'), unquoted);
    for (const format of [[], ['-o', 'wide'], ['-o', 'json'], ['-o', 'yaml']]) {
      const q = await measure(['describe', '-f', path.join(tmp, 'quoted.yaml'), ...format, ...NOW]);
      const u = await measure(['describe', '-f', path.join(tmp, 'unquoted.yaml'), ...format, ...NOW]);
      expect(u.stdout).toBe(q.stdout);
      expect(u.stderr).toBe(q.stderr);
      expect(u.stdout).not.toMatch(/GMT|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d/);
    }
  }, 90000);

  test('a numeric pod name in YAML is read as its string, with a notice', async () => {
    const pod = JSON.parse(fs.readFileSync(path.join(snap('sidecar-crashloop', 'crashlooping'), 'pods.json'), 'utf8')).items[0];
    const file = path.join(tmp, 'pod.yaml');
    fs.writeFileSync(file, dump({ ...pod, metadata: { ...pod.metadata, name: 'NAME' } }).replace(/name: NAME/, 'name: 1000'));
    const r = await measure(['describe', '-f', file, '-o', 'json', ...NOW]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).items[0].pod.name).toBe('1000');
    expect(r.stderr).toContain('the pod name 1000 is not a string in the input');
  }, 60000);
});

function walkFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walkFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

describe('-o yaml read back as the same strings', () => {
  // Strings a YAML 1.1 reader (PyYAML, go-yaml v2) or a 1.2 reader (js-yaml) would take for
  // numbers, booleans or nulls, as pod names of a -f input: each must come back as itself.
  const TRICKY = ['1_000', '0b1_0', '0x1_F', '017', '1_0:20', '1_000.5', '.5', '1e3', '+12', 'yes', 'on', 'n', '~', 'null', '2018-12-02', '0o17', '.inf'];

  test('PyYAML (1.1) and js-yaml (1.2) read every name back unchanged', async () => {
    const pod = JSON.parse(fs.readFileSync(path.join(snap('sidecar-crashloop', 'crashlooping'), 'pods.json'), 'utf8')).items[0];
    const items = TRICKY.map((name, i) => ({ ...pod, metadata: { ...pod.metadata, name, uid: `${pod.metadata.uid}-${i}` } }));
    const file = path.join(tmp, 'pods.json');
    fs.writeFileSync(file, JSON.stringify({ apiVersion: 'v1', kind: 'List', items }));
    const r = await measure(['describe', '-f', file, '-o', 'yaml', ...NOW]);
    expect(r.code).toBe(0);
    const py = execFileSync('python3', ['-c', 'import sys, json, yaml; d = yaml.safe_load(sys.stdin); print(json.dumps([i["pod"]["name"] for i in d["items"]]))'], { input: r.stdout, encoding: 'utf8' });
    expect(JSON.parse(py)).toEqual(expect.arrayContaining(TRICKY));
    expect(JSON.parse(py)).toHaveLength(TRICKY.length);
    const js = (load(r.stdout) as { items: { pod: { name: unknown } }[] }).items.map((i) => i.pod.name);
    expect(js.sort()).toEqual([...TRICKY].sort());
  }, 60000);
});

describe('containerd StartError: startedAt at the Unix epoch means never started', () => {
  // The terminated record containerd gives a container whose process could not start
  // (kubernetes/kubernetes#120331, containerd/containerd#9080): exit 128, StartError, the runc
  // message, startedAt 1970-01-01T00:00:00Z, a real finishedAt. Put on the crash-looping app of the
  // recording app-crashloop/crashlooping (its own finishedAt kept); its logs removed (a container
  // that never started has none).
  test('no "56y", no 1970, no chart from -20778 days, JSON startedAt null', async () => {
    const dir = path.join(tmp, 'start-error');
    fs.cpSync(snap('app-crashloop', 'crashlooping'), dir, { recursive: true });
    fs.rmSync(path.join(dir, 'logs'), { recursive: true, force: true });
    const pods = JSON.parse(fs.readFileSync(path.join(dir, 'pods.json'), 'utf8'));
    const cs = pods.items[0].status.containerStatuses[0];
    for (const t of [cs.state.terminated, cs.lastState.terminated]) {
      Object.assign(t, {
        exitCode: 128,
        reason: 'StartError',
        message: 'failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "sleepx": executable file not found in $PATH: unknown',
        startedAt: '1970-01-01T00:00:00Z',
      });
    }
    fs.writeFileSync(path.join(dir, 'pods.json'), JSON.stringify(pods));
    const at = ['--now', '2026-11-21T23:04:00Z'];
    const text = await measure(['describe', '-f', dir, ...at]);
    expect(text.code).not.toBeNull();
    expect(text.stdout).toContain('exited with code 128 (StartError)');
    expect(text.stdout).not.toMatch(/56y|1970|-\d{4,}d/);
    const json = await measure(['describe', '-f', dir, '-o', 'json', ...at]);
    expect(json.stdout).not.toContain('1970');
    const item = JSON.parse(json.stdout).items[0];
    const api = item.containers.find((c: { name: string }) => c.name === cs.name);
    expect(api.startedAt).toBeNull();
    expect(api.finishedAt).toBe(cs.state.terminated.finishedAt);
    expect(JSON.stringify(item.blockers)).not.toMatch(/"ranSeconds":\d/);
  }, 60000);
});
