// The run Lease against the real kube-apiserver, under the chart's runner Role (create/get/update
// only): two runners contending, a stale holder taken over, a lost lease noticed, release.
import { CoordinationV1Api } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { useRuntimeEnv } from './fixtures/suite-servers.js';
import { LEASE_NAME, LeaseHeldError, RunLease } from '../../runner/src/platforms/kubernetes/lease.js';

describe('run lease', () => {
  const env = useRuntimeEnv();

  it('lets exactly one of two simultaneous runners start; the other names the holder', async () => {
    const { client: a } = await env.namespace('lease-race');
    // Two runners in the same namespace: two clients for the same ServiceAccount (two Jobs).
    const { client: second } = await env.clientFor('lease-race');
    const one = new RunLease(a, { holder: 'runner-job-1' });
    const two = new RunLease(second, { holder: 'runner-job-2' });
    const results = await Promise.allSettled([one.acquire(), two.acquire()]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(LeaseHeldError);
    const winner = results[0]!.status === 'fulfilled' ? 'runner-job-1' : 'runner-job-2';
    expect((lost[0]!.reason as LeaseHeldError).holder).toBe(winner);
    expect((lost[0]!.reason as Error).message).toContain(`holder ${winner}`);
    await one.release();
    await two.release();
    const lease = await env.admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: 'lease-race', name: LEASE_NAME });
    expect(lease.spec?.holderIdentity).toBeUndefined();
  });

  it('waits for the holder when asked, and takes the lease once it is released', async () => {
    const { client } = await env.namespace('lease-wait');
    const { client: other } = await env.clientFor('lease-wait');
    const first = new RunLease(client, { holder: 'cron-1', durationSeconds: 30 });
    await first.acquire();
    let saidWaiting!: () => void;
    const isWaiting = new Promise<void>((r) => (saidWaiting = r));
    const waiting = new RunLease(other, { holder: 'cron-2', durationSeconds: 30, waitSeconds: 60, log: (line) => line.startsWith('waiting for the Lease') && saidWaiting() });
    const acquired = waiting.acquire();
    // Released only once the second runner has found the lease held and is waiting (not after a fixed sleep).
    await withDeadline(isWaiting, 30_000, 'the second runner to wait for the lease');
    await first.release();
    await acquired;
    const lease = await env.admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: 'lease-wait', name: LEASE_NAME });
    expect(lease.spec?.holderIdentity).toBe('cron-2');
    await waiting.release();
  });

  it('takes over a stale lease (holder stopped renewing), and the old holder learns it lost it', async () => {
    const { client } = await env.namespace('lease-stale');
    const { client: other } = await env.clientFor('lease-stale');
    // The dead runner's clock: it acquired 10 minutes ago with a 60 s lease and never renewed.
    const past = () => new Date(Date.now() - 600_000);
    let lostTo: string | undefined;
    const dead = new RunLease(client, { holder: 'dead-runner', durationSeconds: 60, now: past, onLost: (h) => (lostTo = h) });
    await dead.acquire();
    const fresh = new RunLease(other, { holder: 'new-runner', durationSeconds: 60 });
    await fresh.acquire();
    const lease = await env.admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: 'lease-stale', name: LEASE_NAME });
    expect(lease.spec?.holderIdentity).toBe('new-runner');
    expect(lease.spec?.leaseTransitions).toBe(1);
    // The stalled runner wakes up and renews with the version it read: 409, re-read, lost.
    await dead.renew();
    expect(lostTo).toBe('new-runner');
    // ... and its release leaves the new holder alone.
    await dead.release();
    const after = await env.admin.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: 'lease-stale', name: LEASE_NAME });
    expect(after.spec?.holderIdentity).toBe('new-runner');
    await fresh.release();
  });

  it('renews while held: renewTime moves on and the holder stays', async () => {
    const { client } = await env.namespace('lease-renew');
    const lease = new RunLease(client, { holder: 'runner', durationSeconds: 3 });
    await lease.acquire();
    const coordination = env.admin.makeApiClient(CoordinationV1Api);
    const first = await coordination.readNamespacedLease({ namespace: 'lease-renew', name: LEASE_NAME });
    const renewedAt = (l: typeof first) => new Date(l.spec?.renewTime ?? 0).getTime();
    // The renewal (every duration/3 = 1 s) is awaited with a deadline, not a fixed sleep.
    const deadline = Date.now() + 30_000;
    let later = first;
    while (renewedAt(later) <= renewedAt(first)) {
      if (Date.now() > deadline) throw new Error(`the lease was not renewed within 30 s (renewTime still ${String(first.spec?.renewTime)})`);
      await new Promise((r) => setTimeout(r, 100));
      later = await coordination.readNamespacedLease({ namespace: 'lease-renew', name: LEASE_NAME });
    }
    expect(later.spec?.holderIdentity).toBe('runner');
    expect(later.spec?.leaseTransitions).toBe(first.spec?.leaseTransitions);
    await lease.release();
  });
});

async function withDeadline<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([p, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}
