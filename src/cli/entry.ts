// The bundle's entry: run the CLI on this process's argv, env and streams; Ctrl-C and SIGTERM
// abort what is in flight and exit 130/143 at once (io.ts).
import { hideBin } from 'yargs/helpers';
import { errorLine } from './errors.js';
import { exitOnSignals, processIo } from './io.js';
import { main } from './main.js';

const interrupt = new AbortController();
exitOnSignals(interrupt);
const io = processIo(interrupt.signal);
main(hideBin(process.argv), process.env, io).then(
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
