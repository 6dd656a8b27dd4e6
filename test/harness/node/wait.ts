// Polls a check until it passes, failing early when one of the node's processes dies (with that
// process's output), or at the deadline with the last error seen.
import type { ManagedProcess } from '../kube/process.js';

export async function waitFor(what: string, timeoutMs: number, watched: ManagedProcess[], check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  const died = Promise.race(watched.map((p) => p.exited));
  died.catch(() => undefined); // a process dying after the wait is someone else's concern
  while (Date.now() < deadline) {
    const ok = await Promise.race([
      check().catch((e: unknown) => {
        lastError = e instanceof Error ? e.message : String(e);
        return false;
      }),
      died,
    ]);
    if (ok) return;
    await Promise.race([new Promise((r) => setTimeout(r, 500)), died]);
  }
  throw new Error(`${what}: not ready after ${timeoutMs / 1000} s${lastError ? ` (last error: ${lastError})` : ''}`);
}
