// `lakebench run --metrics-port`: a port the runner cannot serve is bad input, refused with the flag's
// name and exit code 2 before any run record exists. (Serving the gauges during a real run, scraped by
// a real Prometheus, is test/engines/observability.test.ts.)
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lakebench } from '../harness/cli.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-metrics-port-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const runs = (out: string) => (existsSync(path.join(out, 'runs')) ? readdirSync(path.join(out, 'runs')) : []);

describe('lakebench run --metrics-port', () => {
  it('a port already in use: exit 2 naming --metrics-port, no run left behind', async () => {
    const holder = net.createServer();
    await new Promise<void>((r) => holder.listen(0, '0.0.0.0', () => r()));
    const port = (holder.address() as net.AddressInfo).port;
    try {
      const out = path.join(tmp, 'busy');
      const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out, '--metrics-port', String(port)]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(`--metrics-port: cannot serve metrics on 0.0.0.0:${port} (EADDRINUSE)`);
      expect(runs(out)).toEqual([]);
    } finally {
      holder.close();
    }
  });

  it('not a port number: exit 2 naming --metrics-port', async () => {
    const out = path.join(tmp, 'range');
    const r = await lakebench(['run', '--local', '--scale', '0.01', '--output', out, '--metrics-port', '70000']);
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--metrics-port: must be a port number (0-65535), got 70000');
    expect(runs(out)).toEqual([]);
  });
});
