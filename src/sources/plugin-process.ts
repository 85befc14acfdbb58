// Exec credential plugins (run by client-node's ExecAuth through its `execFn`) are started in a
// process group of their own and killed with it when the plugin exits: a hung plugin (and what it
// started: a browser login helper, a cloud CLI) must not outlive a Ctrl-C or SIGTERM (issue 13 #11).
// The exit handlers of src/cli/io.ts end the process with process.exit, which runs 'exit' listeners.
// A deadline (watch --timeout, completion's budget) ends them too (killPlugins, through
// credentials.ts close()): a running child holds the event loop, and the command never ended.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const running = new Set<ChildProcess>();

/**
 * What a plugin may print: an ExecCredential is a token or a certificate and key, a few KB. ExecAuth
 * keeps all of stdout and stderr as strings: a plugin printing 300 MB cost 1.25 GB.
 */
export const MAX_PLUGIN_OUTPUT_CHARS = 4 * 1024 * 1024;

function kill(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    // the whole group on POSIX (the plugin leads it: detached), the process itself on Windows
    if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, signal);
    else child.kill(signal);
  } catch {
    // already gone
  }
}

/** Ends every plugin still running (and what it started), and lets the process exit without them. */
export function killPlugins(): void {
  for (const child of running) {
    kill(child, 'SIGTERM');
    // its pipes and handle no longer hold the event loop, whether or not it obeys SIGTERM
    child.stdout?.destroy();
    child.stderr?.destroy();
    child.unref();
  }
  running.clear();
}

/** Why the last plugin was stopped by us (its output was too large), for the credentials error. */
export let pluginStopped: string | null = null;

/** child_process.spawn with the plugin as leader of its own process group, tracked until it closes. */
export function spawnPlugin(command: string, args: readonly string[] = [], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...opts, detached: process.platform !== 'win32', windowsHide: true });
  if (running.size === 0) process.once('exit', killPlugins);
  running.add(child);
  pluginStopped = null;
  let size = 0;
  const count = (d: string | Buffer) => {
    size += d.length;
    if (size <= MAX_PLUGIN_OUTPUT_CHARS) return;
    pluginStopped = `the plugin printed more than ${MAX_PLUGIN_OUTPUT_CHARS / 1024 / 1024}Mi: stopped it`;
    kill(child, 'SIGKILL'); // ExecAuth answers when it ends: it must
  };
  child.stdout?.on('data', count);
  child.stderr?.on('data', count);
  child.once('close', () => {
    running.delete(child);
    if (running.size === 0) process.removeListener('exit', killPlugins);
  });
  return child;
}
