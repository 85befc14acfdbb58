// `watch --logs` end to end: the built executable against the replay API server, whose followed
// logs send each recorded line when the replay clock reaches its timestamp (test/apiserver/README.md).
// The clock is driven at a fixed pace once the watch is connected. Expected: the golden transcript
// test/golden/watch-logs/<scenario>.jsonl (UPDATE_GOLDEN=1 writes it; review it against the
// recording's snapshots/*/logs), compared per container as the sequence of its Log lines (time,
// instance, text), and two orders that must hold in any run: a container's Log lines come after
// the Started line of their instance, and the lines of a crash come before its Terminated line.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { WatchLine } from '../../src/render/words/watch.js';
import { iso, parseLines, sleep, startCli, timeline, until, watches, withServer } from './replay.js';

const DIR = fileURLToPath(new URL('../golden/watch-logs/', import.meta.url));

/** Virtual ms per real ms: the recordings' minutes in seconds. */
const PACE: Record<string, number> = { ordering: 20, 'istio-native': 20, 'sidecar-crashloop': 30, 'job-retries': 30, 'restarts-20': 60 };

async function runLogs(scenario: string, extra: string[] = []) {
  const tl = timeline(scenario);
  const end = tl[tl.length - 1].t;
  return withServer(scenario, [], async (srv) => {
    const cli = startCli(['watch', '--logs', '-o', 'json', '--kubeconfig', srv.kubeconfigPath, '--now', iso(tl[0].t), ...extra]);
    await until(() => watches(srv, 'pods') >= 1 && watches(srv, 'events') >= 1, 'the first watches');
    for (let t = tl[0].t; t < end + 2000; t += 50 * PACE[scenario]) {
      srv.advanceTo(iso(t));
      await sleep(50);
    }
    srv.advanceTo(iso(end + 2000));
    await until(() => Date.now() - cli.lastOutputAt() >= 1500, 'the output to settle', 20000);
    cli.child.kill('SIGINT');
    await cli.exited;
    return { lines: parseLines(cli.stdout()), stderr: cli.stderr() };
  });
}

const logKey = (l: WatchLine) => `${l.time} #${l.instance} ${l.text}`;

/**
 * restarts-20's first instances restart after 1-8 s of back-off: 17-130 ms at its pace, less than a
 * stream takes to open, so which of them are caught running is a race; from the 10th on (60 s
 * apart) every instance is.
 */
const FROM_INSTANCE: Record<string, number> = { 'restarts-20': 10 };

function logsByContainer(lines: WatchLine[], scenario: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const l of lines) if (l.type === 'Log' && (l.instance ?? 0) >= (FROM_INSTANCE[scenario] ?? 0)) (out[`${l.pod}/${l.container}`] ??= []).push(logKey(l));
  return out;
}

describe.each(Object.keys(PACE))('watch --logs: %s', (scenario) => {
  test('the recorded log lines, in order, each after its instance started, a crash line before its Terminated', async () => {
    // restarts-20's instances come faster than the replay's streams end: room for all of them
    const r = await runLogs(scenario, scenario === 'restarts-20' ? ['--max-log-requests', '50'] : []);
    const file = `${DIR}${scenario}.jsonl`;
    if (process.env.UPDATE_GOLDEN === '1') {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, r.lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
    }
    if (!existsSync(file)) throw new Error(`missing golden transcript ${file}: run UPDATE_GOLDEN=1 and review it`);
    const want = readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as WatchLine);
    expect(Object.keys(logsByContainer(want, scenario)).length).toBeGreaterThan(0);
    expect(logsByContainer(r.lines, scenario)).toEqual(logsByContainer(want, scenario));
    expect(r.stderr).not.toMatch(/error|not followed/);
    // every Log line carries the contract's fields and the Log extras
    for (const l of r.lines.filter((x) => x.type === 'Log')) {
      expect(Object.keys(l).slice(0, 7)).toEqual(['time', 'namespace', 'pod', 'container', 'type', 'detail', 'source']);
      expect(l.source).toBe('log');
      expect(typeof l.instance).toBe('number');
    }
    r.lines.forEach((l, i) => {
      if (l.type !== 'Log') return;
      // its instance's Started line came first (restart N, or the first start)
      const started = r.lines.findIndex((s) => s.type === 'Started' && s.pod === l.pod && s.container === l.container && (l.instance ? s.detail.startsWith(`restart ${l.instance}`) : !/^restart \d/.test(s.detail)));
      expect({ line: logKey(l), startedBefore: started >= 0 && started < i }).toEqual({ line: logKey(l), startedBefore: true });
      // no Terminated line of its container printed before it ended in an earlier second
      const term = r.lines.findIndex((s, j) => j < i && s.type === 'Terminated' && s.pod === l.pod && s.container === l.container && s.time.slice(0, 19) === l.time.slice(0, 19));
      expect({ line: logKey(l), terminatedBefore: term }).toEqual({ line: logKey(l), terminatedBefore: -1 });
    });
  });
});

test('--max-log-requests 1: the containers left waiting are named, never dropped silently', async () => {
  const r = await runLogs('ordering', ['--max-log-requests', '1']);
  expect(r.stderr).toMatch(/note: log streams are limited to 1 at once \(--max-log-requests\): not followed until one ends: rec-ordering\/ordering\/(first-sidecar|second-sidecar|app)/);
  // one stream at a time: the first container's lines are there
  expect(r.lines.some((l) => l.type === 'Log')).toBe(true);
});

test('--logs without pods/log permission: one note, the lifecycle lines go on', async () => {
  const tl = timeline('sidecar-crashloop');
  const { startApiServer } = await import('../apiserver/server.js');
  const srv = await startApiServer({ scenarios: ['sidecar-crashloop'], mode: 'replay', speed: 1e-4, deny: [{ verb: 'get', resource: 'pods', subresource: 'log' }] });
  try {
    const cli = startCli(['watch', '--logs', '-o', 'json', '--kubeconfig', srv.kubeconfigPath, '--now', iso(tl[0].t)]);
    await until(() => watches(srv, 'pods') >= 1 && watches(srv, 'events') >= 1, 'the first watches');
    srv.advanceTo(iso(tl[tl.length - 1].t));
    await until(() => Date.now() - cli.lastOutputAt() >= 2500, 'the output to settle', 20000);
    cli.child.kill('SIGINT');
    await cli.exited;
    const notes = cli.stderr().split('\n').filter((l) => l.includes('logs are not followed'));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/forbidden/);
    const lines = parseLines(cli.stdout());
    expect(lines.some((l) => l.type === 'Terminated')).toBe(true);
    expect(lines.some((l) => l.type === 'Log')).toBe(false);
  } finally {
    await srv.close();
  }
});
