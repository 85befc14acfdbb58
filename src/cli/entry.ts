// The bundle's entry: run the CLI on this process's argv, env and streams; Ctrl-C and SIGTERM
// abort what is in flight and exit 130/143 at once (io.ts).
// Everything behind main.js (yargs, client-node, the model) is loaded on demand: `version` alone
// answers without it (startup time).
import { errorLine } from './errors.js';
import { exitOnSignals, processIo } from './io.js';
import { versionLine } from './version.js';

const interrupt = new AbortController();
exitOnSignals(interrupt);
const io = processIo(interrupt.signal);
const args = process.argv.slice(2);
const run: Promise<number> = args.length === 1 && args[0] === 'version'
  ? Promise.resolve(io.out(versionLine())).then(() => 0)
  : import('./main.js').then(({ main }) => main(args, process.env, io));
run.then(
  (code) => {
    // after a signal its exit code stands (the command may have returned early because of it)
    if (!interrupt.signal.aborted) process.exitCode = code;
  },
  (e) => {
    if (interrupt.signal.aborted) return;
    io.err(errorLine(e));
    process.exitCode = 1;
  },
);
