// Recognition of sidecars run the pre-1.28 way (docs/lifecycle.md, Who is what). Heuristic by design:
// names, images and injection annotations, never authoritative, so what matched is always shown
// (render/words/legacy.ts words it).
import type { Container, Pod } from './k8s.js';
import type { LegacySidecarFacts } from './types.js';

/** Well-known sidecar container names → product. */
const NAMES: Record<string, string> = {
  'istio-proxy': 'Istio',
  'linkerd-proxy': 'Linkerd',
  'vault-agent': 'Vault Agent',
  'cloud-sql-proxy': 'Cloud SQL Auth Proxy',
  'cloudsql-proxy': 'Cloud SQL Auth Proxy',
  envoy: 'Envoy',
  'xray-daemon': 'AWS X-Ray',
  'consul-dataplane': 'Consul',
  'kuma-sidecar': 'Kuma',
  daprd: 'Dapr',
  'queue-proxy': 'Knative',
  'otc-container': 'OpenTelemetry Collector',
  'fluent-bit': 'Fluent Bit',
  fluentbit: 'Fluent Bit',
  fluentd: 'Fluentd',
  filebeat: 'Filebeat',
  promtail: 'Promtail',
  'gke-gcsfuse-sidecar': 'GCS FUSE',
};

/** Image repository patterns (after the registry) → product. */
const IMAGES: [RegExp, string][] = [
  [/(^|\/)istio\/proxyv2(:|@|$)/, 'Istio'],
  [/(^|\/)proxyv2(:|@|$)/, 'Istio'],
  [/(^|\/)linkerd\/proxy(:|@|$)/, 'Linkerd'],
  [/(^|\/)(hashicorp\/)?vault(-k8s)?(:|@|$)/, 'Vault Agent'],
  [/(^|\/)cloud-sql-(connectors\/cloud-sql-)?proxy(:|@|$)/, 'Cloud SQL Auth Proxy'],
  [/(^|\/)cloudsql-docker\/gce-proxy(:|@|$)/, 'Cloud SQL Auth Proxy'],
  [/(^|\/)envoyproxy\/envoy[\w-]*(:|@|$)/, 'Envoy'],
  [/(^|\/)aws-appmesh-envoy(:|@|$)/, 'Envoy'],
  [/(^|\/)xray\/aws-xray-daemon(:|@|$)/, 'AWS X-Ray'],
  [/(^|\/)consul-dataplane(:|@|$)/, 'Consul'],
  [/(^|\/)kuma-dp(:|@|$)/, 'Kuma'],
  [/(^|\/)daprd?(:|@|$)/, 'Dapr'],
  [/(^|\/)knative[\w./-]*queue(:|@|$)/, 'Knative'],
  [/(^|\/)fluent\/fluent-bit(:|@|$)/, 'Fluent Bit'],
  [/(^|\/)fluent-bit(:|@|$)/, 'Fluent Bit'],
  [/(^|\/)fluentd[\w-]*(:|@|$)/, 'Fluentd'],
  [/(^|\/)beats\/filebeat(:|@|$)/, 'Filebeat'],
  [/(^|\/)grafana\/promtail(:|@|$)/, 'Promtail'],
  [/(^|\/)opentelemetry-collector[\w-]*(:|@|$)/, 'OpenTelemetry Collector'],
];

/** Injection annotations → (container name they inject, product). */
const ANNOTATIONS: [string, (v: string) => boolean, string, string][] = [
  ['sidecar.istio.io/status', () => true, 'istio-proxy', 'Istio'],
  ['linkerd.io/proxy-version', () => true, 'linkerd-proxy', 'Linkerd'],
  ['vault.hashicorp.com/agent-inject-status', (v) => v === 'injected', 'vault-agent', 'Vault Agent'],
];

/** Index in IMAGES of the first pattern an image matches, else -1; the few images of a cluster are tried once. */
const imageHits = new Map<string, number>();
function imageMatch(image: string): number {
  let hit = imageHits.get(image);
  if (hit !== undefined) return hit;
  hit = IMAGES.findIndex(([re]) => re.test(image));
  // `watch` classifies every pod on every update: 19 patterns per app container and update
  if (image.length <= 512) {
    if (imageHits.size >= 1024) imageHits.clear();
    imageHits.set(image, hit);
  }
  return hit;
}

/** Does this container look like a well-known sidecar? By injection annotation, image (most specific), then name. */
export function looksLikeSidecar(c: Container, pod?: Pod): LegacySidecarFacts | null {
  const image = typeof c.image === 'string' ? c.image : '';
  const name = typeof c.name === 'string' ? c.name : '';
  const annotations = pod?.metadata?.annotations ?? {};
  for (const [key, ok, injected, product] of ANNOTATIONS) {
    const v = annotations[key];
    if (typeof v === 'string' && ok(v) && name === injected) {
      return { product, by: 'annotation', match: key };
    }
  }
  const hit = image ? imageMatch(image) : -1;
  if (hit >= 0) return { product: IMAGES[hit][1], by: 'image', match: image };
  if (name && Object.prototype.hasOwnProperty.call(NAMES, name)) {
    return { product: NAMES[name], by: 'name', match: name };
  }
  return null;
}

/**
 * Init containers that injectors add as real, exiting init steps (they share the product's image,
 * e.g. istio-init runs proxyv2): not a sidecar that lost its restartPolicy.
 */
const INIT_STEPS = new Set(['istio-init', 'istio-validation', 'linkerd-init', 'linkerd-network-validator', 'vault-agent-init', 'kuma-init', 'consul-connect-inject-init']);

export function isKnownInitStep(name: string | undefined): boolean {
  return typeof name === 'string' && INIT_STEPS.has(name);
}
