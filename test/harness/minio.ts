// A real MinIO server on 127.0.0.1 for the duration of a test file (built by test/setup/20-minio.sh).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cacheBin } from './cache.js';
import { freePort, waitForPort } from './ports.js';

export type MinioServer = {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: string;
  stop(): Promise<void>;
};

/** `host`: the address to bind (default 127.0.0.1); the cluster tier binds the node's bridge IP so pods reach it. */
export async function startMinio(options: { host?: string } = {}): Promise<MinioServer> {
  const host = options.host ?? '127.0.0.1';
  const bin = cacheBin('minio');
  if (!existsSync(bin)) throw new Error(`${bin} is missing: run bash test/setup/install.sh first`);
  const port = await freePort();
  const consolePort = await freePort();
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-minio-'));
  const accessKey = 'lakebench-test';
  const secretKey = 'lakebench-test-secret';
  const child: ChildProcess = spawn(bin, ['server', dataDir, '--address', `${host}:${port}`, '--console-address', `${host}:${consolePort}`, '--quiet'], {
    env: { ...process.env, MINIO_ROOT_USER: accessKey, MINIO_ROOT_PASSWORD: secretKey, MINIO_REGION: 'us-east-1', MINIO_BROWSER: 'off' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  try {
    await waitForPort(port, 30_000, host);
    // The port opens before the object layer is ready; the health endpoint says when it is.
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const res = await fetch(`http://${host}:${port}/minio/health/ready`).catch(() => undefined);
      if (res?.ok) break;
      await new Promise((r) => setTimeout(r, 200));
    }
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`MinIO did not start: ${(e as Error).message}\n${stderr}`);
  }
  return {
    endpoint: `http://${host}:${port}`,
    accessKey,
    secretKey,
    region: 'us-east-1',
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
