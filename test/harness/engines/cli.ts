// By-hand use of the engines (npm run engines:up / engines:down): `up` starts MinIO, PostgreSQL, the
// Iceberg REST catalog and Trino in the background and prints where they listen; `down` stops them.
// The servers are owned by a detached supervisor (`serve`), which stops them all when told to.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { sleep, stopProcessGroup, tailOf } from './process.js';
import { awsEnv } from './s3.js';
import { sparkSubmitEnv } from './spark.js';
import { startEngineStack } from './stack.js';
import { clearState, envPath, readState, sparkSubmitPath, stateDir, supervisorLog, writeSecretFile, writeState, type EnginesState } from './state.js';

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

const shellQuote = (value: string) => `'${value.replaceAll("'", `'\\''`)}'`;

async function up(): Promise<void> {
  const running = readState();
  if (running && alive(running.supervisorPid)) return report(running, 'already running');
  if (running) await down();
  mkdirSync(stateDir, { recursive: true });
  const log = openSync(supervisorLog, 'w');
  const supervisor = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'serve'], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  supervisor.unref();
  const deadline = Date.now() + 600_000;
  while (Date.now() < deadline) {
    const state = readState();
    if (state && state.supervisorPid === supervisor.pid) return report(state, 'started');
    if (supervisor.exitCode !== null || (supervisor.pid !== undefined && !alive(supervisor.pid))) break;
    await sleep(500);
  }
  throw new Error(`the engines did not start; ${supervisorLog}:\n${tailOf(supervisorLog)}`);
}

async function serve(): Promise<void> {
  const stack = await startEngineStack();
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stack.stop();
    clearState();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown());
  process.on('SIGINT', () => void shutdown());
  const { minio, postgres, rest, trino } = stack;
  const spark = sparkSubmitEnv({ s3: minio, restCatalogUri: rest.uri });
  writeSecretFile(envPath, Object.entries({ ...awsEnv(minio), AWS_ENDPOINT_URL_S3: minio.endpoint }).map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join(''));
  const exports = Object.entries(spark.env).filter(([k]) => k !== 'PATH').map(([k, v]) => `export ${k}=${shellQuote(v)}\n`).join('');
  writeSecretFile(
    sparkSubmitPath,
    `#!/usr/bin/env bash\n# spark-submit configured for the running engines (written by cli.ts up).\n${exports}` +
      `export PATH=${shellQuote(spark.env.PATH ?? '')}\nexec ${[spark.command, ...spark.args].map(shellQuote).join(' ')} "$@"\n`,
    0o700,
  );
  const state: EnginesState = {
    supervisorPid: process.pid,
    serverPids: { postgres: postgres.pid, icebergRest: rest.pid, trino: trino.pid },
    endpoints: {
      s3: minio.endpoint,
      s3Region: minio.region,
      postgres: `postgresql://${postgres.user}@${postgres.host}:${postgres.port}/postgres`,
      icebergRest: rest.uri,
      icebergWarehouse: rest.warehouse,
      trino: trino.uri,
    },
    workDirs: [postgres.workDir, rest.workDir, trino.workDir],
  };
  writeState(state);
  // Stays alive, owning the servers, until `down` sends SIGTERM.
  setInterval(() => undefined, 1 << 30);
}

async function down(): Promise<void> {
  const state = readState();
  if (!state) {
    console.log('no engines running (no .engines/state.json)');
    return;
  }
  if (alive(state.supervisorPid)) {
    process.kill(state.supervisorPid, 'SIGTERM');
    const deadline = Date.now() + 90_000;
    while (alive(state.supervisorPid) && Date.now() < deadline) await sleep(250);
  }
  // If the supervisor died without cleaning up: its group holds MinIO, the others have their own.
  for (const pid of [state.supervisorPid, ...Object.values(state.serverPids)]) await stopProcessGroup(pid, 'SIGKILL', 0);
  for (const dir of state.workDirs) if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  clearState();
  console.log('engines stopped');
}

function report(state: EnginesState, how: string): void {
  const e = state.endpoints;
  console.log(`engines ${how} (supervisor pid ${state.supervisorPid})
  S3 (MinIO)            ${e.s3}  region ${e.s3Region}
  PostgreSQL            ${e.postgres}
  Iceberg REST catalog  ${e.icebergRest}  warehouse ${e.icebergWarehouse}
  Trino                 ${e.trino}  catalog lakehouse
  credentials           source ${envPath}
  PySpark               ${sparkSubmitPath} your_job.py   (local[2], catalog lakehouse, s3a://)
stop with: npm run engines:down`);
}

const command = process.argv[2];
const actions: Record<string, () => Promise<void>> = { up, down, serve };
const action = command ? actions[command] : undefined;
if (!action) {
  console.error('usage: tsx test/harness/engines/cli.ts up|down');
  process.exit(2);
}
action().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
