// Recognition of sidecars run the pre-1.28 way (docs/lifecycle.md, Who is what). Heuristic by design:
// names, images and injection annotations, never authoritative, so the reason is always shown.
import type { Container, Pod } from './k8s.js';

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

export interface SidecarLook {
  product: string;
  reason: string;
}

/** Does this container look like a well-known sidecar? By image first (most specific), then name. */
export function looksLikeSidecar(c: Container, pod?: Pod): SidecarLook | null {
  const image = typeof c.image === 'string' ? c.image : '';
  const name = typeof c.name === 'string' ? c.name : '';
  const annotations = pod?.metadata?.annotations ?? {};
  for (const [key, ok, injected, product] of ANNOTATIONS) {
    const v = annotations[key];
    if (typeof v === 'string' && ok(v) && name === injected) {
      return { product, reason: `injected by ${product} (annotation ${key})` };
    }
  }
  for (const [re, product] of IMAGES) {
    if (image && re.test(image)) return { product, reason: `well-known sidecar image ${image}` };
  }
  if (name && Object.prototype.hasOwnProperty.call(NAMES, name)) {
    return { product: NAMES[name], reason: `well-known sidecar name ${name} (${NAMES[name]})` };
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

/** Product-specific way to get the injector to emit a native sidecar, when there is one. */
const NATIVE_SWITCH: Record<string, string> = {
  Istio: 'for Istio set the pod annotation sidecar.istio.io/nativeSidecar: "true" (Istio 1.24+; or ENABLE_NATIVE_SIDECARS=true on istiod since 1.19) so the injector does this itself',
  Linkerd: 'for Linkerd set the annotation config.alpha.linkerd.io/proxy-enable-native-sidecar: "true" (config.beta.linkerd.io/… in newer releases) so the injector does this itself',
  'Vault Agent': 'for a Job that only needs secrets at start, the Vault injector can skip the long-running agent with vault.hashicorp.com/agent-pre-populate-only: "true"',
};

/** One clause for the migration advice of a product, or null. */
export function nativeSidecarSwitch(product: string): string | null {
  return Object.prototype.hasOwnProperty.call(NATIVE_SWITCH, product) ? NATIVE_SWITCH[product] : null;
}
