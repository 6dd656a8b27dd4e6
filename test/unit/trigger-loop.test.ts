// The embedded jobs' processing-time trigger: batches start on interval boundaries, never two at
// once, an overrunning batch is followed at once (no burst), and a batch that throws ends the job.
import { describe, expect, it } from 'vitest';
import { startTriggerLoop } from '../../runner/src/platforms/embedded/trigger-loop.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('trigger loop', () => {
  it('runs one batch per interval and stops after the batch in flight', async () => {
    const starts: number[] = [];
    const t0 = Date.now();
    const loop = startTriggerLoop(200, async () => {
      starts.push(Date.now() - t0);
    });
    await sleep(1050);
    await loop.stop();
    expect(starts.length).toBeGreaterThanOrEqual(5);
    expect(starts.length).toBeLessThanOrEqual(7);
    expect(loop.error()).toBeUndefined();
  });

  it('follows an overrunning batch at once without running two together', async () => {
    let active = 0;
    let overlap = false;
    let n = 0;
    const loop = startTriggerLoop(100, async () => {
      active++;
      if (active > 1) overlap = true;
      n++;
      await sleep(250);
      active--;
    });
    await sleep(1000);
    await loop.stop();
    expect(overlap).toBe(false);
    expect(n).toBeGreaterThanOrEqual(3);
    expect(n).toBeLessThanOrEqual(5);
  });

  it('ends the job with the error of a batch that throws', async () => {
    let n = 0;
    const loop = startTriggerLoop(50, async () => {
      n++;
      if (n === 2) throw new Error('disk full');
    });
    await sleep(400);
    await loop.stop();
    expect(n).toBe(2);
    expect(loop.error()?.message).toBe('disk full');
  });
});
