// Turning the resolved cluster and user into TLS material and auth headers. Plain credentials
// (CA, insecure-skip-tls-verify, tls-server-name, token, token file, client certificate and key,
// basic auth) are applied here, the way client-node's applyToHTTPSOptions does; only exec plugins,
// auth providers and proxies go to client-node, imported on first use: its module setup costs
// ~60 ms of every start, which is most of a single-pod describe.
import fs from 'node:fs';
import type https from 'node:https';
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node';

/** A user as kubeconfig gives it; `tokenFile` is set when the token came from (and is re-read from) a file. */
export type UserAuth = User & { readonly tokenFile?: string };

/** Exec credential plugins and auth providers (oidc, gcp, azure…) are client-node's job. */
export function authNeedsClientNode(user: Pick<User, 'exec' | 'authProvider'>): boolean {
  return user.exec != null || user.authProvider != null;
}

/** client-go re-reads a token file at most once a minute (cachingTokenSource). */
const TOKEN_FILE_PERIOD_MS = 60 * 1000;

/** The credentials of one resolved context, with the part of client-node's KubeConfig API we use. */
export class KubeCredentials {
  private kubeConfig: Promise<KubeConfig> | null = null;
  private fileToken: { token: string; at: number } | null;
  /** Whether this instance ever imported client-node (for tests and diagnostics). */
  loadedClientNode = false;

  constructor(
    private readonly cluster: Cluster,
    private readonly user: UserAuth,
  ) {
    this.fileToken = user.tokenFile && user.token !== undefined ? { token: user.token, at: Date.now() } : null;
  }

  getCurrentCluster(): Cluster {
    return this.cluster;
  }

  getCurrentUser(): UserAuth {
    return this.user;
  }

  /** Does applying these credentials take client-node (exec plugin, auth provider, proxy-url)? */
  get needsClientNode(): boolean {
    return authNeedsClientNode(this.user) || !!this.cluster.proxyUrl;
  }

  /** Fills ca/cert/key/servername/rejectUnauthorized, headers and basic auth into `opts`. */
  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    if (this.needsClientNode) return (await this.clientNode()).applyToHTTPSOptions(opts);
    const { cluster, user } = this;
    if (cluster.skipTLSVerify) opts.rejectUnauthorized = false;
    if (cluster.tlsServerName) opts.servername = cluster.tlsServerName;
    const ca = fileOrData(cluster.caFile, cluster.caData);
    if (ca) opts.ca = ca;
    const cert = fileOrData(user.certFile, user.certData);
    if (cert) opts.cert = cert;
    const key = fileOrData(user.keyFile, user.keyData);
    if (key) opts.key = key;
    const headers = (opts.headers ??= {}) as Record<string, string>;
    if (user.impersonateUser != null) headers['Impersonate-User'] = user.impersonateUser;
    const token = this.token();
    if (token) headers.Authorization = `Bearer ${token}`;
    if (user.username) opts.auth = `${user.username}:${user.password ?? ''}`;
  }

  /** The inline token, or the token file's content, re-read once a minute (rotated tokens). */
  private token(): string | undefined {
    const file = this.user.tokenFile;
    if (!file) return this.user.token;
    const now = Date.now();
    if (this.fileToken && now - this.fileToken.at < TOKEN_FILE_PERIOD_MS) return this.fileToken.token;
    try {
      this.fileToken = { token: fs.readFileSync(file, 'utf8').trim(), at: now };
    } catch (e) {
      // as client-go: keep the token already read when a re-read fails; fail when there is none
      if (!this.fileToken) throw e;
    }
    return this.fileToken.token;
  }

  private clientNode(): Promise<KubeConfig> {
    this.kubeConfig ??= import('./client-node.js').then(({ KubeConfig }) => {
      this.loadedClientNode = true;
      const kc = new KubeConfig();
      const name = 'kubectl-sidecars';
      const { tokenFile: _file, ...user } = this.user;
      kc.loadFromOptions({
        clusters: [{ ...this.cluster, name }],
        users: [user],
        contexts: [{ name, cluster: name, user: user.name }],
        currentContext: name,
      });
      return kc;
    });
    return this.kubeConfig;
  }
}

/** A file's bytes, else base64 data decoded, else nothing (a file wins, as in client-node). */
function fileOrData(file: string | undefined, data: string | undefined): Buffer | null {
  if (file) return fs.readFileSync(file);
  if (data) return Buffer.from(data, 'base64');
  return null;
}
