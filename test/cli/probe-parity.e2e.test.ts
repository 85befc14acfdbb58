// A probe blocker shows the probe as `kubectl describe pod` prints it (Liveness/Readiness/Startup
// lines: type, host:port and path, delay, timeout, period, thresholds), checked against real kubectl
// describing the same recorded pods on the test API server. Exec probes name their program only.
import { execFile } from 'node:child_process';
import { startApiServer, type RunningApiServer } from '../apiserver/server.js';
import { ROOT, run } from './run.js';

const SNAPSHOTS = { 'sidecar-readiness-fail': 'not-ready', 'sidecar-liveness-fail': 'restarting', 'sidecar-startup-slow': 'waiting-for-sidecar' };
let srv: RunningApiServer;
beforeAll(async () => {
  srv = await startApiServer({ scenarios: Object.keys(SNAPSHOTS), snapshot: SNAPSHOTS });
});
afterAll(() => srv.close());

const kubectl = (...args: string[]) => new Promise<string>((resolve, reject) => {
  execFile('kubectl', ['--kubeconfig', srv.kubeconfigPath, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 30000, env: { PATH: process.env.PATH ?? '', HOME: '/nonexistent' } },
    (e, stdout) => (e ? reject(e) : resolve(stdout)));
});

// scenario, probe kubectl prints for the blocked container, the blocker that must quote it
const CASES: [string, 'Readiness' | 'Liveness' | 'Startup', string][] = [
  ['sidecar-readiness-fail', 'Readiness', 'SidecarNotReady'],
  ['sidecar-liveness-fail', 'Liveness', 'ContainerUnhealthy'],
  ['sidecar-startup-slow', 'Startup', 'SidecarNotStarted'],
];

test.each(CASES)('%s: the %s probe in kubectl describe\'s words', async (scenario, kind, code) => {
  const ns = `rec-${scenario}`;
  const ours = JSON.parse((await run(['describe', '-n', ns, '--kubeconfig', srv.kubeconfigPath, '-o', 'json', '--now', '2026-11-30T00:00:00Z'])).stdout);
  const pod = ours.items.find((p: any) => p.blockers.some((b: any) => b.code === code));
  expect(pod).toBeDefined();
  const blocker = pod.blockers.find((b: any) => b.code === code);
  const described = await kubectl('describe', 'pod', pod.pod.name, '-n', ns);
  // kubectl describe: "    Readiness:  http-get http://:8080/ready delay=0s timeout=1s period=2s #success=1 #failure=1"
  const section = described.split(/\n(?=  \S)/).find((s) => new RegExp(`^  ${blocker.container}:`, 'm').test(s)) ?? '';
  const line = new RegExp(`^\\s+${kind}:\\s+(.+)$`, 'm').exec(section)?.[1];
  expect(line).toBeDefined();
  // an exec probe: its program only, never the command line (kubectl prints the whole argv)
  const want = line!.trim().replace(/^exec \[(\S+)( [^\]]*)?\]/, (_, prog: string, rest?: string) => `exec [${prog.split('/').pop()}${rest ? ' (arguments not shown)' : ''}]`);
  expect(blocker.message).toContain(want);
  const argv = /^exec \[([^\]]*)\]/.exec(line!.trim())?.[1];
  if (argv?.includes(' ')) expect(blocker.message).not.toContain(argv);
});
