// One run at a time per namespace: a coordination.k8s.io/v1 Lease named `lakebench-run`, taken
// before a run and renewed while it runs. Every write carries the resourceVersion it read, so two
// runners (two Jobs, a CronJob and a laptop) can never both believe they hold it: the loser gets
// 409 Conflict, re-reads, and sees the winner. A holder that stopped renewing for longer than the
// lease duration (its pod was killed, its node lost) is taken over. Releasing clears the holder;
// the chart's Role has no delete on leases, on purpose.
import type { V1Lease } from '@kubernetes/client-node';
import type { KubeClient } from './client.js';
import { hasStatus } from './client.js';
import { BadInputError } from '../../util/errors.js';

export const LEASE_NAME = 'lakebench-run';
/** While waiting for another run, the lease is read this often (no watch verb on leases in the Role). */
const WAIT_POLL_MS = 5000;

export type LeaseOptions = {
  holder: string;
  durationSeconds?: number;
  /** Wait for the current holder instead of refusing; the number is the longest wait in seconds. */
  waitSeconds?: number;
  /** Called if another runner took the lease from under this one (this runner stalled). */
  onLost?: (holder: string) => void;
  log?: (line: string) => void;
  now?: () => Date;
};

/**
 * A MicroTime as the server parses it (RFC 3339 with exactly six fractional digits). client-node
 * 1.4.0 types these fields as Date but does not serialize them (a Date becomes millisecond JSON,
 * which the server rejects with 400), so the wire string is passed through in the Date's place.
 */
export function microTime(d: Date): Date {
  return d.toISOString().replace(/\.(\d{3})Z$/, '.$1000Z') as unknown as Date;
}

export class LeaseHeldError extends BadInputError {
  constructor(
    readonly holder: string,
    message: string,
  ) {
    super(message, `lease ${LEASE_NAME}`);
  }
}

/** When the lease stops being valid, read from its own renew time (the holder's clock). */
export function leaseExpiry(lease: V1Lease): Date | null {
  const renewed = lease.spec?.renewTime ?? lease.spec?.acquireTime;
  if (!renewed || !lease.spec?.holderIdentity) return null;
  return new Date(new Date(renewed).getTime() + (lease.spec.leaseDurationSeconds ?? 0) * 1000);
}

export class RunLease {
  private lease: V1Lease | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly duration: number;
  private readonly now: () => Date;
  private lost = false;

  constructor(
    private readonly client: KubeClient,
    private readonly opts: LeaseOptions,
  ) {
    this.duration = opts.durationSeconds ?? 120;
    this.now = opts.now ?? (() => new Date());
  }

  get holder(): string {
    return this.opts.holder;
  }

  /** Takes the lease (or throws LeaseHeldError naming the holder) and starts renewing it. */
  async acquire(): Promise<void> {
    const deadline = Date.now() + (this.opts.waitSeconds ?? 0) * 1000;
    for (;;) {
      const outcome = await this.tryAcquire();
      if (outcome === 'acquired') break;
      if (outcome === 'conflict') continue;
      const expiry = leaseExpiry(outcome);
      const holder = outcome.spec?.holderIdentity ?? '?';
      const message = `another lakebench run holds the Lease ${LEASE_NAME} in namespace ${this.client.namespace}: holder ${holder}, last renewed ${String(outcome.spec?.renewTime ?? outcome.spec?.acquireTime)}, valid until ${expiry?.toISOString() ?? '?'}. Wait for it to finish (or pass --wait-for-lease), or, if that run is dead, the lease can be taken over after it expires`;
      if (Date.now() >= deadline) throw new LeaseHeldError(holder, message);
      this.opts.log?.(`waiting for the Lease ${LEASE_NAME} (held by ${holder})`);
      const untilExpiry = expiry ? expiry.getTime() - this.now().getTime() : this.duration * 1000;
      await new Promise((r) => setTimeout(r, Math.max(1000, Math.min(untilExpiry + 250, WAIT_POLL_MS, deadline - Date.now()))));
    }
    this.schedule();
  }

