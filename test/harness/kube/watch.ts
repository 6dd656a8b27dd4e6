// Records the events of one client-node watch so a test can wait for the ones it expects.
import { Watch, type KubeConfig, type KubernetesObject } from '@kubernetes/client-node';

export type WatchEvent = { type: string; object: KubernetesObject };

export type RecordedWatch = {
  events: WatchEvent[];
  /** Resolves with all events so far once `done(events)` holds; rejects on timeout or if the watch ends first. */
  waitFor(done: (events: WatchEvent[]) => boolean, timeoutMs?: number): Promise<WatchEvent[]>;
  /** Set when the server or the connection ended the watch (null: closed cleanly). */
  ended(): { error: unknown } | undefined;
  stop(): void;
};

export async function recordWatch(kc: KubeConfig, path: string, resourceVersion?: string): Promise<RecordedWatch> {
  const events: WatchEvent[] = [];
  let end: { error: unknown } | undefined;
  const controller = await new Watch(kc).watch(
    path,
    resourceVersion ? { resourceVersion, allowWatchBookmarks: false } : {},
    (type: string, object: KubernetesObject) => void events.push({ type, object }),
    (error: unknown) => (end = { error }),
  );
  return {
    events,
    ended: () => end,
    stop: () => controller.abort(),
    async waitFor(done, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (done(events)) return [...events];
        if (end) throw new Error(`watch on ${path} ended (${String(end.error)}) before the expected events; saw ${JSON.stringify(events.map((e) => e.type))}`);
        if (Date.now() > deadline) throw new Error(`expected watch events on ${path} not seen in ${timeoutMs} ms; saw ${JSON.stringify(events.map((e) => e.type))}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}
