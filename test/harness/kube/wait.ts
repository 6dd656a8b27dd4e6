// Polls a readiness check until it passes, failing early (with the process's output) if the
// process it waits for dies.
import type { ManagedProcess } from './process.js';

export async function waitUntil(what: string, timeoutMs: number, proc: ManagedProcess, ready: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    const ok = await Promise.race([
      ready().catch((e: unknown) => {
        lastError = e instanceof Error ? e.message : String(e);
        return false;
      }),
      proc.exited,
    ]);
    if (ok) return;
    await Promise.race([new Promise((r) => setTimeout(r, 250)), proc.exited]);
  }
  throw new Error(`${what} not ready after ${timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ''}\n${proc.logTail().slice(-4000)}`);
}
