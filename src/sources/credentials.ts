// Turning the resolved cluster and user into TLS material and auth headers. Plain credentials
// (CA, insecure-skip-tls-verify, tls-server-name, token, token file, client certificate and key,
// basic auth) are applied here, the way client-node's applyToHTTPSOptions does; only exec plugins,
// auth providers and proxies go to client-node, imported on first use: its module setup costs
// ~60 ms of every start, which is most of a single-pod describe.
import fs from 'node:fs';
import type https from 'node:https';
import type { Cluster, KubeConfig, User } from '@kubernetes/client-node';

/**
 * A user as kubeconfig gives it. `tokenFile` is re-read (the last good read wins over an inline
 * `token`, as client-go's cachingTokenSource); `tokenFromFile`: `token` is that file's content, read at load.
 */
export type UserAuth = User & { readonly tokenFile?: string; readonly tokenFromFile?: boolean };

/**
 * What of a user's entry carries credentials (or impersonates), for the one line that says they were
 * withheld from a plain-http server. The client certificate is not listed: it only exists inside TLS.
 */
export function credentialKinds(user: UserAuth): string[] {
  const out: string[] = [];
  if (user.token || user.tokenFile) out.push('token');
  if (user.username || user.password) out.push('basic auth');
  if (user.exec) out.push('exec plugin (not run)');
  if (user.authProvider) out.push('auth provider');
  if (user.impersonateUser) out.push('impersonation');
  return out;
}

/** Exec credential plugins and auth providers (oidc, gcp, azure…) are client-node's job. */
export function authNeedsClientNode(user: Pick<User, 'exec' | 'authProvider'>): boolean {
  return user.exec != null || user.authProvider != null;
}

/** client-go re-reads a token file at most once a minute (cachingTokenSource). */
const TOKEN_FILE_PERIOD_MS = 60 * 1000;

/** The credentials of one resolved context, with the part of client-node's KubeConfig API we use. */
export class KubeCredentials {
  private kubeConfig: Promise<KubeConfig> | null = null;
  /** The plugin process module, once client-node is loaded (close() kills what it runs). */
  private plugins: typeof import('./plugin-process.js') | null = null;
  private fileToken: { token: string; at: number } | null;
  private readonly user: UserAuth;
  /** Whether this instance ever imported client-node (for tests and diagnostics). */
  loadedClientNode = false;
  /**
   * The kinds of credentials withheld because the server is plain http (empty otherwise). As
   * client-go (clientcmd/client_config.go: "only try to read the auth information if we are
   * secure"), no token, password or plugin output goes over a connection anyone on the path can
   * read, and an exec plugin is not even run: the user is anonymous.
   */
  readonly withheld: string[];

  constructor(
    private readonly cluster: Cluster,
    user: UserAuth,
  ) {
    const secure = /^https:/i.test(cluster.server);
    this.withheld = secure ? [] : credentialKinds(user);
    this.user = secure ? user : { name: user.name };
    this.fileToken = this.user.tokenFromFile && this.user.token !== undefined ? { token: this.user.token, at: Date.now() } : null;
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

  /**
   * After a 401 (client-go: the credentials are refreshed, then the request tried once more): the
   * token file is read again now, not at its next minute, and an exec plugin is run again even if
   * its token said it had not expired (it was revoked, or rotated early).
   */
  async invalidate(): Promise<void> {
    if (this.fileToken && this.user.tokenFile) this.fileToken.at = -Infinity;
    if (!this.kubeConfig) return;
    const kc = await this.kubeConfig.catch(() => null);
    for (const a of (kc as unknown as { authenticators?: object[] } | null)?.authenticators ?? []) {
      if ('tokenCache' in a) (a as { tokenCache: Record<string, unknown> }).tokenCache = {};
    }
  }

  /** Ends the exec plugins still running (a deadline passed, or the command is over). */
  close(): void {
    this.plugins?.killPlugins();
  }

  /** Fills ca/cert/key/servername/rejectUnauthorized, headers and basic auth into `opts`. */
  async applyToHTTPSOptions(opts: https.RequestOptions): Promise<void> {
    if (this.needsClientNode) {
      const kc = await this.clientNode();
      try {
        return await kc.applyToHTTPSOptions(opts);
      } catch (e) {
        throw this.plugins?.pluginStopped ? new Error(this.plugins.pluginStopped) : e;
      }
    }
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

  /**
   * The token file's content, re-read once a minute (rotated tokens), else the inline token. As
   * client-go (transport.NewBearerAuthWithRefreshRoundTripper): the last good read of the file wins;
   * a failed or empty re-read keeps it, or falls back to the inline token; neither → the error.
   */
  private token(): string | undefined {
    const file = this.user.tokenFile;
    if (!file) return this.user.token;
    const now = Date.now();
    if (this.fileToken && now - this.fileToken.at < TOKEN_FILE_PERIOD_MS) return this.fileToken.token;
    try {
      const t = fs.readFileSync(file, 'utf8').trim();
      if (t === '') throw new Error(`read empty token from file ${file}`);
      this.fileToken = { token: t, at: now };
    } catch (e) {
      if (this.fileToken) return this.fileToken.token;
      if (this.user.token) return this.user.token;
      throw e;
    }
    return this.fileToken.token;
  }

  private clientNode(): Promise<KubeConfig> {
    // child_process (for exec plugins) only with client-node: token and certificate users never need it
    this.kubeConfig ??= Promise.all([import('./client-node.js'), import('./plugin-process.js')]).then(([{ KubeConfig }, plugins]) => {
      const { spawnPlugin } = plugins;
      this.plugins = plugins;
      this.loadedClientNode = true;
      const kc = new KubeConfig();
      const name = 'kubectl-sidecars';
      const { tokenFile: _file, tokenFromFile: _read, ...user } = this.user;
      kc.loadFromOptions({
        clusters: [{ ...this.cluster, name }],
        users: [user],
        contexts: [{ name, cluster: name, user: user.name }],
        currentContext: name,
      });
      // ExecAuth spawns through its execFn: in a process group of its own, killed when we exit
      for (const a of (kc as unknown as { authenticators?: object[] }).authenticators ?? []) {
        if ('execFn' in a) (a as { execFn: unknown }).execFn = spawnPlugin;
      }
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
