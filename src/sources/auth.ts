// The credential a request carries and the keep-alive agent it goes out on, for one resolved
// kubeconfig context. The credential (TLS material, Authorization) is applied once and shared by
// the requests of a run, refreshed after a TTL or a 401; the agent is keyed by its TLS material, so
// a rotated client certificate gets a new agent while streams on the old one run to their end.
import http from 'node:http';
import https from 'node:https';
import { createHash } from 'node:crypto';
import type { ResolvedConfig } from './kubeconfig.js';
import { oneLineText, type RequestInfo, type RequestPlace, transportError } from './errors.js';

/**
 * How long one credential (exec plugin output, token file) is reused without a 401: the token
 * file's own re-read period (credentials.ts), so a rotated file is sent within a minute.
 */
export const AUTH_TTL_MS = 60 * 1000;

export interface AuthOptions {
  as?: string;
  asGroups?: string[];
  userAgent?: string;
  /** Test hook: how long a credential is reused (AUTH_TTL_MS). */
  authTtlMs?: number;
}

export class RequestAuth {
  private cache: { at: number; p: Promise<https.RequestOptions> } | null = null;
  /** After a 401: the credentials' own caches being dropped (credentials.ts invalidate); applied after it. */
  private refreshing: Promise<void> = Promise.resolve();
  private agent: http.Agent | null = null;
  private agentKey = '';
  /** Agents replaced while requests were still on them: closed as those end (retire()). */
  private readonly retired = new Set<http.Agent>();

  constructor(
    private readonly config: ResolvedConfig,
    private readonly server: URL,
    private readonly opts: AuthOptions = {},
  ) {}

  /** Method, headers and agent of one GET; `at` names the request in a credentials error. */
  async options(info: RequestInfo, at: RequestPlace): Promise<https.RequestOptions> {
    const o = await this.credential(info, at);
    const headers: http.OutgoingHttpHeaders = {
      ...(o.headers as http.OutgoingHttpHeaders),
      Accept: 'application/json',
      'Accept-Encoding': 'gzip',
      'User-Agent': this.opts.userAgent ?? 'kubectl-sidecars',
    };
    if (o.auth) headers.Authorization = `Basic ${Buffer.from(o.auth).toString('base64')}`;
    if (this.opts.as) headers['Impersonate-User'] = this.opts.as;
    if (this.opts.asGroups?.length) headers['Impersonate-Group'] = this.opts.asGroups;
    const cluster = this.config.kubeConfig.getCurrentCluster();
    let agent: http.Agent | undefined;
    if (cluster?.proxyUrl) {
      agent = o.agent as http.Agent; // client-node's proxy agent
    } else if (this.server.protocol === 'http:') {
      agent = this.agentFor('http', () => new http.Agent({ keepAlive: true, maxSockets: 8 }));
    } else {
      const tls = { ca: o.ca, cert: o.cert, key: o.key, rejectUnauthorized: o.rejectUnauthorized !== false, servername: o.servername };
      const key = createHash('sha256').update(JSON.stringify([String(tls.ca ?? ''), String(tls.cert ?? ''), String(tls.key ?? ''), tls.rejectUnauthorized, tls.servername ?? ''])).digest('hex');
      agent = this.agentFor(key, () => new https.Agent({ ...tls, keepAlive: true, maxSockets: 8 }));
    }
    return { method: 'GET', headers, agent };
  }

  /** After a 401: the next request reads the token file and runs the plugin again. */
  invalidate(): void {
    this.cache = null;
    this.refreshing = this.config.kubeConfig.invalidate().catch(() => undefined);
  }

  /** Release every socket, in use or pooled, of every agent (so a CLI run exits at once). */
  close(): void {
    this.config.kubeConfig.close();
    this.agent?.destroy();
    this.agent = null;
    for (const a of this.retired) a.destroy();
    this.retired.clear();
  }

  /**
   * The auth result, shared by the requests of a run: an exec plugin without expirationTimestamp
   * would otherwise be spawned for every request. client-go also keeps a credential until a 401;
   * the TTL lets long watches pick up rotated token files and certificates.
   */
  private credential(info: RequestInfo, at: RequestPlace): Promise<https.RequestOptions> {
    const now = Date.now();
    if (!this.cache || now - this.cache.at > (this.opts.authTtlMs ?? AUTH_TTL_MS)) {
      const p = this.refreshing.then(() => this.apply(info, at));
      const entry = { at: now, p };
      // counted from when the credential arrived (a plugin may take seconds to run)
      p.then(() => (entry.at = Date.now()), () => {
        if (this.cache === entry) this.cache = null;
      });
      this.cache = entry;
    }
    return this.cache.p;
  }

  private async apply(info: RequestInfo, at: RequestPlace): Promise<https.RequestOptions> {
    const o: https.RequestOptions = {};
    try {
      await this.config.kubeConfig.applyToHTTPSOptions(o);
    } catch (e) {
      // client-node refuses plain-http servers unless insecure-skip-tls-verify; kubectl allows them
      // (kubectl proxy). Its headers are already filled in by then.
      const msg = (e as Error).message ?? String(e);
      if (!(this.server.protocol === 'http:' && /HTTP protocol is not allowed/.test(msg))) {
        // a plugin's output is anything: escaped, one line, cut (issue 13 #11)
        const first = msg.trim().split('\n')[0];
        throw transportError('Credentials', `user "${this.config.userName}": ${first ? oneLineText(first, 200) : 'credential plugin failed'}`, info, at);
      }
    }
    return o;
  }

  /**
   * The agent for this TLS material. When it changed (a rotated client certificate), new requests
   * get a new agent; the old one is retired, not destroyed: destroying it cut the live watch
   * streams that were still on its sockets.
   */
  private agentFor(key: string, make: () => http.Agent): http.Agent {
    if (!this.agent || this.agentKey !== key) {
      if (this.agent) this.retire(this.agent);
      this.agent = make();
      this.agentKey = key;
    }
    return this.agent;
  }

  /**
   * Idle sockets go now; a socket in use is closed when its request ends: node's Agent destroys a
   * freed socket instead of pooling it once keepAlive is off (lib/_http_agent.js, 'free' handler).
   */
  private retire(agent: http.Agent): void {
    (agent as http.Agent & { keepAlive: boolean }).keepAlive = false;
    for (const list of Object.values(agent.freeSockets)) for (const s of list ?? []) s.destroy();
    for (const a of this.retired) if (inUse(a) === 0) this.retired.delete(a);
    if (inUse(agent) > 0) this.retired.add(agent);
  }
}

const inUse = (a: http.Agent): number => Object.values(a.sockets).reduce((n, l) => n + (l?.length ?? 0), 0);
