import { isKnownInitStep, looksLikeSidecar } from '../../src/model/legacy.js';
import { nativeSidecarSwitch } from '../../src/render/words/legacy.js';
import { analysisFrom } from './analysis-fixture.js';

test('istio-native: istio-init shares the proxyv2 image but is a known init step, not a lost sidecar', () => {
  const a = analysisFrom('istio-native', 'running');
  const init = a.classified.find((c) => c.name === 'istio-init')!;
  expect(init.kind).toBe('init');
  expect(looksLikeSidecar(init.spec, a.pod)?.product).toBe('Istio');
  expect(isKnownInitStep(init.name)).toBe(true);
  expect(isKnownInitStep('vault-agent')).toBe(false);
});

test('job-legacy-sidecar: istio-proxy is recognised by name and gets the Istio native switch', () => {
  const a = analysisFrom('job-legacy-sidecar', 'stuck');
  const proxy = a.classified.find((c) => c.name === 'istio-proxy')!;
  const look = looksLikeSidecar(proxy.spec, a.pod)!;
  expect(look).toEqual({ product: 'Istio', by: 'name', match: 'istio-proxy' });
  expect(nativeSidecarSwitch(look.product)).toMatch(/sidecar\.istio\.io\/nativeSidecar: "true"/);
  expect(nativeSidecarSwitch('Promtail')).toBeNull();
  expect(nativeSidecarSwitch('toString')).toBeNull();
});
