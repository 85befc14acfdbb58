import { readFileSync } from 'node:fs';
import { classifyContainers } from '../../src/model/classify.js';
import { normalizeEvents } from '../../src/model/events.js';
import type { Pod } from '../../src/model/k8s.js';

const fixture = (p: string) => JSON.parse(readFileSync(new URL(`../fixtures/recordings/${p}`, import.meta.url), 'utf8'));

test('ordering: init, two sidecars, app in lifecycle order', () => {
  const pod: Pod = fixture('ordering/snapshots/running/pods.json').items[0];
  expect(classifyContainers(pod).map((c) => [c.name, c.kind, c.index])).toEqual([
    ['init-config', 'init', 0], ['first-sidecar', 'sidecar', 1], ['second-sidecar', 'sidecar', 2], ['app', 'app', 0],
  ]);
});

test('job-legacy-sidecar: istio-proxy as a plain container is a legacy sidecar', () => {
  const pod: Pod = fixture('job-legacy-sidecar/snapshots/stuck/pods.json').items[0];
  const proxy = classifyContainers(pod).find((c) => c.name === 'istio-proxy');
  expect(proxy?.kind).toBe('app');
  expect(proxy?.legacySidecar).toEqual({ product: 'Istio', by: 'name', match: 'istio-proxy' });
});

test('events from both APIs are deduplicated by uid', () => {
  const core = fixture('ordering/snapshots/running/events.json').items;
  const v1 = fixture('ordering/snapshots/running/events.k8s.io.json').items;
  const merged = normalizeEvents([...core, ...v1]);
  expect(merged.length).toBe(core.length);
  expect(merged.find((e) => e.reason === 'Started' && e.container === 'first-sidecar')?.containerList).toBe('initContainers');
});
