// The Trino bench's readings: airlift Duration strings as Trino 476 serialises QueryStats, and a
// process's CPU seconds from /proc (read here for this test's own process, checked against Node's count).
import { describe, expect, it } from 'vitest';
import { durationSeconds, processCpuSeconds } from '../../bench/trino-query-stats.js';

describe('durationSeconds', () => {
  it('converts every unit Trino writes to seconds', () => {
    expect(durationSeconds('850.00ms')).toBeCloseTo(0.85, 9);
    expect(durationSeconds('1.23s')).toBeCloseTo(1.23, 9);
    expect(durationSeconds('2.00m')).toBe(120);
    expect(durationSeconds('12.50us')).toBeCloseTo(12.5e-6, 12);
    expect(durationSeconds('3.00ns')).toBeCloseTo(3e-9, 15);
    expect(durationSeconds('1.50h')).toBe(5400);
    expect(durationSeconds('1.00d')).toBe(86400);
  });

  it('refuses what is not a duration, naming it', () => {
    for (const bad of ['', '1.23', 's', '1.23 sec', '-1.00s', 'NaNs']) expect(() => durationSeconds(bad)).toThrow(`not a Trino duration: ${JSON.stringify(bad)}`);
  });
});

describe('processCpuSeconds', () => {
  it('agrees with the CPU Node itself counts for this process', () => {
    const cpu = () => {
      const u = process.cpuUsage();
      return (u.user + u.system) / 1e6;
    };
    const [proc0, node0] = [processCpuSeconds(process.pid), cpu()];
    // Burn 0.3 CPU-seconds, however long that takes on a busy machine.
    let x = 0;
    while (cpu() - node0 < 0.3) for (let i = 0; i < 1e5; i++) x += Math.sqrt(i);
    expect(x).toBeGreaterThan(0);
    const [proc, node] = [processCpuSeconds(process.pid) - proc0, cpu() - node0];
    // /proc counts in clock ticks (10 ms): allow a few ticks either way.
    expect(Math.abs(proc - node)).toBeLessThan(0.05);
  });
});
