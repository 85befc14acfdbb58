// Legacy (non-aggregated) discovery documents: enough for kubectl to map "pods", "events", "job" etc.
// client-go asks for aggregated discovery first and falls back to these when the answer is plain JSON.
import { RESOURCES, groupVersion, type ResourceDef } from './recordings.js';

const READ_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export function apiVersions(serverAddress: string): unknown {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

function groupsOf(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const d of RESOURCES) if (d.group && !groups.get(d.group)?.includes(d.version)) groups.set(d.group, [...(groups.get(d.group) ?? []), d.version]);
  return groups;
}

function apiGroup(name: string, versions: string[]): unknown {
  const vs = versions.map((version) => ({ groupVersion: `${name}/${version}`, version }));
  return { name, versions: vs, preferredVersion: vs[0] };
}

export function apiGroupList(): unknown {
  return { kind: 'APIGroupList', apiVersion: 'v1', groups: [...groupsOf()].map(([g, vs]) => apiGroup(g, vs)) };
}

export function apiGroupDoc(group: string): unknown | undefined {
  const vs = groupsOf().get(group);
  return vs ? { kind: 'APIGroup', apiVersion: 'v1', ...(apiGroup(group, vs) as object) } : undefined;
}

function resourceEntry(d: ResourceDef): Record<string, unknown> {
  const e: Record<string, unknown> = { name: d.resource, singularName: d.singular, namespaced: true, kind: d.kind, verbs: READ_VERBS };
  if (d.shortNames && !(d.group === 'events.k8s.io')) e.shortNames = d.shortNames;
  if (d.resource === 'pods' || d.group === 'apps' || d.group === 'batch') e.categories = ['all'];
  return e;
}

export function apiResourceList(group: string, version: string): unknown | undefined {
  const defs = RESOURCES.filter((d) => d.group === group && d.version === version);
  if (defs.length === 0) return undefined;
  const resources = defs.flatMap((d) =>
    d.resource === 'pods' ? [resourceEntry(d), { name: 'pods/log', singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] }] : [resourceEntry(d)],
  );
  return { kind: 'APIResourceList', ...(group ? { apiVersion: 'v1' } : {}), groupVersion: groupVersion(defs[0]), resources };
}
