// The embedded stages' staging folders (platforms/embedded/staging.ts): a new table is written under
// `<warehouse>/.tmp/<owner>/`, never next to the table; what a dead process left there, or next to a
// table under the names earlier versions used, is swept; a live process's staging is left alone.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stagingPath, sweepStaleStaging, removeStaging, STAGING_FOLDER } from '../../runner/src/platforms/embedded/staging.js';
import { replaceDir } from '../../runner/src/platforms/embedded/replace-dir.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'lakebench-staging-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** The pid of a process that has exited. */
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid!;
const touch = (file: string) => (mkdirSync(path.dirname(file), { recursive: true }), writeFileSync(file, 'x'));

describe('embedded staging folders', () => {
  it('stages outside the table folders and swaps the new table into place', async () => {
    const root = path.join(tmp, 'swap', 'warehouse');
    const table = path.join(root, 'silver', 'customer_interactions_enriched');
    touch(path.join(table, 'old.parquet'));
    const fresh = stagingPath(root, 'silver-customer_interactions_enriched');
    expect(path.relative(root, fresh).split(path.sep)[0]).toBe(STAGING_FOLDER);
    touch(path.join(fresh, 'interaction_date=2024-01-01', 'part-0.parquet'));
    await replaceDir(fresh, table);
    await removeStaging(fresh);
    expect(existsSync(path.join(table, 'interaction_date=2024-01-01', 'part-0.parquet'))).toBe(true);
    expect(existsSync(path.join(table, 'old.parquet'))).toBe(false);
    expect(existsSync(path.join(root, STAGING_FOLDER))).toBe(false);
  });

  it('sweeps the staging of dead processes and legacy <table>.tmp-/.old-<pid> folders, keeps live ones', async () => {
    const root = path.join(tmp, 'sweep', 'warehouse');
    const silver = path.join(root, 'silver', 'customer_interactions_enriched');
    const gold = path.join(root, 'gold', 'customer_executive_dashboard');
    const dead = deadPid();
    const live = process.ppid;
    const paths = {
      deadStaging: path.join(root, STAGING_FOLDER, `${dead}-0badc0de`),
      liveStaging: path.join(root, STAGING_FOLDER, `${live}-0badc0de`),
      sameStaging: path.join(root, STAGING_FOLDER, `${process.pid}-00000000`), // an earlier process with our pid
      legacySilverTmp: `${silver}.tmp-${dead}`,
      legacyGoldOld: `${gold}.old-${dead}`,
      legacyLive: `${silver}.tmp-${live}`,
      unrelated: path.join(root, 'silver', `other_table.tmp-${dead}`),
    };
    for (const p of Object.values(paths)) touch(path.join(p, 'interaction_date=2024-01-01', 'part-0.parquet'));
    touch(path.join(silver, 'part-0.parquet'));

    const removed = await sweepStaleStaging(root, [silver, gold]);
    expect(removed.sort()).toEqual([paths.deadStaging, paths.sameStaging, paths.legacySilverTmp, paths.legacyGoldOld].sort());
    for (const p of [paths.liveStaging, paths.legacyLive, paths.unrelated, silver]) expect(existsSync(p), p).toBe(true);
  });
});
