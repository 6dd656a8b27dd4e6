// The stand-in images the node imports (built by test/setup/70-images.sh, described in
// test/images/README.md), read from the very oci-archives the harness imports: each is named by the
// reference the chart renders and carries the upstream image's user, entrypoint, command, working
// directory, ports and environment conventions. The images' behaviour (their entrypoints run as
// those users) is smoke-checked when they are built; this proves what reaches containerd.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { imageCacheDir } from '../harness/node/binaries.js';

const run = promisify(execFile);

const ociIndex = z.object({
  manifests: z.array(z.object({ digest: z.string(), annotations: z.record(z.string(), z.string()).optional() })).min(1),
});
const ociManifest = z.object({ config: z.object({ digest: z.string() }), layers: z.array(z.object({ size: z.number() })) });
const ociConfig = z.object({
  config: z.object({
    User: z.string().optional(),
    Entrypoint: z.array(z.string()).nullish(),
    Cmd: z.array(z.string()).nullish(),
    WorkingDir: z.string().optional(),
    Env: z.array(z.string()).optional(),
    ExposedPorts: z.record(z.string(), z.unknown()).optional(),
    StopSignal: z.string().optional(),
    Volumes: z.record(z.string(), z.unknown()).nullish(),
  }),
});

type ArchiveImage = { ref: string; config: z.infer<typeof ociConfig>['config']; env: Map<string, string> };

/** One file of an (uncompressed) tar, through the system tar. */
async function tarEntry(archive: string, entry: string): Promise<string> {
  const { stdout } = await run('tar', ['-xOf', archive, entry], { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

async function readArchive(slug: string): Promise<ArchiveImage> {
  const archive = path.join(imageCacheDir, `${slug}.tar`);
  const index = ociIndex.parse(JSON.parse(await tarEntry(archive, 'index.json')));
  const top = index.manifests[0];
  if (!top) throw new Error(`${archive}: index.json lists no manifest`);
  const blob = (digest: string) => `blobs/${digest.replace(':', '/')}`;
  const manifest = ociManifest.parse(JSON.parse(await tarEntry(archive, blob(top.digest))));
  const { config } = ociConfig.parse(JSON.parse(await tarEntry(archive, blob(manifest.config.digest))));
  const env = new Map((config.Env ?? []).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return { ref: top.annotations?.['org.opencontainers.image.ref.name'] ?? '', config, env };
}

type Expected = {
  slug: string;
  ref: string;
  user: string;
  entrypoint: string[] | undefined;
  cmd: string[] | undefined;
  workingDir?: string;
  ports?: string[];
  env?: Record<string, string>;
  stopSignal?: string;
  volumes?: string[];
};

// Upstream's values, from the Dockerfiles named in test/images/README.md.
const expectedImages: Expected[] = [
  {
    slug: 'postgres',
    ref: 'docker.io/library/postgres:17.6',
    user: '',
    entrypoint: ['docker-entrypoint.sh'],
    cmd: ['postgres'],
    ports: ['5432/tcp'],
    env: { PGDATA: '/var/lib/postgresql/data', PG_MAJOR: '17', LANG: 'en_US.utf8' },
    stopSignal: 'SIGINT',
  },
  {
    slug: 'trino',
    ref: 'docker.io/trinodb/trino:476',
    user: 'trino:trino',
    entrypoint: undefined,
    cmd: ['/usr/lib/trino/bin/run-trino'],
    ports: ['8080/tcp'],
    env: { CATALOG_MANAGEMENT: 'static' },
  },
  {
    slug: 'spark',
    ref: 'docker.io/apache/spark:4.0.1-python3',
    user: 'spark',
    entrypoint: ['/opt/entrypoint.sh'],
    cmd: undefined,
    workingDir: '/opt/spark/work-dir',
    env: { SPARK_HOME: '/opt/spark', JAVA_HOME: '/opt/java/openjdk' },
  },
  {
    slug: 'hive',
    ref: 'docker.io/apache/hive:4.0.1',
    user: 'hive',
    entrypoint: ['sh', '-c', '/entrypoint.sh'],
    cmd: undefined,
    workingDir: '/opt/hive',
    ports: ['10000/tcp', '10002/tcp', '9083/tcp'],
    env: { HIVE_HOME: '/opt/hive', HADOOP_HOME: '/opt/hadoop', TEZ_HOME: '/opt/tez', HIVE_VER: '4.0.1' },
  },
  {
    slug: 'spark-operator',
    ref: 'ghcr.io/kubeflow/spark-operator/controller:2.5.2',
    user: '185:185',
    entrypoint: ['/usr/bin/entrypoint.sh'],
    cmd: undefined,
    workingDir: '/opt/spark/work-dir',
    env: { SPARK_HOME: '/opt/spark' },
  },
  {
    slug: 'python',
    ref: 'docker.io/library/python:3.13-alpine',
    user: '',
    entrypoint: undefined,
    cmd: ['python3'],
  },
  {
    // prometheus/prometheus v3.16.0 Dockerfile (the busybox variant prom/prometheus publishes).
    slug: 'prometheus',
    ref: 'docker.io/prom/prometheus:v3.16.0',
    user: 'nobody',
    entrypoint: ['/bin/prometheus'],
    cmd: ['--config.file=/etc/prometheus/prometheus.yml', '--storage.tsdb.path=/prometheus'],
    workingDir: '/prometheus',
    ports: ['9090/tcp'],
    volumes: ['/prometheus'],
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' },
  },
  {
    slug: 'runner',
    ref: 'ghcr.io/lakebench/lakebench-runner:0.1.0',
    user: '10001:10001',
    entrypoint: ['lakebench'],
    cmd: ['--help'],
    workingDir: '/opt/lakebench',
    env: { NODE_ENV: 'production', LAKEBENCH_IMAGE: 'ghcr.io/lakebench/lakebench-runner:0.1.0' },
  },
];

describe('stand-in images as the node imports them', () => {
  for (const expected of expectedImages) {
    it(`${expected.ref} keeps upstream's user, entrypoint, layout and name`, async () => {
      const image = await readArchive(expected.slug);
      expect(image.ref).toBe(expected.ref);
      expect(readFileSync(path.join(imageCacheDir, `${expected.slug}.ref`), 'utf8').trim()).toBe(expected.ref);
      expect(image.config.User ?? '').toBe(expected.user);
      expect(image.config.Entrypoint ?? undefined).toEqual(expected.entrypoint);
      expect(image.config.Cmd ?? undefined).toEqual(expected.cmd);
      if (expected.workingDir) expect(image.config.WorkingDir).toBe(expected.workingDir);
      if (expected.ports) expect(Object.keys(image.config.ExposedPorts ?? {}).sort()).toEqual([...expected.ports].sort());
      if (expected.stopSignal) expect(image.config.StopSignal).toBe(expected.stopSignal);
      if (expected.volumes) expect(Object.keys(image.config.Volumes ?? {}).sort()).toEqual([...expected.volumes].sort());
      for (const [name, value] of Object.entries(expected.env ?? {})) expect(image.env.get(name), name).toBe(value);
    });
  }
});
