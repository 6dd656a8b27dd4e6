// A small HTTP proxy in front of the real kube-apiserver that injects the faults a real API server
// does not produce on demand: 429 with Retry-After (API priority and fairness under load), 503 (an
// apiserver restarting behind a load balancer) and watch streams cut mid-flight (a dropped
// connection). Everything else is forwarded unchanged over TLS to the real server, so RBAC, watch
// semantics and resourceVersions stay the server's own. With no kubelet behind the server, pods/log
// can also be answered here with a canned text (a stand-in for the kubelet only). It also logs every request it sees, which is
// the wire-level count the request-count tests assert on.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export type ProxiedRequest = { method: string; path: string; watch: boolean; status: number };
/** An answer given instead of the server's: an error status, or (for pods/log, which needs a kubelet) a text body. */
export type Fault = { status: 429 | 500 | 503; retryAfterSeconds?: number } | { status: 200; text: string };
/** Decides per request; return a fault to answer it without reaching the server. */
export type FaultRule = (req: { method: string; path: string; watch: boolean }) => Fault | undefined;

export type FaultProxy = {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: ProxiedRequest[];
  setRule(rule: FaultRule | undefined): void;
  /** Destroys the watch streams open right now (those whose path contains `pathPart`); returns how many. */
  cutWatches(pathPart?: string): number;
  openWatches(): number;
  /** Paths of the watch streams open right now (for failure messages). */
  openWatchPaths(): string[];
  /**
   * Everything forwarded to the client so far on the watch streams whose path contains `pathPart`
   * (open or closed): a test waits for an event to have reached the client instead of sleeping.
   */
  watchText(pathPart: string): string;
  stop(): Promise<void>;
};

/** A rule that fails the first `times` requests matching `match`, then lets them through. */
export function failTimes(times: number, fault: Fault, match: (r: { method: string; path: string; watch: boolean }) => boolean): FaultRule & { fired: () => number } {
  let fired = 0;
  const rule = (r: { method: string; path: string; watch: boolean }) => {
    if (fired >= times || !match(r)) return undefined;
    fired++;
    return fault;
  };
  return Object.assign(rule, { fired: () => fired });
}

export async function startFaultProxy(upstream: string, caPem: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  const agent = new https.Agent({ ca: caPem, keepAlive: true });
  const requests: ProxiedRequest[] = [];
  const watches = new Set<http.ServerResponse>();
  const paths = new WeakMap<http.ServerResponse, string>();
  const delivered: { path: string; chunks: Buffer[] }[] = [];
  let rule: FaultRule | undefined;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const watch = url.searchParams.get('watch') === 'true';
    const entry: ProxiedRequest = { method: req.method ?? 'GET', path: `${url.pathname}${url.search}`, watch, status: 0 };
    requests.push(entry);
    const fault = rule?.({ method: entry.method, path: entry.path, watch });
    if (fault?.status === 200) {
      entry.status = 200;
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(fault.text);
      req.resume();
      return;
    }
    if (fault) {
      entry.status = fault.status;
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
      res.writeHead(fault.status, headers);
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `injected ${fault.status}`, reason: fault.status === 429 ? 'TooManyRequests' : 'ServiceUnavailable', code: fault.status }));
      req.resume();
      return;
    }
    // Registered before the upstream answers: a client that gave up early must not count as open.
    let closed = false;
    res.on('close', () => {
      closed = true;
      watches.delete(res);
    });
    const upstreamReq = https.request(
      { protocol: 'https:', hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent },
      (up) => {
        entry.status = up.statusCode ?? 0;
        res.writeHead(up.statusCode ?? 502, up.headers);
        if (watch && !closed) {
          watches.add(res);
          paths.set(res, entry.path);
          const stream = { path: entry.path, chunks: [] as Buffer[] };
          delivered.push(stream);
          up.on('data', (chunk: Buffer) => stream.chunks.push(chunk));
        }
        up.pipe(res);
        res.on('close', () => up.destroy());
      },
    );
    upstreamReq.on('error', () => res.destroy());
    req.pipe(upstreamReq);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setRule: (r) => (rule = r),
    cutWatches(pathPart = '') {
      const cut = [...watches].filter((w) => (paths.get(w) ?? '').includes(pathPart));
      for (const w of cut) {
        w.destroy();
        watches.delete(w);
      }
      return cut.length;
    },
    openWatches: () => watches.size,
    openWatchPaths: () => [...watches].map((w) => paths.get(w) ?? '?'),
    watchText: (pathPart) => delivered.filter((d) => d.path.includes(pathPart)).map((d) => Buffer.concat(d.chunks).toString('utf8')).join(''),
    async stop() {
      for (const w of watches) w.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
