// Types of scripts/krew-manifest.mjs for the TypeScript tests in test/package/.
export const PLUGIN_NAME: string;
export const MANIFEST_PATH: string;
export const SHORT_DESCRIPTION: string;
export const CAVEATS: string;
export function wrap(text: string, width?: number): string;
export function defaultUriBase(pkg: { homepage: string; version: string }): string;
export function buildManifest(args: {
  pkg: { version: string; description: string; homepage: string };
  uriBase?: string;
  archives?: Record<string, string>;
  template?: boolean;
}): string;
export const RELEASE_TEMPLATE_PATH: string;
export function writeReleaseTemplate(file?: string): string;
export function writeManifest(args?: { uriBase?: string; file?: string; archivesDir?: string }): string;
