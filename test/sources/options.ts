// DescribeOptions for gather tests: the local API server's kubeconfig, everything else as flags give it.
import type { RunningApiServer } from '../apiserver/server.js';
import type { DescribeOptions } from '../../src/options.js';

export interface TestSelection {
  names?: string[];
  ns?: string;
  all?: boolean;
  logs?: 'on' | 'off' | 'auto';
  chunk?: number;
  selector?: string;
  now?: string;
}

export function describeOptions(srv: RunningApiServer, o: TestSelection = {}): DescribeOptions {
  return {
    connection: { kubeconfig: srv.kubeconfigPath, namespace: o.ns, env: {} },
    targets: { names: o.names ?? [], allNamespaces: o.all ?? false, selector: o.selector },
    gather: { logs: o.logs ?? 'auto', chunkSize: o.chunk ?? 500 },
    render: { output: 'json', noHeaders: false, color: false, width: 100 },
    exitCode: false,
    ...(o.now ? { now: o.now } : {}),
  };
}
