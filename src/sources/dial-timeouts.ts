// Time limits a request has even without --request-timeout, as kubectl's client-go has them
// (k8s.io/apimachinery/pkg/util/net: a 30 s dial timeout, a 10 s TLS handshake timeout): a server
// that does not accept the connection, or accepts it and never completes TLS, is reported, not
// waited for. A request that got a connection but no answer is not failed (a big list can be slow
// to start); after SILENT_NOTICE_MS the user is told once that it is still waiting.
import type http from 'node:http';
import tls from 'node:tls';

export const DIAL_TIMEOUT_MS = 30_000;
export const TLS_HANDSHAKE_TIMEOUT_MS = 10_000;
export const SILENT_NOTICE_MS = 30_000;

export interface ConnectionGuard {
  /** The connection was not made (dial) or not secured (tls) in time: the request is to fail. */
  onFail(stage: 'dial' | 'tls', ms: number): void;
  /** No answer yet after SILENT_NOTICE_MS (only when no --request-timeout bounds the request). */
  onSilent?(ms: number): void;
}

/** Arms the dial and TLS handshake limits on a new connection, and the silence notice; all cleared when the request ends. */
export function guardConnection(req: http.ClientRequest, g: ConnectionGuard): void {
  const timers: NodeJS.Timeout[] = [];
  const clear = () => {
    for (const t of timers) clearTimeout(t);
    timers.length = 0;
  };
  const arm = (ms: number, then: () => void) => {
    const t = setTimeout(then, ms);
    t.unref();
    timers.push(t);
    return t;
  };
  // the silence is counted from when the request could be sent: its connection made (and secured)
  const connected = () => {
    if (g.onSilent) arm(SILENT_NOTICE_MS, () => g.onSilent!(SILENT_NOTICE_MS));
  };
  req.once('socket', (socket) => {
    // a pooled socket is connected (and secured) already; only a new one is still connecting
    if (!socket.connecting) return connected();
    const dial = arm(DIAL_TIMEOUT_MS, () => g.onFail('dial', DIAL_TIMEOUT_MS));
    socket.once('connect', () => {
      clearTimeout(dial);
      if (!(socket instanceof tls.TLSSocket)) return connected();
      const handshake = arm(TLS_HANDSHAKE_TIMEOUT_MS, () => g.onFail('tls', TLS_HANDSHAKE_TIMEOUT_MS));
      socket.once('secureConnect', () => {
        clearTimeout(handshake);
        connected();
      });
    });
  });
  req.once('response', clear);
  req.once('close', clear);
  req.once('error', clear);
}
