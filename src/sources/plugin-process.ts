// Exec credential plugins (run by client-node's ExecAuth through its `execFn`) are started in a
// process group of their own and killed with it when the plugin exits: a hung plugin (and what it
// started: a browser login helper, a cloud CLI) must not outlive a Ctrl-C or SIGTERM (issue 13 #11).
// The exit handlers of src/cli/io.ts end the process with process.exit, which runs 'exit' listeners.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const running = new Set<ChildProcess>();

/** Ends every plugin still running (its whole process group): at exit, or when a deadline passes. */
export function killPlugins(): void {
  for (const child of running) {
    try {
      // the whole group on POSIX (the plugin leads it: detached), the process itself on Windows
      if (process.platform !== 'win32' && child.pid) process.kill(-child.pid, 'SIGTERM');
      else child.kill('SIGTERM');
    } catch {
      // already gone
    }
  }
  running.clear();
}

/** child_process.spawn with the plugin as leader of its own process group, tracked until it closes. */
export function spawnPlugin(command: string, args: readonly string[] = [], opts: SpawnOptions = {}): ChildProcess {
  const child = spawn(command, args, { ...opts, detached: process.platform !== 'win32', windowsHide: true });
  if (running.size === 0) process.once('exit', killPlugins);
  running.add(child);
  child.once('close', () => {
    running.delete(child);
    if (running.size === 0) process.removeListener('exit', killPlugins);
  });
  return child;
}
