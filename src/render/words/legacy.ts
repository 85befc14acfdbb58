// Words for legacy sidecars (model/legacy.ts): what matched (an injection annotation, an image, a
// name) and the product's own switch to a native sidecar. Here because the JSON `legacySidecar.reason`,
// the text container table and the LegacySidecar advice all say it the same way.
import type { LegacySidecarFacts } from '../../model/types.js';

/** The contract's `legacySidecar.reason`: why this plain container looks like a sidecar. */
export function legacySidecarReason(f: LegacySidecarFacts): string {
  switch (f.by) {
    case 'annotation': return `injected by ${f.product} (annotation ${f.match})`;
    case 'image': return `well-known sidecar image ${f.match}`;
    default: return `well-known sidecar name ${f.match} (${f.product})`;
  }
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
