// docs/pipeline.md §8.3: when a continuous run's retention and compaction passes fall (pure schedule),
// which actions a pass runs on which tables, and the config's bounds refused naming the field.
import { describe, expect, it } from 'vitest';
import { compactionIntervalSeconds, maintenancePasses } from '../../runner/src/pipeline/maintenance-schedule.js';
import { passActions, streamingMaintenanceTables } from '../../runner/src/platforms/kubernetes/streaming/streaming-maintenance.js';
import { badInputFrom as failure, parseConfigYaml as parse } from './fixtures/config-yaml.js';

const maintenance = (yaml = '{}') => parse(`continuous: { maintenance: ${yaml} }`).continuous.maintenance;
const when = (m: ReturnType<typeof maintenance>, duration: number) => maintenancePasses(m, duration).map((p) => `${p.atSeconds}${p.retention ? ' R' : ''}${p.compaction ? ' C' : ''}`);

describe('continuous maintenance schedule', () => {
  it('defaults to retention every 1800 s with a 30 min threshold, and compaction at twice the retention interval', () => {
    const m = maintenance();
    expect(m).toEqual({ retentionIntervalSeconds: 1800, retentionThresholdSeconds: 1800, compactionIntervalSeconds: 0 });
    expect(compactionIntervalSeconds(m)).toBe(3600);
    // A 2 h run: retention at 30, 60 and 90 min, compaction with the one at 60 min; nothing at the end itself.
    expect(when(m, 7200)).toEqual(['1800 R', '3600 R C', '5400 R']);
    // The default 30 min run ends as the first pass would fall: no pass at all.
    expect(when(m, 1800)).toEqual([]);
    expect(when(m, 1801)).toEqual(['1800 R']);
  });

  it('an explicit compaction interval gets passes of its own, merged with retention where they coincide', () => {
    const m = maintenance('{ retentionIntervalSeconds: 600, compactionIntervalSeconds: 900 }');
    expect(compactionIntervalSeconds(m)).toBe(900);
    expect(when(m, 2000)).toEqual(['600 R', '900 C', '1200 R', '1800 R C']);
    expect(maintenancePasses(m, 2000).map((p) => p.index)).toEqual([0, 1, 2, 3]);
  });

  it('retention covers bronze_raw, silver and gold; compaction only silver and gold; retention first', () => {
    const tables = streamingMaintenanceTables({ tables: { silver: 'lakehouse.silver.s', gold: 'lakehouse.gold.g' } });
    expect(tables).toEqual({ retention: ['lakehouse.default.bronze_raw', 'lakehouse.silver.s', 'lakehouse.gold.g'], compaction: ['lakehouse.silver.s', 'lakehouse.gold.g'] });
    const names = (r: boolean, c: boolean) => passActions(tables, { retention: r, compaction: c }).map((a) => `${a.action} ${a.table}`);
    expect(names(true, true)).toEqual([
      'expire_snapshots lakehouse.default.bronze_raw',
      'remove_orphan_files lakehouse.default.bronze_raw',
      'expire_snapshots lakehouse.silver.s',
      'remove_orphan_files lakehouse.silver.s',
      'expire_snapshots lakehouse.gold.g',
      'remove_orphan_files lakehouse.gold.g',
      'rewrite_data_files lakehouse.silver.s',
      'rewrite_data_files lakehouse.gold.g',
    ]);
    expect(names(false, true)).toEqual(['rewrite_data_files lakehouse.silver.s', 'rewrite_data_files lakehouse.gold.g']);
    expect(names(true, false)).toHaveLength(6);
  });

  it('refuses, naming the field, intervals and thresholds outside the bounds', () => {
    for (const [yaml, field] of [
      ['{ retentionIntervalSeconds: 299 }', 'continuous.maintenance.retentionIntervalSeconds'],
      ['{ retentionIntervalSeconds: 7201 }', 'continuous.maintenance.retentionIntervalSeconds'],
      ['{ retentionIntervalSeconds: 900.5 }', 'continuous.maintenance.retentionIntervalSeconds'],
      ['{ retentionThresholdSeconds: 59 }', 'continuous.maintenance.retentionThresholdSeconds'],
      ['{ compactionIntervalSeconds: 120 }', 'continuous.maintenance.compactionIntervalSeconds'],
      ['{ compactionIntervalSeconds: -1 }', 'continuous.maintenance.compactionIntervalSeconds'],
      ['{ compactionIntervalSeconds: 14401 }', 'continuous.maintenance.compactionIntervalSeconds'],
      ['{ everySeconds: 600 }', 'continuous.maintenance'],
    ] as const) {
      expect(failure(() => maintenance(yaml)).message, yaml).toContain(field);
    }
    expect(maintenance('{ retentionIntervalSeconds: 300, compactionIntervalSeconds: 300, retentionThresholdSeconds: 60 }')).toEqual({ retentionIntervalSeconds: 300, retentionThresholdSeconds: 60, compactionIntervalSeconds: 300 });
  });
});
