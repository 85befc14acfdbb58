// `watch` runs with V8's young generation capped, V8 favouring memory and one V8 worker thread
// (FLAGS; issue 15: watch RSS). Its two 16 MB semi-spaces stay committed for the whole run while
// what a watch keeps is small (memory.ts); capped at 1 MB they take 2 MB. The flags act only when
// V8 starts (v8.setFlagsFromString at run time leaves the new space as it is), and they are not set
// for every command: the cap made describe POD ~13 ms slower (scripts/package.mjs, V8_FLAGS). So
// `watch` replaces its own process image with the same program under the flags (process.execve:
// Node >= 22.15 / 23.11; the single executable runs 22.23): same pid, stdio and terminal, and the
// new image handles signals and exit codes as any start does.
// On Node 20 (the npm launcher on this project's CI) there is no execve: nothing changes, the
// watch runs uncapped. Whatever stops the relaunch only costs memory.
import { accessSync, constants } from 'node:fs';
import { isSea } from 'node:sea';

/**
 * Megabytes a semi-space. `npm run bench -- --only=watch` (single executable, 5,000 live pods), RSS
 * at 100,000 updates, medians of 3 interleaved runs on a loaded machine: uncapped 214 MB, 4 MB 176,
 * 2 MB 178, 1 MB 172 (peak likewise; after 10,000 updates 191 → 153 MB); updates/s within the noise.
 */
export const SEMI_SPACE_MB = 1;
/**
 * With the young generation capped, V8 told to favour memory over speed (a heap that grows in
 * smaller steps and is compacted sooner): the old generation held ~1.5x what the watch keeps.
 * Same bench, once the kept state was small (store.ts, identity.ts): anonymous RSS at 100,000
 * updates 77 → 59 MB, and flat from 10,000 on; its cost in updates/s is in docs/performance.md.
 * And one V8 worker thread (Node's default is 4) for the concurrent compiler and GC: each thread's
 * compile zones come from its own malloc arena. Same bench, the executable as krew installs it, 5
 * interleaved pairs: peak RSS 109-120 → 105-109 MB, updates/s 4,576-5,379 → 5,164-5,490 (a 2-core
 * machine, where four workers only took turns with the watch and the API server's stream).
 */
const FLAGS = [`--max-semi-space-size=${SEMI_SPACE_MB}`, '--optimize-for-size', '--v8-pool-size=1'];
/**
 * The single executable's own execArgv (scripts/package.mjs SEA_EXEC_ARGV; a test holds them
 * equal): anything else in its process.execArgv came from a `--node-options=` argument.
 */
export const SEA_EXEC_ARGV = ['--disable-warning=DEP0040'];
/** Set in the relaunched image's environment only: it is not a user's --node-options, and no loop. */
const MARKER = 'KUBECTL_SIDECARS_RELAUNCHED';

interface Host {
  execPath: string;
  argv0: string;
  argv: string[];
  execArgv: string[];
  env: Record<string, string | undefined>;
  isSea: boolean;
}

/** Read once at start (entry.ts), and taken out of the environment so no child inherits it. */
let relaunched = false;

/**
 * At the start of every command, before anything else: notes (and removes) the relaunch marker, and
 * tells whether the single executable was handed Node options by the user. Its sea-config reads
 * `--node-options="..."` arguments (execArgvExtension 'cli', which the relaunch needs), and Node
 * 22.23 takes one from ANY position of the command line (even after `--`), not only the first:
 * such a run stops with the CLI's own "unknown flag" error, as before the relaunch existed. Node
 * has applied the options by then; they came from the user's own command line.
 */
export function startCheck(): string | null {
  relaunched = process.env[MARKER] === '1';
  delete process.env[MARKER];
  if (relaunched || process.execArgv.every((a) => SEA_EXEC_ARGV.includes(a)) || !isSea()) return null;
  return 'unknown flag --node-options (see kubectl sidecars --help)';
}

