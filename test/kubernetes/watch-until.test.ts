// List-then-watch (runner/src/platforms/kubernetes/watch.ts over watch-stream.ts) against the real
// kube-apiserver, as the runner under the chart's runner Role through the fault proxy: the list first,
// then every later change in order until the caller says stop; objects of the wrong shape dropped;
// an abort that closes a watch on a quiet collection at once; a throwing handler that ends the watch;
// a watch the Role refuses reported with its HTTP status.
import { describe, expect, it } from 'vitest';
import type { RuntimeEnv } from './runtime-env.js';
import { useRuntimeEnv } from './fixtures/suite-servers.js';
import { watchUntil, type WatchEventType, type WatchSpec } from '../../runner/src/platforms/kubernetes/watch.js';
import { WatchHttpError } from '../../runner/src/platforms/kubernetes/watch-stream.js';
import { listed, safe, sparkAppSchema, type SparkApp } from '../../runner/src/platforms/kubernetes/objects.js';
import { SPARK_GROUP, SPARK_PLURAL, SPARK_VERSION } from '../../runner/src/platforms/kubernetes/spark-monitor.js';
import type { KubeClient } from '../../runner/src/platforms/kubernetes/client.js';

const appsPath = (ns: string) => `/apis/${SPARK_GROUP}/${SPARK_VERSION}/namespaces/${ns}/${SPARK_PLURAL}`;
const listApps = (client: KubeClient) => async () =>
  listed(await client.custom.listNamespacedCustomObject({ group: SPARK_GROUP, version: SPARK_VERSION, namespace: client.namespace, plural: SPARK_PLURAL }));
const line = (type: WatchEventType, a: SparkApp) => `${type} ${a.metadata.name} ${a.status?.applicationState?.state ?? 'NEW'}`;

/** A SparkApplication watch of the client's namespace; the test gives what it sees and decides. */
const appWatch = (client: KubeClient, spec: Pick<WatchSpec<SparkApp>, 'onObject'> & Partial<WatchSpec<SparkApp>>): WatchSpec<SparkApp> => ({
  what: 'sparkapplication',
  path: appsPath(client.namespace),
  list: listApps(client),
  parse: safe(sparkAppSchema),
  ...spec,
});

async function waitForWatch(env: RuntimeEnv, ns: string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!env.proxy.openWatchPaths().some((p) => p.includes(`/namespaces/${ns}/`))) {
    if (Date.now() > deadline) throw new Error(`no watch opened in ${ns}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('list-then-watch', () => {
  const env = useRuntimeEnv({ noOpenWatches: true });

  it('delivers the list, then every later change in order, and ends when the handler says so', async () => {
    const { client, op } = await env.namespace('watch-order');
    await op.createApp('first');
    const seen: string[] = [];
    let listedDone: () => void = () => {};
    const afterList = new Promise<void>((r) => (listedDone = r));
    const watching = watchUntil(
      client,
      appWatch(client, {
        onListed: (items) => {
          seen.push(`list of ${items.length}`);
          listedDone();
          return false;
        },
        onObject: (type, a) => {
          seen.push(line(type, a));
          return a.metadata.name === 'first' && a.status?.applicationState?.state === 'COMPLETED';
        },
      }),
    );
    await afterList;
    await op.createApp('second');
    await op.setState('second', 'RUNNING');
    await op.setState('first', 'COMPLETED');
    const stats = await watching;
    expect(seen).toEqual(['list of 1', 'LISTED first NEW', 'ADDED second NEW', 'MODIFIED second RUNNING', 'MODIFIED first COMPLETED']);
    expect(stats).toEqual({ lists: 1, watches: 1, expired: 0, dropped: 0 });
  });

  it('ends on the list alone when it already answers, without opening a watch', async () => {
    const { client, op } = await env.namespace('watch-listed');
    await op.createApp('done');
    const stats = await watchUntil(client, appWatch(client, { onListed: (items) => items.length === 1, onObject: () => false }));
    expect(stats).toEqual({ lists: 1, watches: 0, expired: 0, dropped: 0 });
  });

  it('drops an object that does not match the expected shape, with a log line, and goes on', async () => {
    const { client, op } = await env.namespace('watch-shape');
    const seen: string[] = [];
    const logs: string[] = [];
    const watching = watchUntil(
      client,
      appWatch(client, {
        // A parser that refuses apps named `odd`, as a schema refuses a malformed object.
        parse: (o) => {
          const a = safe(sparkAppSchema)(o);
          return a?.metadata.name === 'odd' ? undefined : a;
        },
        onObject: (type, a) => {
          seen.push(line(type, a));
          return a.status?.applicationState?.state === 'COMPLETED';
        },
        log: (l) => logs.push(l),
      }),
    );
    await waitForWatch(env, 'watch-shape');
    await op.createApp('odd');
    await op.createApp('even');
    await op.setState('even', 'COMPLETED');
    await watching;
    expect(seen).toEqual(['ADDED even NEW', 'MODIFIED even COMPLETED']);
    expect(logs).toContain('sparkapplication: ignored an object that does not match the expected shape');
  });

  it('closes a watch on a quiet collection as soon as the caller aborts, with the caller’s reason', async () => {
    const { client } = await env.namespace('watch-quiet');
    const stop = new AbortController();
    const watching = watchUntil(client, appWatch(client, { onObject: () => false, signal: stop.signal }));
    await waitForWatch(env, 'watch-quiet');
    const t0 = Date.now();
    stop.abort(new Error('stage over'));
    await expect(watching).rejects.toThrow('stage over');
    expect(Date.now() - t0).toBeLessThan(2_000);
  });

  it('ends the watch and rejects when the handler throws', async () => {
    const { client, op } = await env.namespace('watch-throw');
    const watching = watchUntil(
      client,
      appWatch(client, {
        onObject: (type) => {
          if (type === 'ADDED') throw new Error('handler refused');
          return false;
        },
      }),
    );
    // Settled as soon as it rejects: the rejection can come while createApp is still awaited.
    const outcome = watching.then(() => undefined, (e: unknown) => e);
    await waitForWatch(env, 'watch-throw');
    await op.createApp('boom');
    expect(await outcome).toEqual(new Error('handler refused'));
  });

  it('reports a watch the Role refuses with its HTTP status (the runner may not watch ConfigMaps)', async () => {
    const { client } = await env.namespace('watch-refused');
    const err = await new Promise<unknown>((resolve) => client.watch('configmap', `/api/v1/namespaces/watch-refused/configmaps`, {}, new AbortController().signal, () => {}, resolve));
    expect(err).toBeInstanceOf(WatchHttpError);
    expect((err as WatchHttpError).statusCode).toBe(403);
  });
});
