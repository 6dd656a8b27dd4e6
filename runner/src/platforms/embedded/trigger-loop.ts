// A processing-time trigger, as Spark's Structured Streaming runs one: a micro-batch starts at every
// multiple of the interval after the start; a batch that overruns its interval makes the next start
// as soon as it ends (never two at once, never a burst to catch up). The first batch runs at once.
// A batch that throws stops the loop: the job is dead, and says why.

export type TriggerLoop = {
  /** Ends the loop after the batch in flight (if any); resolves when nothing runs any more. */
  stop(): Promise<void>;
  /** The error that killed the loop, if one did. */
  error(): Error | undefined;
};

export function startTriggerLoop(intervalMs: number, batch: () => Promise<void>, now: () => number = Date.now): TriggerLoop {
  let stopped = false;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  let timer: NodeJS.Timeout | undefined;
  const t0 = now();
  const loop = (async () => {
    while (!stopped) {
      try {
        await batch();
      } catch (e) {
        failure = e instanceof Error ? e : new Error(String(e));
        return;
      }
      const elapsed = now() - t0;
      const wait = intervalMs - (elapsed % intervalMs);
      if (stopped) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, wait);
      });
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      wake?.();
      await loop;
    },
    error: () => failure,
  };
}
