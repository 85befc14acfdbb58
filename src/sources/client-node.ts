// The only runtime import of client-node, loaded on demand by credentials.ts. A module of its own
// so esbuild keeps just KubeConfig and what it needs (a dynamic import of the package itself would
// bundle all of it: 16 MB instead of 2.9).
export { KubeConfig } from '@kubernetes/client-node';
