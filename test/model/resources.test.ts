import { computeResources } from '../../src/model/resources.js';
import type { Pod } from '../../src/model/k8s.js';
import { snapshot } from './analysis-fixture.js';

const pod = (scenario: string, snap: string, i = 0): Pod => structuredClone(snapshot(scenario, snap).pods[i]);

/**
 * The worked example of docs/lifecycle.md (Resources), built on the recorded init-interleaved pod, whose
 * layout is exactly init, sidecar, init, sidecar, app (+ a second app). Edit: only the
 * `resources` of each container are replaced by the table's values; `worker` gets none.
 */
function workedExample(): Pod {
  const p = pod('init-interleaved', 'running');
  const set = (list: 'initContainers' | 'containers', name: string, cpu?: string, memory?: string) => {
    const c = p.spec![list]!.find((x) => x.name === name)!;
    c.resources = cpu ? { requests: { cpu, memory: memory! } } : {};
  };
  expect(p.spec!.initContainers!.map((c) => [c.name, c.restartPolicy ?? null])).toEqual([
    ['fetch-config', null], ['vault-agent', 'Always'], ['migrate', null], ['log-shipper', 'Always'],
  ]);
  set('initContainers', 'fetch-config', '500m', '64Mi');
  set('initContainers', 'vault-agent', '100m', '128Mi');
  set('initContainers', 'migrate', '600m', '256Mi');
  set('initContainers', 'log-shipper', '200m', '64Mi');
  set('containers', 'api', '250m', '512Mi');
  set('containers', 'worker');
  return p;
}

test('worked example of §4: 700m / 704Mi, naive sum 1650m / 1Gi', () => {
  const r = computeResources(workedExample());
  expect(r.requests).toEqual({ cpu: '700m', memory: '704Mi' });
  expect(r.naiveSumRequests).toEqual({ cpu: '1650m', memory: '1Gi' });
  expect(r.limits).toEqual({});
  expect(r.basis).toBe('containers');
  expect(r.notes).toBeUndefined();
});

test('unschedulable-requests: 2500m CPU with the sidecar (manifest: setup 1, proxy 1500m sidecar, app 1)', () => {
  const r = computeResources(pod('unschedulable-requests', 'pending'));
  // steady state app 1 + proxy 1.5 = 2.5 beats init setup 1 alone; memory 256Mi + 128Mi
  expect(r.requests).toEqual({ cpu: '2500m', memory: '384Mi' });
  expect(r.naiveSumRequests).toEqual({ cpu: '3500m', memory: '448Mi' });
});

test('deployment-mesh: istio-proxy 10m/16Mi + web 20m/32Mi', () => {
  const r = computeResources(pod('deployment-mesh', 'running'));
  expect(r.requests).toEqual({ cpu: '30m', memory: '48Mi' });
  expect(r.naiveSumRequests).toEqual({ cpu: '30m', memory: '48Mi' });
});

test('istio-native: istio-init has no requests; proxy 100m/128Mi + reviews 250m/256Mi', () => {
  const r = computeResources(pod('istio-native', 'running'));
  expect(r.requests).toEqual({ cpu: '350m', memory: '384Mi' });
});

test('overhead adds to requests and only to limits that exist', () => {
  const p = workedExample();
  // edit: a RuntimeClass overhead and a memory limit on the app only
  p.spec!.overhead = { cpu: '50m', memory: '32Mi' };
  p.spec!.containers![0].resources!.limits = { memory: '1Gi' };
  const r = computeResources(p);
  expect(r.requests).toEqual({ cpu: '750m', memory: '736Mi' });
  expect(r.limits).toEqual({ memory: '1056Mi' });
  expect(r.overhead).toEqual({ cpu: '50m', memory: '32Mi' });
});

test('pod-level resources replace the aggregate for cpu and memory only', () => {
  const p = workedExample();
  // edit: pod-level requests (PodLevelResources) plus an extended resource on the app
  p.spec!.resources = { requests: { cpu: '2', memory: '1Gi', 'example.com/dongle': '3' } };
  p.spec!.containers![0].resources!.requests!['example.com/dongle'] = '1';
  const r = computeResources(p);
  expect(r.requests).toEqual({ cpu: '2', memory: '1Gi', 'example.com/dongle': '1' });
  expect(r.basis).toBe('pod-level');
});

test('in-place resize: a container counts with max(spec, allocatedResources, status.resources)', () => {
  const p = pod('deployment-mesh', 'running');
  // edit: the kubelet reports web resized to 200m (allocated) while its spec still says 20m
  const st = p.status!.containerStatuses!.find((s) => s.name === 'web')!;
  st.allocatedResources = { cpu: '200m' };
  st.resources = { requests: { cpu: '200m', memory: '32Mi' } };
  expect(computeResources(p).requests).toEqual({ cpu: '210m', memory: '48Mi' });
});

test('malformed quantities are ignored with a note', () => {
  const p = pod('deployment-mesh', 'running');
  p.spec!.containers![0].resources!.requests!.cpu = 'two cores';
  const r = computeResources(p);
  // the spec value is dropped; web still counts with the 20m the kubelet reports as allocated
  expect(r.requests.cpu).toBe('30m');
  expect(r.notes).toEqual([{ field: 'containers[0] web requests', problem: 'malformedQuantity', name: 'cpu', value: '"two cores"' }]);
});
