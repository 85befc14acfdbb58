// Safety: the plugin only ever reads (the server sees GETs only, across describe and watch on every
// recording); it never prints environment values, secret data, tokens or command lines, in any
// output format, from the cluster or from files; the install is reproducible and runs no scripts.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT } from '../cli/run.js';
import { run } from './helpers.js';
import { loadSnapshot } from '../model/evidence.js';
import { readdirSync, existsSync } from 'node:fs';

const RECORDINGS = join(ROOT, 'test', 'fixtures', 'recordings');
const SCENARIOS = readdirSync(RECORDINGS).filter((d) => existsSync(join(RECORDINGS, d, 'snapshots')));

test('the server sees only GET requests across describe (every recording, logs on) and watch', async () => {
  const srv = await startApiServer({ scenarios: SCENARIOS });
  try {
    for (const o of ['json', 'yaml', 'text', 'wide']) {
      const r = await run(['describe', '-A', '--kubeconfig', srv.kubeconfigPath, '-o', o, '--logs']);
      expect(r.code).toBe(0);
    }
    for (const s of SCENARIOS) {
      const r = await run(['describe', '-n', `rec-${s}`, '--kubeconfig', srv.kubeconfigPath, '-o', 'json']);
      expect(r.code).toBe(0);
    }
    const w = await run(['watch', '-A', '--kubeconfig', srv.kubeconfigPath, '--timeout', '1s', '-o', 'json']);
    expect(w.code).toBe(0);
    expect(srv.requests.length).toBeGreaterThan(100);
    expect(srv.requests.filter((q) => q.path.endsWith('/log')).length).toBeGreaterThan(20);
    expect(srv.requests.some((q) => q.query.watch === 'true')).toBe(true);
    expect([...new Set(srv.requests.map((q) => q.method))]).toEqual(['GET']);
  } finally {
    await srv.close();
  }
}, 60000);

describe('secrets never printed', () => {
  // A recorded pod (ordering/running) with, added for this test: env values (literal and from a
  // Secret), a --password= argument, a token in the shell command, and the same in the
  // last-applied-configuration annotation, as `kubectl apply` would have left it.
  const SECRETS = ['hunter2', 's3cr3t-t0ken', 'literal-env-value', 'QUJDREVGRw==', 'db-password-key'];
  function secretPod(): any {
    const ev = loadSnapshot('ordering', 'running')[0];
    const pod = structuredClone(ev.pod) as any;
    const app = pod.spec.containers[0];
    app.args = ['--password=hunter2', '--token', 's3cr3t-t0ken'];
    app.command = ['sh', '-c', 'API_TOKEN=s3cr3t-t0ken exec ./server --password=hunter2'];
    app.env = [
      { name: 'LITERAL', value: 'literal-env-value' },
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-secret', key: 'db-password-key' } } },
      { name: 'B64', value: 'QUJDREVGRw==' },
    ];
    pod.spec.initContainers[1].env = [{ name: 'SIDECAR_TOKEN', value: 's3cr3t-t0ken' }];
    pod.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify({ spec: { containers: [app] } }) };
    return { pod, events: ev.events };
  }
  const formats = ['text', 'wide', 'json', 'yaml'];
  const leaks = (out: string) => SECRETS.filter((s) => out.includes(s));

  test.each(formats)('-f (stdin), -o %s', async (o) => {
    const { pod, events } = secretPod();
    const input = JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [{ apiVersion: 'v1', kind: 'Pod', ...pod }, ...events.map((e: object) => ({ apiVersion: 'v1', kind: 'Event', ...e }))] });
    expect(leaks(input)).toEqual(SECRETS); // the input does hold them
    const r = await run(['describe', '-f', '-', '-o', o, '--now', '2026-11-21T22:56:40Z'], { input });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('first-sidecar');
    expect(leaks(r.stdout + r.stderr)).toEqual([]);
  });

  test('from the API server (token auth), every format, and the watch lines', async () => {
    const { pod } = secretPod();
    pod.metadata.name = 'secretive';
    pod.metadata.uid = 'secretive-uid';
    let srv: RunningApiServer | undefined;
    try {
      srv = await startApiServer({ scenarios: ['ordering'], snapshot: 'running', auth: { token: 's3cr3t-t0ken' }, extra: { pods: [pod] } });
      for (const o of formats) {
        const r = await run(['describe', 'secretive', '--kubeconfig', srv.kubeconfigPath, '-o', o, '--v=6']);
        expect(r.code).toBe(0);
        expect(leaks(r.stdout + r.stderr)).toEqual([]);
      }
      const w = await run(['watch', 'secretive', '--kubeconfig', srv.kubeconfigPath, '--timeout', '1s', '-o', 'json']);
      expect(w.stdout).toContain('secretive');
      expect(leaks(w.stdout + w.stderr)).toEqual([]);
      // an error with --v=6 (stack trace) does not show the token either
      const e = await run(['describe', 'nope', '--kubeconfig', srv.kubeconfigPath, '--v=6']);
      expect(e.code).toBe(1);
      expect(leaks(e.stderr)).toEqual([]);
    } finally {
      await srv?.close();
    }
  });
});

describe('supply chain', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'));

  test('the lockfile is committed and pins exactly what package.json asks for', () => {
    expect(execFileSync('git', ['ls-files', 'package-lock.json'], { cwd: ROOT }).toString().trim()).toBe('package-lock.json');
    const root = lock.packages[''];
    // dist/ is bundled (scripts/build.mjs): the npm package needs nothing at run time
    expect(pkg.dependencies).toBeUndefined();
    expect(root.dependencies).toBeUndefined();
    expect(root.devDependencies).toEqual(pkg.devDependencies);
    // every dependency pinned to one version (no ranges that drift between installs)
    for (const v of Object.values<string>(pkg.devDependencies)) expect(v).toMatch(/^\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?$/);
    for (const [name, v] of Object.entries<string>(pkg.devDependencies)) expect(lock.packages[`node_modules/${name}`].version).toBe(v);
  });

  test('no install scripts: ours, any runtime dependency, or a dev dependency npm has not been told about', () => {
    for (const s of ['preinstall', 'install', 'postinstall', 'prepare']) expect(pkg.scripts?.[s]).toBeUndefined();
    const withScripts = Object.entries<any>(lock.packages).filter(([k, v]) => k !== '' && v.hasInstallScript);
    expect(withScripts.filter(([, v]) => !v.dev).map(([k]) => k)).toEqual([]);
    // npm (11) blocks and warns about a dependency's install script not named in allowScripts;
    // each one is decided there (docs/development.md, "Install scripts")
    const undecided = withScripts.map(([k]) => k.replace(/^.*node_modules\//, '')).filter((name) => typeof pkg.allowScripts?.[name] !== 'boolean');
    expect(undecided).toEqual([]);
  });
});
