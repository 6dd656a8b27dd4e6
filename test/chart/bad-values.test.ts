// Bad values fail the render with a message naming the value, in Helm 3 and Helm 4.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartDir, helmVersions, requireTools, run, type HelmName } from './helpers/tools.js';

beforeAll(requireTools);

const garage = 'storage.garage.enabled=true';
const cases: { what: string; sets: string[]; names: RegExp }[] = [
  { what: 'unknown top-level key', sets: [garage, 'catlog.type=hive'], names: /catlog/ },
  { what: 'unknown nested key', sets: [garage, 'trino.worker.replica=2'], names: /replica\b/ },
  { what: 'wrong type', sets: [garage, 'trino.worker.replicas=two'], names: /trino[./]worker[./]replicas/ },
  { what: 'unknown catalog type', sets: [garage, 'catalog.type=glue'], names: /catalog[./]type/ },
  { what: 'unknown query engine', sets: [garage, 'queryEngine=presto'], names: /queryEngine/ },
  { what: 'DuckDB as the cluster query engine (not supported by the cluster runner)', sets: [garage, 'queryEngine=duckdb'], names: /queryEngine/ },
  { what: 'missing S3 endpoint', sets: [], names: /storage\.s3\.endpoint is required/ },
  { what: 'missing S3 credentials Secret', sets: ['storage.s3.endpoint=https://s3.example.internal'], names: /storage\.s3\.existingSecret is required/ },
  { what: 'endpoint that is not a URL', sets: ['storage.s3.endpoint=s3.example.internal', 'storage.s3.existingSecret=s3'], names: /storage[./]s3[./]endpoint/ },
  { what: 'Delta with Polaris', sets: [garage, 'tableFormat=delta', 'catalog.type=polaris'], names: /tableFormat=delta needs catalog\.type=hive/ },
  { what: 'image digest that is not sha256', sets: [garage, 'trino.image.digest=latest'], names: /trino[./]image[./]digest/ },
];

describe.each(Object.keys(helmVersions) as HelmName[])('%s template', (helm) => {
  it.each(cases)('rejects $what, naming the value', ({ sets, names }) => {
    const result = run(helmVersions[helm], ['template', 'lakebench', chartDir, ...sets.flatMap((s) => ['--set', s])]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(names);
  });

  it('accepts the same chart with valid values (the cases above fail for their own reason)', () => {
    const result = run(helmVersions[helm], ['template', 'lakebench', chartDir, '-f', path.join(chartDir, 'ci', 'hive-iceberg-trino-values.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
