// One watch connection, abortable at any moment. client-node's Watch (1.4.0) creates its
// AbortController inside and hands it back only once the response headers arrive, and the API
// server sends those with the first event (or bookmark). A watch on a quiet collection (the pods of
// an application that never started) could therefore not be closed: it stayed open until the server's
// timeout (up to 15 min), one per stage. This is the same request and line protocol as client-node's
// (same node-fetch, same auth through KubeConfig.applyToFetchOptions), with the caller's signal on
// the request from the start.
import { createInterface } from 'node:readline';
import { STATUS_CODES } from 'node:http';
import type { KubeConfig } from '@kubernetes/client-node';
import fetch from 'node-fetch';

export type WatchParams = Record<string, string | number | boolean | undefined>;

/** A watch refused with an HTTP status (e.g. 410 Gone, 429); `statusCode` as client-node reports it. */
export class WatchHttpError extends Error {
  override readonly name = 'WatchHttpError';
  constructor(readonly statusCode: number) {
    super(STATUS_CODES[statusCode] ?? `HTTP ${statusCode}`);
  }
}

/**
 * Streams `path`'s watch events to `onEvent` until the stream ends, fails or `signal` aborts; then
 * calls `done` exactly once (null for a clean end by the server). Never throws.
 */
export async function streamWatch(kc: KubeConfig, path: string, params: WatchParams, signal: AbortSignal, onEvent: (type: string, object: unknown) => void, done: (err: unknown) => void): Promise<void> {
  let called = false;
  const finish = (err: unknown) => {
    if (called) return;
    called = true;
    done(err);
  };
  try {
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new Error('no current Kubernetes cluster');
    const url = new URL(cluster.server + path);
    url.searchParams.set('watch', 'true');
    for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, String(v));
    const init = await kc.applyToFetchOptions({});
    signal.throwIfAborted();
    const res = await fetch(url, { ...init, method: 'GET', signal });
    if (res.status !== 200) {
      res.body.resume();
      throw new WatchHttpError(res.status);
    }
    const body = res.body;
    // An abort after the headers: node-fetch ends the body with an AbortError, which ends it here.
    body.on('error', finish);
    const lines = createInterface({ input: body });
    // readline re-emits the body's errors; unhandled, that would crash the runner.
    lines.on('error', finish);
    lines.on('line', (line) => {
      let event: { type?: unknown; object?: unknown };
      try {
        event = JSON.parse(line) as { type?: unknown; object?: unknown };
      } catch {
        return; // a partial line cut by a dropped connection; the stream's end follows
      }
      if (typeof event.type === 'string') onEvent(event.type, event.object);
    });
    lines.on('close', () => finish(null));
  } catch (e) {
    finish(e);
  }
}
