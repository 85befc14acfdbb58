// Fixture BUILDER: writes a recording snapshot (test/fixtures/recordings/<scenario>/snapshots/<name>)
// out as the support bundles other tools make, so `-f` is tested on their layouts without
// hand-copied trees. Each layout follows its tool's source:
//  - must-gather / `oc adm inspect` (openshift/oc pkg/cli/admin/inspect/pod.go, namespace.go):
//    namespaces/NS/core/{pods,events}.yaml, namespaces/NS/pods/POD/POD.yaml and the logs read with
//    Timestamps: true at namespaces/NS/pods/POD/C/C/logs/{current,previous}.log;
//  - troubleshoot.sh (replicatedhq/troubleshoot pkg/collect/cluster_resources.go, logs.go):
//    cluster-resources/pods/NS.json and events/NS.json (json.MarshalIndent of .Items, 2 spaces),
//    logs without timestamps at cluster-resources/pods/logs/NS/POD/C.log and C-previous.log, a
//    symlink COLLECTOR/POD/C.log to each, cluster-info/cluster_version.json; packed as .tar.gz;
//  - `kubectl cluster-info dump` (kubectl pkg/cmd/clusterinfo/clusterinfo_dump.go): lists printed
//    as JSON with 4-space indent; logs without timestamps, init containers then containers, each
//    between "==== START/END logs for container C of pod NS/POD ====", a failed read as
//    "Request log error: MESSAGE"; to NS/POD/logs.txt with --output-directory, else all on stdout.
// Logs come from the snapshot's logs/POD.C[.previous].log (read with timestamps=true); the
// untimestamped form is the same lines without their RFC 3339 prefix, as the kubelet sends them.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dump as yaml } from 'js-yaml';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export type Layout = 'must-gather' | 'troubleshoot-dir' | 'troubleshoot-tgz' | 'dump-dir' | 'dump-stdout';

export interface Snapshot {
  namespace: string;
  pods: Obj[];
  events: Obj[];
  version: Obj | null;
  /** pod → container → {current, previous}: the log body, or a Status/kubelet error message. */
  logs: Map<string, Map<string, { current?: LogFile; previous?: LogFile }>>;
  /** Other lists of the snapshot (deployments.json, replicasets.json…), as the dump also prints. */
  others: Record<string, Obj>;
}

export type LogFile = { body: string } | { error: string };

const readJson = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8')) as Obj;

export function readSnapshot(dir: string): Snapshot {
  const pods = readJson(path.join(dir, 'pods.json')).items as Obj[];
  const events = readJson(path.join(dir, 'events.json')).items as Obj[];
  const versionFile = path.join(dir, '..', '..', 'version.json');
  const logs: Snapshot['logs'] = new Map();
  const logDir = path.join(dir, 'logs');
  for (const f of fs.existsSync(logDir) ? fs.readdirSync(logDir).sort() : []) {
    // POD.CONTAINER[.previous].log: container names have no dots, pod names may.
    const previous = f.endsWith('.previous.log');
    const m = /^(.+)\.([a-z0-9-]+)\.log$/.exec(previous ? f.slice(0, -'.previous.log'.length) + '.log' : f);
    if (!m) continue;
    const body = fs.readFileSync(path.join(logDir, f), 'utf8');
    let file: LogFile = { body };
    if (body.trimStart().startsWith('{')) file = { error: (JSON.parse(body) as Obj).message as string };
    else if (/^unable to retrieve container logs/.test(body)) file = { error: body.trim() };
    const byC = logs.get(m[1]) ?? new Map();
    logs.set(m[1], byC);
    byC.set(m[2], { ...byC.get(m[2]), [previous ? 'previous' : 'current']: file });
  }
  const others: Record<string, Obj> = {};
  for (const k of ['deployments', 'replicasets', 'daemonsets', 'statefulsets', 'jobs']) {
    const p = path.join(dir, `${k}.json`);
    if (fs.existsSync(p)) others[k] = readJson(p);
  }
  return {
    namespace: (pods[0]?.metadata?.namespace as string) ?? 'default',
    pods,
    events,
    version: fs.existsSync(versionFile) ? readJson(versionFile) : null,
    logs,
    others,
  };
}

/** The log as a tool that does not ask for timestamps stores it: each line without its time. */
export function withoutTimestamps(body: string): string {
  return body.replace(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d) ?/gm, '');
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

const containersOf = (pod: Obj): string[] => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].map((c: Obj) => c.name as string);

function mustGather(s: Snapshot, out: string): string {
  // oc adm must-gather: <dest>/<image-dir>/namespaces/...; oc adm inspect: <dest>/namespaces/...
  const root = path.join(out, 'must-gather.local.5550123', 'quay-io-openshift-release-dev-ocp-v4-0-art-dev-sha256-0f2a');
  const ns = path.join(root, 'namespaces', s.namespace);
  write(path.join(root, 'timestamp'), 'start 2026-11-21 22:58:00\n');
  write(path.join(ns, `${s.namespace}.yaml`), yaml({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: s.namespace } }));
  write(path.join(ns, 'core', 'pods.yaml'), yaml({ apiVersion: 'v1', kind: 'PodList', items: s.pods.map((p) => ({ apiVersion: 'v1', kind: 'Pod', ...p })) }));
  write(path.join(ns, 'core', 'events.yaml'), yaml({ apiVersion: 'v1', kind: 'EventList', items: s.events.map((e) => ({ apiVersion: 'v1', kind: 'Event', ...e })) }));
  write(path.join(ns, 'core', 'configmaps.yaml'), yaml({ apiVersion: 'v1', kind: 'ConfigMapList', items: [] }));
  for (const pod of s.pods) {
    const name = pod.metadata.name as string;
    write(path.join(ns, 'pods', name, `${name}.yaml`), yaml({ apiVersion: 'v1', kind: 'Pod', ...pod }));
    for (const [c, l] of s.logs.get(name) ?? []) {
      for (const which of ['current', 'previous'] as const) {
        const f = l[which];
        if (f && 'body' in f) write(path.join(ns, 'pods', name, c, c, 'logs', `${which}.log`), f.body); // timestamps: true
      }
    }
  }
  return path.join(out, 'must-gather.local.5550123');
}

