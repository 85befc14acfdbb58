// Entry point (bundled into dist/kubectl-sidecars.cjs). Placeholder until the commands are wired.
declare const __VERSION__: string;
declare const __COMMIT__: string;
const args = process.argv.slice(2);
if (args[0] === 'version') {
  process.stdout.write(`kubectl-sidecars ${__VERSION__} (commit ${__COMMIT__}, node ${process.version})\n`);
} else {
  process.stderr.write('error: not implemented yet\n');
  process.exitCode = 1;
}
