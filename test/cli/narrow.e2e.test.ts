// Narrow terminals, in a real pseudo-terminal (util-linux `script`) at 80 and 120 columns: -o wide
// breaks image references only after '/', ':' or '@' (a host, a repository, a tag stays whole), and
// a digest is whole or shortened to `sha256:` and 12 hex digits and '…' (whole in -o json).
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { BIN, ROOT, run } from './run.js';

const RECORDINGS = join(ROOT, 'test', 'fixtures', 'recordings');
const SCENARIOS = readdirSync(RECORDINGS).filter((d) => existsSync(join(RECORDINGS, d, 'snapshots')));
const NOW = '2026-11-21T23:10:00Z';

let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: SCENARIOS });
});
afterAll(() => srv.close());

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The command's stdout on a terminal of `cols` columns (script's pty; stty sets its size). */
function onTerminal(cols: number, args: string[]): Promise<string> {
  const cmd = `stty cols ${cols} rows 50; ${[process.execPath, BIN, ...args].map(quote).join(' ')}`;
  return new Promise((resolve, reject) => {
    execFile('script', ['-q', '-e', '-c', cmd, '/dev/null'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent', TZ: 'UTC', TERM: 'xterm' }, maxBuffer: 64 * 1024 * 1024, timeout: 60000 },
      (e, out) => (e ? reject(e) : resolve(out.replace(/\r\n/g, '\n'))));
  });
}

interface Json { items: { containers: { image?: string; statusImage?: string; imageID?: string }[] }[] }

describe.each([80, 120])('%i columns', (cols) => {
  test('every recording, -A -o wide: references break only after / : @, digests whole or shortened', async () => {
    const args = ['describe', '-A', '-o', 'wide', '--details', 'all', '--kubeconfig', srv.kubeconfigPath, '--now', NOW, '--color', 'never'];
    const json = JSON.parse((await run([...args.filter((a) => a !== 'wide' && a !== '-o'), '-o', 'json'])).stdout) as Json;
    const refs = new Set(json.items.flatMap((p) => p.containers.flatMap((c) => [c.image, c.statusImage, c.imageID])).filter((x): x is string => !!x));
    expect([...refs].some((r) => /sha256:[0-9a-f]{64}/.test(r))).toBe(true); // whole in JSON
    const out = await onTerminal(cols, args);
    expect(out.split('\n').filter((l) => [...l].length > cols)).toEqual([]);
    const words = out.split(/\s+/);
    let seen = 0;
    for (const ref of refs) {
      const short = ref.replace(/(sha256:[0-9a-f]{12})[0-9a-f]{52}/, '$1…');
      // a word that starts this reference is all of it, or ends where it may break
      for (const w of words.filter((x) => x.length > 3 && (ref.startsWith(x) || short.startsWith(x)))) {
        seen++;
        expect({ ref, w, ok: w === ref || w === short || /[/:@]$/.test(w) }).toEqual({ ref, w, ok: true });
      }
    }
    expect(seen).toBeGreaterThan(10);
    // a digest is never cut: sha256: is followed by 64 hex digits, or by 12 and '…'
    for (const m of out.matchAll(/sha256:(\S*)/g)) expect(m[1]).toMatch(/^([0-9a-f]{64}|[0-9a-f]{12}…)$/);
  }, 60000);
});

test('80 columns: the fluent-bit image and its digest (app-crashloop)', async () => {
  const out = await onTerminal(80, ['describe', '-n', 'rec-app-crashloop', '-o', 'wide', '--kubeconfig', srv.kubeconfigPath, '--now', NOW, '--color', 'never']);
  expect(out).toMatch(/^ {4}S0 +log-shipper +cr\.fluentbit\.io\/fluent\/ +sha256:f9d7565ee81c…\n {24}fluent-bit:3\.1\.4\n/m);
});