function troubleshoot(s: Snapshot, out: string, timestamps: boolean): string {
  const root = path.join(out, 'support-bundle-2026-11-21T22_58_05');
  const json2 = (v: unknown) => JSON.stringify(v, null, 2);
  write(path.join(root, 'version.yaml'), 'apiVersion: troubleshoot.sh/v1beta2\nkind: SupportBundle\nspec:\n  versionNumber: 0.107.0\n');
  if (s.version) write(path.join(root, 'cluster-info', 'cluster_version.json'), json2({ info: s.version, string: s.version.gitVersion }));
  write(path.join(root, 'cluster-resources', 'pods', `${s.namespace}.json`), json2(s.pods));
  write(path.join(root, 'cluster-resources', 'events', `${s.namespace}.json`), json2(s.events));
  write(path.join(root, 'cluster-resources', 'namespaces.json'), json2([{ metadata: { name: s.namespace } }]));
  for (const pod of s.pods) {
    const name = pod.metadata.name as string;
    for (const [c, l] of s.logs.get(name) ?? []) {
      for (const [which, suffix] of [['current', ''], ['previous', '-previous']] as const) {
        const f = l[which];
        if (!f || !('body' in f)) continue; // a failed read leaves no file
        const rel = path.join('cluster-resources', 'pods', 'logs', s.namespace, name, `${c}${suffix}.log`);
        write(path.join(root, rel), timestamps ? f.body : withoutTimestamps(f.body));
        const link = path.join(root, 'podlogs', name, `${c}${suffix}.log`);
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(path.relative(path.dirname(link), path.join(root, rel)), link);
      }
    }
  }
  return root;
}

/** `kubectl cluster-info dump`: the documents and the log sections, in the order dump.go writes them. */
function dumpParts(s: Snapshot, timestamps: boolean): { file: string; text: string }[] {
  const list = (kind: string, items: Obj[]) => JSON.stringify({ kind, apiVersion: 'v1', metadata: { resourceVersion: '1' }, items }, null, 4) + '\n';
  const ns = s.namespace;
  const parts = [
    { file: 'nodes.json', text: list('NodeList', []) },
    { file: `${ns}/events.json`, text: list('EventList', s.events) },
    { file: `${ns}/replication-controllers.json`, text: list('ReplicationControllerList', []) },
    { file: `${ns}/services.json`, text: list('ServiceList', []) },
    { file: `${ns}/daemonsets.json`, text: JSON.stringify({ kind: 'DaemonSetList', apiVersion: 'apps/v1', ...s.others.daemonsets }, null, 4) + '\n' },
    { file: `${ns}/deployments.json`, text: JSON.stringify({ kind: 'DeploymentList', apiVersion: 'apps/v1', ...s.others.deployments }, null, 4) + '\n' },
    { file: `${ns}/replicasets.json`, text: JSON.stringify({ kind: 'ReplicaSetList', apiVersion: 'apps/v1', ...s.others.replicasets }, null, 4) + '\n' },
    { file: `${ns}/pods.json`, text: list('PodList', s.pods) },
  ];
  for (const pod of s.pods) {
    const name = pod.metadata.name as string;
    let text = '';
    for (const c of containersOf(pod)) {
      text += `==== START logs for container ${c} of pod ${ns}/${name} ====\n`;
      const f = s.logs.get(name)?.get(c)?.current;
      if (f && 'body' in f) text += timestamps ? f.body : withoutTimestamps(f.body);
      else text += `Request log error: ${f?.error ?? `container "${c}" in pod "${name}" is waiting to start: PodInitializing`}\n`;
      text += `==== END logs for container ${c} of pod ${ns}/${name} ====\n`;
    }
    parts.push({ file: `${ns}/${name}/logs.txt`, text });
  }
  return parts;
}

export interface BuildOptions {
  /** Logs as troubleshoot and cluster-info dump store them by default (false), or with times. */
  timestamps?: boolean;
}

/** Writes the snapshot as `layout` under `out`; returns what to give to -f. */
export function buildBundle(snapshotDir: string, layout: Layout, out: string, opts: BuildOptions = {}): string {
  const s = readSnapshot(snapshotDir);
  const ts = opts.timestamps ?? false;
  switch (layout) {
    case 'must-gather':
      return mustGather(s, out);
    case 'troubleshoot-dir':
      return troubleshoot(s, out, ts);
    case 'troubleshoot-tgz': {
      const root = troubleshoot(s, path.join(out, 'staging'), ts);
      const archive = path.join(out, `${path.basename(root)}.tar.gz`);
      // GNU tar (an implementation other than ours), as troubleshoot's archive: a folder with symlinks.
      const r = spawnSync('tar', ['-czf', archive, '-C', path.dirname(root), path.basename(root)], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`tar failed: ${r.stderr || r.error}`);
      fs.rmSync(path.join(out, 'staging'), { recursive: true, force: true });
      return archive;
    }
    case 'dump-dir': {
      const dir = path.join(out, 'cluster-state');
      for (const p of dumpParts(s, ts)) write(path.join(dir, p.file), p.text);
      return dir;
    }
    case 'dump-stdout': {
      const file = path.join(out, 'cluster-info-dump.txt');
      write(file, dumpParts(s, ts).map((p) => p.text).join(''));
      return file;
    }
  }
}
