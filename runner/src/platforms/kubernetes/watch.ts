// List-then-watch that survives what real clusters do to long watches: the server ending them
// (its request timeout), connections dropping (resumed from the last resourceVersion seen, so no
// event is missed or replayed twice), and 410 Gone when that resourceVersion has been compacted
// away (relist, then watch again). No polling: while nothing changes, no request is made.
import type { KubeClient } from './client.js';

export type WatchEventType = 'LISTED' | 'ADDED' | 'MODIFIED' | 'DELETED';
export type Listed = { items: unknown[]; resourceVersion: string };

export type WatchSpec<T> = {
  /** Label for the request log, e.g. 'sparkapplication'. */
  what: string;
  /** The collection's URL path, e.g. /api/v1/namespaces/x/pods. */
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  list: () => Promise<Listed>;
  /** Validates a wire object; undefined drops it (with a log line). */
  parse: (o: unknown) => T | undefined;
  /** Sees each (re)list as a whole, before its items; true ends the watch. */
  onListed?: (items: T[]) => boolean;
  /** Sees every object state in order; true ends the watch. */
  onObject: (type: WatchEventType, object: T) => boolean;
  signal?: AbortSignal;
  /**
   * Server-side watch timeout. The server ends a watch after at most this long, which bounds how
   * long a silently dead connection can go unnoticed; each renewal is one request.
   */
  timeoutSeconds?: number;
  log?: (line: string) => void;
};

export type WatchStats = { lists: number; watches: number; expired: number; dropped: number };

type Outcome = { kind: 'done' } | { kind: 'expired' } | { kind: 'closed'; error: unknown; sawEvents: boolean };

const statusSchemaCode = (o: unknown): number | undefined => {
  const code = (o as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};
const rvOf = (o: unknown): string | undefined => {
  const rv = (o as { metadata?: { resourceVersion?: unknown } } | null)?.metadata?.resourceVersion;
  return typeof rv === 'string' ? rv : undefined;
};

export async function watchUntil<T>(client: KubeClient, spec: WatchSpec<T>): Promise<WatchStats> {
  const stats: WatchStats = { lists: 0, watches: 0, expired: 0, dropped: 0 };
  const log = spec.log ?? (() => {});
  let rv: string | undefined;
  let failures = 0;
  for (;;) {
    spec.signal?.throwIfAborted();
    if (rv === undefined) {
      stats.lists++;
      const listed = await client.call(`${spec.what} list`, spec.list);
      const items = listed.items.flatMap((i) => {
        const p = spec.parse(i);
        return p === undefined ? [] : [p];
      });
      if (spec.onListed?.(items)) return stats;
      for (const item of items) if (spec.onObject('LISTED', item)) return stats;
      rv = listed.resourceVersion;
    }
    stats.watches++;
    const outcome = await watchOnce(client, spec, rv, (next) => (rv = next));
    if (outcome.kind === 'done') return stats;
    if (outcome.kind === 'expired') {
      stats.expired++;
      log(`${spec.what}: watch expired (410 Gone at resourceVersion ${rv}); relisting`);
      rv = undefined;
      continue;
    }
    spec.signal?.throwIfAborted();
    // A clean end is the server's timeout; an error is a dropped connection or a refused watch.
    if (outcome.error) {
      stats.dropped++;
      log(`${spec.what}: watch ended (${outcome.error instanceof Error ? outcome.error.message : String(outcome.error)}); resuming from resourceVersion ${rv}`);
    }
    failures = outcome.sawEvents || !outcome.error ? 0 : failures + 1;
    if (failures > 0) await client.backoff(failures - 1);
  }
}

function watchOnce<T>(client: KubeClient, spec: WatchSpec<T>, rv: string, setRv: (rv: string) => void): Promise<Outcome> {
  return new Promise<Outcome>((resolve, reject) => {
    let settled = false;
    let sawEvents = false;
    // Aborting it closes the connection whatever state it is in, headers received or not.
    const connection = new AbortController();
    const end = () => {
      settled = true;
      spec.signal?.removeEventListener('abort', onAbort);
      connection.abort();
    };
    const finish = (o: Outcome) => {
      if (settled) return;
      end();
      resolve(o);
    };
    const onAbort = () => {
      if (settled) return;
      end();
      reject(spec.signal?.reason instanceof Error ? spec.signal.reason : new Error('watch aborted'));
    };
    // An abort that came while the list was in flight fires no event: check first.
    if (spec.signal?.aborted) return onAbort();
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    const onEvent = (type: string, object: unknown) => {
      if (settled) return;
      sawEvents = true;
      if (type === 'ERROR') {
        // The server's way to say the resourceVersion is too old (HTTP status stays 200).
        if (statusSchemaCode(object) === 410) finish({ kind: 'expired' });
        else finish({ kind: 'closed', error: new Error(`watch error event: ${JSON.stringify(object).slice(0, 300)}`), sawEvents });
        return;
      }
      const next = rvOf(object);
      if (next) setRv(next);
      if (type === 'BOOKMARK') return;
      if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
      const parsed = spec.parse(object);
      if (parsed === undefined) {
        spec.log?.(`${spec.what}: ignored an object that does not match the expected shape`);
        return;
      }
      try {
        if (spec.onObject(type, parsed)) finish({ kind: 'done' });
      } catch (e) {
        end();
        reject(e);
      }
    };
    const onDone = (error: unknown) => {
      if ((error as { statusCode?: unknown } | null)?.statusCode === 410) finish({ kind: 'expired' });
      else finish({ kind: 'closed', error, sawEvents });
    };
    const params = {
      resourceVersion: rv,
      allowWatchBookmarks: true,
      timeoutSeconds: spec.timeoutSeconds ?? 900,
      fieldSelector: spec.fieldSelector,
      labelSelector: spec.labelSelector,
    };
    client.watch(spec.what, spec.path, params, connection.signal, onEvent, onDone);
  });
}
