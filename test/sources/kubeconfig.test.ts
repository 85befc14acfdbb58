// kubectl's kubeconfig rules (client-go loader), checked where client-node differs: first file
// wins, missing files skipped, duplicate names across files never throw (within one file they do,
// as client-go's conversion), current-context from the first file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, kubeconfigFiles, loadKubeconfig } from '../../src/sources/kubeconfig.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ks-kubeconfig-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

const fileA = `
apiVersion: v1
kind: Config
current-context: a
clusters:
- name: shared
  cluster: { server: "https://a.example:6443" }
- name: only-a
  cluster: { server: "https://only-a.example" }
users:
- name: shared-user
  user: { token: token-from-a }
contexts:
- name: a
  context: { cluster: shared, user: shared-user, namespace: ns-a }
- name: both
  context: { cluster: shared, user: shared-user, namespace: from-a }
`;

const fileB = `
current-context: b
clusters:
- name: shared
  cluster: { server: "https://b.example:6443" }
- name: only-b
  cluster: { server: "https://only-b.example/" }
users:
- name: shared-user
  user: { token: token-from-b }
- name: b-user
  user: { token: b-token }
contexts:
- name: b
  context: { cluster: only-b, user: b-user }
- name: both
  context: { cluster: only-b, user: b-user, namespace: from-b }
`;

async function bearer(cfg: ReturnType<typeof loadKubeconfig>): Promise<string | undefined> {
  const o: { headers?: Record<string, string> } = {};
  await cfg.kubeConfig.applyToHTTPSOptions(o as never);
  return o.headers?.Authorization;
}

