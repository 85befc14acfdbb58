// The bundle's entry: run the CLI on this process's argv, env and streams.
import { hideBin } from 'yargs/helpers';
import { errorLine } from './errors.js';
import { processIo } from './io.js';
import { main } from './main.js';

const io = processIo();
main(hideBin(process.argv), process.env, io).then(
  (code) => { process.exitCode = code; },
  (e) => { io.err(errorLine(e)); process.exitCode = 1; },
);
