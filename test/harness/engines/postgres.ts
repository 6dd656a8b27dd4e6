// A real PostgreSQL server (Debian's binaries, located by test/setup/engines/postgres.sh) on 127.0.0.1,
// in a fresh temporary data directory; the Iceberg catalog persists its tables here over JDBC.
// Root may not run postgres, so under root every PostgreSQL command runs as the 'postgres' user.
import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, waitForPort } from '../ports.js';
import { enginesManifest } from './manifest.js';
import { launch, waitUntilReady } from './process.js';

const execFileAsync = promisify(execFile);

export type PostgresServer = {
  host: string;
  port: number;
  /** Superuser; connections are trusted (127.0.0.1 only), so there is no password to leak. */
  user: string;
  /** The JDBC URL of a database on this server. */
  jdbcUrl(database: string): string;
  createDatabase(name: string): Promise<void>;
  pid: number;
  workDir: string;
  stop(): Promise<void>;
};

export async function startPostgres(): Promise<PostgresServer> {
  const { postgresBin } = enginesManifest();
  const tool = (name: string, args: string[]) => asServerUser(path.join(postgresBin, name), args);
  const runTool = (name: string, args: string[]) => execFileAsync(...tool(name, args));
  const workDir = mkdtempSync(path.join(os.tmpdir(), 'lakebench-postgres-'));
  const ids = serverUserIds();
  if (ids) chownSync(workDir, ids.uid, ids.gid);
  const dataDir = path.join(workDir, 'data');
  const user = 'lakebench';
  try {
    await runTool('initdb', ['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--no-sync', '--no-instructions']);
  } catch (e) {
    rmSync(workDir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(e as { stderr?: string }).stderr ?? (e as Error).message}`);
  }
  const port = await freePort();
  const [command, args] = tool('postgres', [
    '-D', dataDir, '-p', String(port), '-k', workDir, '-c', 'listen_addresses=127.0.0.1',
    // A throwaway test database: durability buys nothing here and costs time on a 2-core machine.
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'shared_buffers=64MB',
  ]);
  const server = launch({
    command,
    args,
    logFile: path.join(workDir, 'postgres.log'),
    stopSignal: 'SIGINT', // "fast" shutdown: SIGTERM would wait for the catalog's pooled connections to close
  });
  const stop = async () => {
    await server.stop();
    rmSync(workDir, { recursive: true, force: true });
  };
  const connection = ['-h', '127.0.0.1', '-p', String(port), '-U', user];
  try {
    await waitUntilReady('PostgreSQL', server, async () => {
      await waitForPort(port, 1000);
      await runTool('pg_isready', [...connection, '-d', 'postgres']);
      return true;
    }, 60_000);
  } catch (e) {
    await stop();
    throw e;
  }
  return {
    host: '127.0.0.1',
    port,
    user,
    jdbcUrl: (database) => `jdbc:postgresql://127.0.0.1:${port}/${database}`,
    async createDatabase(name) {
      await runTool('createdb', [...connection, name]);
    },
    pid: server.pid,
    workDir,
    stop,
  };
}

/** The command line that runs `command` as the 'postgres' user when we are root, unchanged otherwise. */
function asServerUser(command: string, args: string[]): [string, string[]] {
  const ids = serverUserIds();
  if (!ids) return [command, args];
  return ['setpriv', [`--reuid=${ids.uid}`, `--regid=${ids.gid}`, '--init-groups', command, ...args]];
}

function serverUserIds(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const entry = readFileSync('/etc/passwd', 'utf8').split('\n').find((line) => line.startsWith('postgres:'));
  if (!entry) throw new Error("running as root, but there is no 'postgres' user to run PostgreSQL as (run test/setup/install.sh)");
  const [, , uid, gid] = entry.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}
