// The runner's Prometheus endpoint (`lakebench run --metrics-port`): GET /metrics serves the run's
// gauges in the text exposition format for as long as the run lasts; anything else is a 404. The
// chart turns it on in cluster runs (observability.enabled or observability.monitors) and names the
// container port `metrics`, which its Prometheus discovers.
import http from 'node:http';
import { BadInputError } from '../../util/errors.js';
import type { RunGauges } from './run-gauges.js';

export const METRICS_PATH = '/metrics';
const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

export type MetricsEndpoint = {
  /** The port it listens on (the one asked for, or the kernel's choice for 0). */
  port: number;
  /**
   * Resolves once a scrape has served the latest state, or after `timeoutMs`: the values a run
   * ends with (the last stage's duration, the last query) reach Prometheus before the process exits.
   */
  waitForScrape(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
};

/** Listens on all interfaces (Prometheus scrapes the pod IP); a port that cannot be bound is bad input. */
export async function startMetricsEndpoint(gauges: RunGauges, port: number, host = '0.0.0.0'): Promise<MetricsEndpoint> {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new BadInputError(`must be a port number (0-65535), got ${port}`, '--metrics-port');
  let servedVersion = -1;
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== METRICS_PATH) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`only GET ${METRICS_PATH} is served\n`);
      return;
    }
    const version = gauges.version;
    res.writeHead(200, { 'content-type': CONTENT_TYPE }).end(gauges.render());
    servedVersion = Math.max(servedVersion, version);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(new BadInputError(`cannot serve metrics on ${host}:${port} (${e.code ?? e.message})`, '--metrics-port')));
    server.listen(port, host, () => resolve());
  });
  // A scrape in progress must not keep the process alive once the run is over.
  server.unref();
  const address = server.address();
  const boundPort = typeof address === 'object' && address ? address.port : port;
  return {
    port: boundPort,
    async waitForScrape(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (servedVersion < gauges.version) {
        if (Date.now() >= deadline) return false;
        await new Promise((r) => setTimeout(r, 100));
      }
      return true;
    },
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
