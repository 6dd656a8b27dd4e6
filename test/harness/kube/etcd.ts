// A single-member etcd on 127.0.0.1 holding the test API server's state.
import { kubeBinaries } from './binaries.js';
import { startProcess, type ManagedProcess } from './process.js';
import { freePort } from '../ports.js';
import { waitUntil } from './wait.js';

export type Etcd = { clientUrl: string; process: ManagedProcess };

export async function startEtcd(dataDir: string): Promise<Etcd> {
  const clientPort = await freePort();
  const peerPort = await freePort();
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const etcd = startProcess('etcd', kubeBinaries.etcd, [
    '--name=lakebench',
    `--data-dir=${dataDir}`,
    `--listen-client-urls=${clientUrl}`,
    `--advertise-client-urls=${clientUrl}`,
    `--listen-peer-urls=${peerUrl}`,
    `--initial-advertise-peer-urls=${peerUrl}`,
    `--initial-cluster=lakebench=${peerUrl}`,
    '--log-level=warn',
    // The data dies with the test; skipping fsync keeps writes fast on a shared CI disk.
    '--unsafe-no-fsync',
  ]);
  try {
    await waitUntil('etcd /health', 60_000, etcd, async () => {
      const res = await fetch(`${clientUrl}/health`).catch(() => undefined);
      if (!res?.ok) return false;
      const body = (await res.json()) as { health?: string };
      return body.health === 'true';
    });
  } catch (e) {
    await etcd.stop();
    throw e;
  }
  return { clientUrl, process: etcd };
}

/** Compacts (physically) up to the current revision through etcd's JSON gateway; returns it. */
export async function compactEtcd(clientUrl: string): Promise<number> {
  const post = async (endpoint: string, body: object) => {
    const res = await fetch(`${clientUrl}${endpoint}`, { method: 'POST', body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`etcd ${endpoint} answered ${res.status}: ${await res.text()}`);
    return (await res.json()) as { header?: { revision?: string } };
  };
  // A range read of any key returns the store's current revision in its header.
  const revision = Number((await post('/v3/kv/range', { key: Buffer.from('/').toString('base64') })).header?.revision);
  if (!Number.isInteger(revision) || revision < 1) throw new Error('etcd did not report its revision');
  await post('/v3/kv/compaction', { revision: String(revision), physical: true });
  return revision;
}
