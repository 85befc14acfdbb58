// A hostile API server for tests: plain http (no credentials go to it), answering what a test's
// `fake` handler wants and passing the rest to the test API server (test/apiserver/) in front of
// which it sits. Every request's URL is recorded.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { CERTS_DIR, type RunningApiServer } from '../apiserver/server.js';
import { tempDir } from './helpers.js';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => boolean;

export interface Hostile {
  kubeconfig: string;
  /** The URL (path and query) of every request, in order. */
  paths: string[];
  close(): Promise<void>;
}

export async function hostile(api: RunningApiServer, fake: Handler): Promise<Hostile> {
  const paths: string[] = [];
  const ca = fs.readFileSync(path.join(CERTS_DIR, 'ca.crt'));
  const clientCert = { cert: fs.readFileSync(path.join(CERTS_DIR, 'client.crt')), key: fs.readFileSync(path.join(CERTS_DIR, 'client.key')) };
  const server = http.createServer((req, res) => {
    paths.push(req.url ?? '');
    if (fake(req, res)) return;
    const up = https.request(api.url + (req.url ?? ''), { ca, ...clientCert, headers: { accept: 'application/json' } }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    up.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const kubeconfig = path.join(tempDir(), 'kubeconfig');
  fs.writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters: [{ name: h, cluster: { server: "http://127.0.0.1:${port}" } }]
users: [{ name: u, user: {} }]
contexts: [{ name: h, context: { cluster: h, user: u, namespace: rec-ordering } }]
current-context: h
`);
  return { kubeconfig, paths, close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }) };
}