/**
 * The command line of the same program under the flags, or null when the cap is in effect already
 * (relaunched, or the user's `node --max-semi-space-size=N bin/kubectl-sidecars`, which stands).
 * The single executable takes it as `--node-options=` (its Node flags are fixed in the blob): the
 * V8 code cache in the blob was made without the flag and is then rejected (the bundle compiles
 * from source: with the second start, the watch's first request comes ~90 ms later, 192 against
 * 104 ms, median of 11), and Node warns about that with a plain `Warning` on stderr before any
 * of our code runs; --disable-warning=Warning keeps stderr clean (Node's other warnings have their
 * own types: DeprecationWarning, ExperimentalWarning, MaxListenersExceededWarning...).
 */
export function relaunchArgs(h: Host, wasRelaunched: boolean): string[] | null {
  if (wasRelaunched) return null;
  const capped = (s: string) => /(^|\s)--max-semi-space-size(=|\s|$)/.test(s);
  if (h.execArgv.some(capped) || (!h.isSea && capped(h.env.NODE_OPTIONS ?? ''))) return null;
  // argv[0] as the user's shell or kubectl gave it (the SEA shows it as argv[1])
  if (h.isSea) return [h.argv[1], `--node-options=${FLAGS.join(' ')} --disable-warning=Warning`, ...h.argv.slice(2)];
  return [h.argv0, ...h.execArgv, ...FLAGS, ...h.argv.slice(1)];
}

type Execve = (file: string, args: string[], env: Record<string, string | undefined>) => never;

/**
 * Whether a command line may be `watch`, decided before yargs (entry.ts relaunches before it
 * listens for signals): any word `watch` but in completion. A describe of a pod named "watch"
 * is relaunched too, for nothing worse than ~100 ms and the capped young generation.
 */
export function mayBeWatch(args: readonly string[]): boolean {
  return args[0] !== '__complete' && args.includes('watch');
}

/**
 * What execve(2) may be handed, argv and environment together (strings, their NULs and pointers):
 * Linux allows a quarter of the stack limit but never less than 128 KiB; E2BIG is not an exception
 * in Node 22 but an abort with a native stack. Beyond it the watch runs uncapped.
 */
export const EXEC_BYTES_SAFE = 128 * 1024;

export function execBytes(args: readonly string[], env: Record<string, string | undefined>): number {
  let n = 0;
  for (const a of args) n += Buffer.byteLength(a) + 1 + 8;
  for (const [k, v] of Object.entries(env)) if (v !== undefined) n += Buffer.byteLength(k) + Buffer.byteLength(v) + 2 + 8;
  return n;
}

/**
 * Replaces this process with the same command under the flags; returns (the watch runs uncapped)
 * when it cannot. Called by entry.ts first, before any signal listener: a Ctrl-C or SIGTERM that
 * came between Node's listener and the execve was taken by the old image and lost; without a
 * listener it ends the process by its default action (the shell's 130 and 143).
 */
export function relaunchWithSmallYoungGeneration(): void {
  const execve = (process as unknown as { execve?: Execve }).execve;
  if (typeof execve !== 'function' || process.platform === 'win32') return;
  const args = relaunchArgs({ execPath: process.execPath, argv0: process.argv0, argv: process.argv, execArgv: process.execArgv, env: process.env, isSea: isSea() }, relaunched);
  if (!args) return;
  const env = { ...process.env, [MARKER]: '1' };
  if (execBytes([process.execPath, ...args], env) > EXEC_BYTES_SAFE) return;
  // A failed execve(2) is not an exception in Node 22: the process aborts with a native stack
  // trace (exit 134). The one failure we can foresee is checked first: an executable gone or
  // replaced since it started (an upgrade: /proc/self/exe then reads "... (deleted)").
  try {
    accessSync(process.execPath, constants.X_OK);
  } catch {
    return;
  }
  // execve's ExperimentalWarning is emitted on the next tick: never, when the process is replaced;
  // when it throws instead (a worker, a bad argument) it would print, so it is held back.
  const emitWarning = process.emitWarning;
  process.emitWarning = () => undefined;
  try {
    execve.call(process, process.execPath, args, env);
  } catch {
    // uncapped
  } finally {
    process.emitWarning = emitWarning;
  }
}
