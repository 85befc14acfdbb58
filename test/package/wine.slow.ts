// Opt-in (`npm run test:package`, which first builds every archive): the Windows executable, taken
// from its zip as krew would, runs under wine when wine is installed (Debian: apt-get install
// wine64), reporting Windows 10 as Node 22 requires. `version` works and `describe -f` of the demo
// prints byte for byte what the npm launcher prints on this machine. stdout goes to a file: under
// wine, Node's stdout on a pipe fails with EBADF, as it does for a plain node.exe of the same version
// and not for wine's own cmd.exe (docs/development.md, "Windows under wine").
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveName, binName, NODE_VERSION, OUT_DIR, PLATFORMS, readArchive, readPackageJson, ROOT } from '../../scripts/package.mjs';
import { BIN } from '../cli/run.js';

const windows = PLATFORMS.find((p) => p.os === 'windows')!;
const zip = join(OUT_DIR, archiveName(readPackageJson().version, windows));
const wine = spawnSync('sh', ['-c', 'command -v wine'], { encoding: 'utf8' }).stdout.trim();
const DEMO = ['describe', '-f', 'test/fixtures/demo', '--now', '2026-11-21T22:57:01Z'];

if (!wine) {
  process.stderr.write('wine.slow.ts: wine is not installed: the Windows executable was not run (Debian: apt-get install wine64)\n');
}
const maybe = wine ? describe : describe.skip;

maybe('the Windows executable under wine', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  /** Runs the .exe with stdout and stderr in files (see the header for why not pipes). */
  const runExe = (args: string[]) => {
    const out = join(dir, 'stdout');
    const err = join(dir, 'stderr');
    const r = spawnSync('sh', ['-c', '"$@" >"$OUT" 2>"$ERR"', 'sh', wine, join(dir, binName(windows)), ...args], {
      cwd: ROOT, env: { ...env, OUT: out, ERR: err }, timeout: 180000,
    });
    return { status: r.status, stdout: readFileSync(out, 'utf8'), stderr: readFileSync(err, 'utf8') };
  };

  beforeAll(() => {
    expect(existsSync(zip)).toBe(true);
    dir = mkdtempSync(join(tmpdir(), 'wine-'));
    const exe = readArchive(zip).find((f: { name: string }) => f.name === binName(windows))!;
    writeFileSync(join(dir, binName(windows)), exe.data, { mode: 0o755 });
    env = { ...process.env, WINEPREFIX: join(dir, 'prefix'), WINEDEBUG: '-all', TZ: 'UTC' };
    // a new prefix reports Windows 7; Node 22 refuses anything before 8.1
    const reg = spawnSync(wine, ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'], { env, encoding: 'utf8', timeout: 180000 });
    expect(reg.status).toBe(0);
  }, 240000);

  afterAll(() => {
    if (dir) {
      spawnSync('wineserver', ['-k'], { env });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('`version` names the pinned Node on win32/x64', () => {
    const r = runExe(['version']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^kubectl-sidecars \\S+ \\(commit \\S+, node v${NODE_VERSION.replace(/\./g, '\\.')}, win32/x64\\)\\n$`));
  }, 120000);

  test('the demo prints what the npm launcher prints on Linux, byte for byte', () => {
    const linux = spawnSync(process.execPath, [BIN, ...DEMO], { cwd: ROOT, env: { PATH: process.env.PATH, TZ: 'UTC' }, encoding: 'utf8' });
    expect(linux.status).toBe(0);
    const r = runExe(DEMO);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(linux.stdout);
    expect(r.stdout).toContain('podbee-wl9wt');
  }, 120000);
});
