// The Hive Metastore's schema step, as the chart's `schema` init container runs it
// (`schematool -dbType postgres -initOrUpgradeSchema`), cut half-way and started again: the Hive
// distribution of the Hive stand-in image (Hive 4.0.1's own bin/schematool, bin/hive and scripts,
// staged by test/setup/70-images.sh) on the host's Java 17, against a real PostgreSQL.
//
// Upstream's image runs each schema script in one transaction (HiveSchemaTool wraps it between
// `!autocommit off` and `!commit`), so on PostgreSQL a schematool killed half-way leaves nothing and the
// next run initialises the schema. The stand-in must behave the same (test/images/hive/schemaTool.sh):
// with each statement committed on its own, a cut init leaves tables but no VERSION row, and every
// later run fails on the first CREATE TABLE, so the metastore pod never starts.
import { execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheDir } from '../harness/cache.js';
import { enginesManifest } from '../harness/engines/manifest.js';
import { startPostgres, type PostgresServer } from '../harness/engines/postgres.js';

const run = promisify(execFile);
const repo = path.resolve(import.meta.dirname, '../..');
const stage = path.join(cacheDir, 'image-build/stage/hive');
const hiveHome = path.join(stage, 'hive');
const initScript = path.join(hiveHome, 'scripts/metastore/upgrade/postgres/hive-schema-4.0.0.postgres.sql');
const database = 'metastore';
/** Relations (tables, indexes, sequences) the cut run must have created before it is killed; the script has 83 tables. */
const cutAfterRelations = 40;

/** The table names the init script creates. */
function scriptTables(): string[] {
  // PostgreSQL keeps a quoted name as written and folds an unquoted one to lower case.
  const names = [...readFileSync(initScript, 'utf8').matchAll(/^\s*CREATE TABLE\s+(?:IF NOT EXISTS\s+)?(?:"(\w+)"|(\w+))/gm)].map(
    (m) => m[1] ?? m[2]?.toLowerCase() ?? '',
  );
  return [...new Set(names)].sort();
}