describe('kubeconfig loading (kubectl rules)', () => {
  test('KUBECONFIG merge: the first file to set a value wins, current-context included', async () => {
    const a = write('a', fileA);
    const b = write('b', fileB);
    const cfg = loadKubeconfig({ env: { KUBECONFIG: `${a}:${b}` } });
    expect(cfg.contextName).toBe('a');
    expect(cfg.server).toBe('https://a.example:6443');
    expect(cfg.namespace).toBe('ns-a');
    expect(await bearer(cfg)).toBe('Bearer token-from-a');
    // The duplicate context "both" comes from a; "b" exists only in b and is usable.
    expect(loadKubeconfig({ env: { KUBECONFIG: `${a}:${b}` }, context: 'both' }).namespace).toBe('from-a');
    const ctxB = loadKubeconfig({ env: { KUBECONFIG: `${a}:${b}` }, context: 'b' });
    expect(ctxB.server).toBe('https://only-b.example'); // trailing slash dropped
    expect(await bearer(ctxB)).toBe('Bearer b-token');
    expect(ctxB.namespace).toBe('default');
    // Reversed order: b wins.
    const rev = loadKubeconfig({ env: { KUBECONFIG: `${b}:${a}` } });
    expect(rev.contextName).toBe('b');
    expect(loadKubeconfig({ env: { KUBECONFIG: `${b}:${a}` }, context: 'a' }).server).toBe('https://b.example:6443');
  });

  test('a name twice in one file is refused, as kubectl does (client-go api/v1 conversion); across files the first wins', () => {
    for (const field of ['clusters', 'users', 'contexts'] as const) {
      const one = field === 'clusters' ? '{ name: x, cluster: { server: "https://1" } }' : field === 'users' ? '{ name: x, user: { token: a } }' : '{ name: x, context: { cluster: c } }';
      const file = write(`dup-${field}`, `current-context: x\n${field}: [${one}, ${one}]\n`);
      expect(() => loadKubeconfig({ kubeconfig: file, env: {} })).toThrow(new ConfigError(`cannot load kubeconfig ${file}: duplicate name "x" in ${field} (kubectl refuses this file too)`));
    }
  });

  test('missing files in KUBECONFIG are skipped; empty entries and repeats ignored; Windows uses ;', () => {
    const b = write('b', fileB);
    const cfg = loadKubeconfig({ env: { KUBECONFIG: `${path.join(dir, 'nope')}::${b}:${b}` } });
    expect(cfg.contextName).toBe('b');
    expect(cfg.origin).toEqual([b]);
    expect(kubeconfigFiles({ env: { KUBECONFIG: 'C:\\a;C:\\b' } }, 'win32').files).toEqual(['C:\\a', 'C:\\b']);
  });

  test('--kubeconfig reads that one file only, and a missing one is an error', () => {
    const a = write('a', fileA);
    const b = write('b', fileB);
    expect(loadKubeconfig({ kubeconfig: b, env: { KUBECONFIG: a } }).contextName).toBe('b');
    expect(() => loadKubeconfig({ kubeconfig: path.join(dir, 'missing'), env: {} })).toThrow(ConfigError);
  });

  test('~/.kube/config from HOME (or USERPROFILE) when KUBECONFIG is unset', () => {
    write('home/.kube/config', fileB);
    expect(loadKubeconfig({ env: { HOME: path.join(dir, 'home') } }).contextName).toBe('b');
    expect(loadKubeconfig({ env: { USERPROFILE: path.join(dir, 'home') } }).contextName).toBe('b');
  });

  test('--context, --cluster, --user and -n override', async () => {
    const a = write('a', fileA);
    const b = write('b', fileB);
    const env = { KUBECONFIG: `${a}:${b}` };
    const cfg = loadKubeconfig({ env, context: 'a', cluster: 'only-a', user: 'b-user', namespace: 'mine' });
    expect(cfg.server).toBe('https://only-a.example');
    expect(cfg.userName).toBe('b-user');
    expect(await bearer(cfg)).toBe('Bearer b-token');
    expect(cfg.namespace).toBe('mine');
  });

  test('errors are one line that says what to do', () => {
    const a = write('a', fileA);
    const noCurrent = write('nc', fileA.replace('current-context: a', ''));
    const bad = write('bad', 'clusters: [\n');
    const env = { KUBECONFIG: a };
    const line = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).oneLine();
      }
      throw new Error('did not throw');
    };
    expect(line(() => loadKubeconfig({ env, context: 'x' }))).toBe('error: context "x" not found in kubeconfig (available: a, both)');
    expect(line(() => loadKubeconfig({ env, cluster: 'nope' }))).toBe('error: cluster "nope" not found in kubeconfig (available: shared, only-a)');
    expect(line(() => loadKubeconfig({ env, user: 'nobody' }))).toBe('error: user "nobody" not found in kubeconfig (available: shared-user)');
    expect(line(() => loadKubeconfig({ env: { KUBECONFIG: noCurrent } }))).toBe('error: current-context is not set: use --context or kubectl config use-context');
    expect(line(() => loadKubeconfig({ env: { KUBECONFIG: bad } }))).toMatch(new RegExp(`^error: cannot parse kubeconfig ${bad}: .+`));
    expect(line(() => loadKubeconfig({ env: { HOME: path.join(dir, 'empty-home') } }, { serviceAccountDir: path.join(dir, 'no-sa') }))).toBe(
      'error: no kubeconfig found: set KUBECONFIG, use --kubeconfig, or create ~/.kube/config',
    );
  });

  test('relative paths resolve against the file that names them; token-file is read', async () => {
    write('sub/ca.crt', 'x');
    write('sub/token', 'file-token\n');
    const k = write(
      'sub/config',
      `current-context: c
clusters: [{ name: c, cluster: { server: "https://c", certificate-authority: ca.crt } }]
users: [{ name: u, user: { token-file: token } }]
contexts: [{ name: c, context: { cluster: c, user: u } }]`,
    );
    const cfg = loadKubeconfig({ kubeconfig: k, env: {} });
    expect(cfg.kubeConfig.getCurrentCluster()?.caFile).toBe(path.join(dir, 'sub', 'ca.crt'));
    expect(await bearer(cfg)).toBe('Bearer file-token');
  });

  test('in-cluster: service account token, CA and namespace when no kubeconfig exists', async () => {
    const sa = path.join(dir, 'sa');
    write('sa/token', 'sa-token');
    write('sa/ca.crt', 'ca');
    write('sa/namespace', 'kube-tools');
    const env = { HOME: path.join(dir, 'nohome'), KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443' };
    const cfg = loadKubeconfig({ env }, { serviceAccountDir: sa });
    expect(cfg.origin).toBe('in-cluster');
    expect(cfg.server).toBe('https://10.0.0.1:443');
    expect(cfg.namespace).toBe('kube-tools');
    expect(loadKubeconfig({ env, namespace: 'x' }, { serviceAccountDir: sa }).namespace).toBe('x');
    const o: { headers?: Record<string, string>; ca?: Buffer } = {};
    await cfg.kubeConfig.applyToHTTPSOptions(o as never);
    expect(o.headers?.Authorization).toBe('Bearer sa-token');
    expect(o.ca?.toString()).toBe('ca');
  });
});