  /** 'acquired', 'conflict' (raced; read again), or the lease someone else validly holds. */
  private async tryAcquire(): Promise<'acquired' | 'conflict' | V1Lease> {
    const ns = this.client.namespace;
    const now = this.now();
    let current: V1Lease;
    try {
      current = await this.client.call('lease get', () => this.client.coordination.readNamespacedLease({ namespace: ns, name: LEASE_NAME }));
    } catch (e) {
      if (!hasStatus(e, 404)) throw e;
      try {
        this.lease = await this.client.call('lease create', () =>
          this.client.coordination.createNamespacedLease({
            namespace: ns,
            body: { metadata: { name: LEASE_NAME }, spec: { holderIdentity: this.opts.holder, leaseDurationSeconds: this.duration, acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0 } },
          }),
        );
        return 'acquired';
      } catch (c) {
        if (hasStatus(c, 409)) return 'conflict';
        throw c;
      }
    }
    const holder = current.spec?.holderIdentity;
    const expiry = leaseExpiry(current);
    const free = !holder || holder === this.opts.holder || (expiry !== null && expiry.getTime() < now.getTime());
    if (!free) return current;
    if (holder && holder !== this.opts.holder) this.opts.log?.(`taking over the Lease ${LEASE_NAME} from ${holder}: not renewed since ${String(current.spec?.renewTime)}`);
    const body: V1Lease = {
      ...current,
      spec: {
        ...current.spec,
        holderIdentity: this.opts.holder,
        leaseDurationSeconds: this.duration,
        acquireTime: microTime(now),
        renewTime: microTime(now),
        leaseTransitions: (current.spec?.leaseTransitions ?? 0) + (holder === this.opts.holder ? 0 : 1),
      },
    };
    try {
      this.lease = await this.client.call('lease update', () => this.client.coordination.replaceNamespacedLease({ namespace: ns, name: LEASE_NAME, body }));
      return 'acquired';
    } catch (e) {
      if (hasStatus(e, 409)) return 'conflict';
      throw e;
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.renew().finally(() => !this.lost && this.lease && this.schedule()), (this.duration * 1000) / 3);
    this.timer.unref();
  }

  /** One renewal; a conflict means someone else wrote it: re-read, and keep it only if it is still ours. */
  async renew(): Promise<void> {
    if (!this.lease || this.lost) return;
    const ns = this.client.namespace;
    const body: V1Lease = { ...this.lease, spec: { ...this.lease.spec, renewTime: microTime(this.now()) } };
    try {
      this.lease = await this.client.call('lease update', () => this.client.coordination.replaceNamespacedLease({ namespace: ns, name: LEASE_NAME, body }));
    } catch (e) {
      if (!hasStatus(e, 409)) {
        this.opts.log?.(`lease renewal failed (${(e as Error).message}); retrying at the next interval`);
        return;
      }
      const current = await this.client.call('lease get', () => this.client.coordination.readNamespacedLease({ namespace: ns, name: LEASE_NAME }));
      if (current.spec?.holderIdentity === this.opts.holder) {
        this.lease = current;
        return this.renew();
      }
      this.lost = true;
      this.opts.onLost?.(current.spec?.holderIdentity ?? '?');
    }
  }

  /** Stops renewing and clears the holder, unless someone else holds it by now. */
  async release(): Promise<void> {
    clearTimeout(this.timer);
    const lease = this.lease;
    this.lease = undefined;
    if (!lease || this.lost) return;
    const ns = this.client.namespace;
    const body: V1Lease = { ...lease, spec: { ...lease.spec, holderIdentity: undefined, acquireTime: undefined, renewTime: undefined } };
    try {
      await this.client.call('lease update', () => this.client.coordination.replaceNamespacedLease({ namespace: ns, name: LEASE_NAME, body }));
    } catch (e) {
      if (!hasStatus(e, 409)) throw e;
      const current = await this.client.call('lease get', () => this.client.coordination.readNamespacedLease({ namespace: ns, name: LEASE_NAME }));
      if (current.spec?.holderIdentity === this.opts.holder) {
        this.lease = current;
        await this.release();
      }
    }
  }
}