describe('Hive Metastore schema init (Hive 4.0.1 schematool on PostgreSQL)', () => {
  let pg: PostgresServer;
  let work: string;
  let env: NodeJS.ProcessEnv;

  const psql = async (sql: string, db = database): Promise<string[]> => {
    const { stdout } = await run(path.join(enginesManifest().postgresBin, 'psql'), ['-h', pg.host, '-p', String(pg.port), '-U', pg.user, '-d', db, '-Atc', sql]);
    return stdout.split('\n').filter((line) => line !== '');
  };
  const publicTables = async () => (await psql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).sort();
  /** Relations another session holds AccessExclusiveLock on: what an open transaction of CREATE TABLEs has created so far. */
  const relationsLockedByOthers = async () =>
    Number(
      (
        await psql(
          `SELECT count(DISTINCT l.relation) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
           WHERE a.datname = '${database}' AND l.pid <> pg_backend_pid() AND l.locktype = 'relation' AND l.mode = 'AccessExclusiveLock'`,
        )
      )[0],
    );

  /** schematool as the chart's init container runs it; resolves with its exit code or signal and output. */
  const schematool = (onStart?: (pid: number) => void) =>
    new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve, reject) => {
      // Its own process group: bin/schematool → bin/hive → bin/hadoop → java, all killed together.
      const child = spawn(path.join(hiveHome, 'bin/schematool'), ['-dbType', 'postgres', '-initOrUpgradeSchema'], { env, detached: true });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', reject);
      child.on('close', (code, signal) => resolve({ code, signal, output }));
      if (child.pid !== undefined) onStart?.(child.pid);
    });

  beforeAll(async () => {
    const ownSchemaTool = path.join(repo, 'test/images/hive/schemaTool.sh');
    const stagedSchemaTool = path.join(hiveHome, 'bin/ext/schemaTool.sh');
    if (!existsSync(stagedSchemaTool) || readFileSync(stagedSchemaTool, 'utf8') !== readFileSync(ownSchemaTool, 'utf8')) {
      throw new Error(`${stage} is missing or older than test/images/hive/schemaTool.sh: run LAKEBENCH_CACHE=${cacheDir} bash test/setup/70-images.sh`);
    }
    const jdbcDriver = enginesManifest().icebergRestClasspath.find((jar) => /\/postgresql-[\d.]+\.jar$/.test(jar));
    if (!jdbcDriver) throw new Error('the engines manifest names no PostgreSQL JDBC driver (test/setup/50-engines.sh)');
    pg = await startPostgres();
    await pg.createDatabase(database);
    work = mkdtempSync(path.join(os.tmpdir(), 'lakebench-hive-schema-'));
    const conf = path.join(work, 'conf');
    const tmp = path.join(work, 'tmp');
    mkdirSync(conf);
    mkdirSync(tmp);
    // The chart's hive-site.xml settings that schematool reads (templates/catalog/hive-configmap.yaml).
    writeFileSync(
      path.join(conf, 'hive-site.xml'),
      `<?xml version="1.0"?>
<configuration>
  <property><name>javax.jdo.option.ConnectionDriverName</name><value>org.postgresql.Driver</value></property>
  <property><name>javax.jdo.option.ConnectionURL</name><value>${pg.jdbcUrl(database)}</value></property>
  <property><name>javax.jdo.option.ConnectionUserName</name><value>\${env.PGUSER}</value></property>
  <property><name>javax.jdo.option.ConnectionPassword</name><value>\${env.PGPASSWORD}</value></property>
  <property><name>metastore.schema.verification</name><value>true</value></property>
</configuration>
`,
    );
    const javaHome = enginesManifest().javaHome;
    // The image's environment (Containerfile) and the chart's (lakebench.hiveEnv), with this host's paths.
    env = {
      PATH: `${path.join(hiveHome, 'bin')}:${path.join(stage, 'hadoop/bin')}:${path.join(javaHome, 'bin')}:${process.env.PATH ?? ''}`,
      JAVA_HOME: javaHome,
      HIVE_HOME: hiveHome,
      HADOOP_HOME: path.join(stage, 'hadoop'),
      TEZ_HOME: path.join(stage, 'tez'),
      HIVE_CONF_DIR: conf,
      HADOOP_CONF_DIR: conf,
      HIVE_AUX_JARS_PATH: jdbcDriver,
      HADOOP_HEAPSIZE: '256',
      HADOOP_CLIENT_OPTS: `-Xmx256m -Djava.io.tmpdir=${tmp}`,
      HADOOP_LOG_DIR: path.join(tmp, 'logs'),
      TMPDIR: tmp,
      PGUSER: pg.user,
      // Connections from 127.0.0.1 are trusted; schematool still passes a password on.
      PGPASSWORD: 'trusted',
    };
  });

  afterAll(async () => {
    await pg?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('a schematool killed half-way through the init leaves no table behind, and the next run initialises the schema', { timeout: 600_000 }, async () => {
    const expected = scriptTables();
    expect(expected.length).toBeGreaterThan(2 * cutAfterRelations);

    let createdAtKill: { tables: number; lockedByInit: number } | undefined;
    let ended = false;
    const cut = await schematool((pid) => {
      const poll = async () => {
        while (!ended) {
          // Committed tables (a statement-by-statement init) or relations an open transaction has created.
          const [tables, lockedByInit] = [(await publicTables()).length, await relationsLockedByOthers()];
          if (tables >= cutAfterRelations || lockedByInit >= cutAfterRelations) {
            createdAtKill = { tables, lockedByInit };
            process.kill(-pid, 'SIGKILL');
            return;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      // A poll error (schematool already gone) leaves createdAtKill unset, which fails below.
      poll().catch(() => undefined);
    }).finally(() => (ended = true));
    expect(cut.signal, `schematool ended by itself, before the cut:\n${cut.output.slice(-3000)}`).toBe('SIGKILL');
    expect(createdAtKill, 'schematool was killed, but not by this test').toBeDefined();

    // Cut half-way: PostgreSQL rolled the init's transaction back, so there is no half-made schema.
    expect(await publicTables()).toEqual([]);

    const rerun = await schematool();
    expect(rerun.code, rerun.output.slice(-5000)).toBe(0);
    // It saw no schema and ran the whole init script (not "No schema upgrade required").
    expect(rerun.output).toContain('Starting metastore schema initialization to 4.0.0');
    expect(rerun.output).toContain('Initialization script completed');
    expect(await psql('SELECT "SCHEMA_VERSION" FROM "VERSION"')).toEqual(['4.0.0']);
    expect(await publicTables()).toEqual(expected);
    console.log(`schematool killed after ${createdAtKill?.lockedByInit} relations of its open transaction (${createdAtKill?.tables} tables committed); the re-run created ${expected.length} tables`);
  });
});
