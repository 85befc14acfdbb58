// The bundle's entry: run the CLI on this process's argv, env and streams; Ctrl-C and SIGTERM
// abort what is in flight and exit 130/143 at once (io.ts).
// Everything behind main.js (yargs, client-node, the model) is loaded on demand: `version` alone
// answers without it (startup time).
import { errorLine, UsageError } from './errors.js';
import { exitOnSignals, processIo } from './io.js';
import { mayBeWatch, relaunchWithSmallYoungGeneration, startCheck } from './relaunch.js';
import { versionLine } from './version.js';

const args = process.argv.slice(2);
// the single executable's Node options (relaunch.ts: `watch` only, never the user's)
const foreign = startCheck();
// `watch` replaces this process before any signal listener exists (relaunch.ts); returns if it cannot
if (foreign === null && mayBeWatch(args)) relaunchWithSmallYoungGeneration();
const interrupt = new AbortController();
exitOnSignals(interrupt);
const io = processIo(interrupt.signal);
// `__complete` (cobra's name, from bin/kubectl_complete-sidecars) skips yargs and the model
const run: Promise<number> = foreign !== null ? Promise.reject(new UsageError(foreign)) : args.length === 1 && (args[0] === 'version' || args[0] === '--version')
  ? Promise.resolve(io.out(versionLine())).then(() => 0)
  : args[0] === '__complete'
    ? import('./complete.js').then(({ runComplete }) => runComplete(args.slice(1), process.env, io))
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
