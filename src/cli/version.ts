// `kubectl sidecars version`: kept apart from main.ts so the entry can answer it without loading
// yargs and client-node (startup time).
declare const __VERSION__: string;
declare const __COMMIT__: string;

export function versionLine(): string {
  return `kubectl-sidecars ${__VERSION__} (commit ${__COMMIT__}, node ${process.version}, ${process.platform}/${process.arch})\n`;
}
