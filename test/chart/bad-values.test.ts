// Bad values fail the render with a message naming the value, in Helm 3 and Helm 4. With no values
// at all (`helm install lakebench ./charts/lakebench`), one message names every value to set: the
// runner image (no public registry serves it) and the storage (chart README, "Installing").
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { chartDir, helmVersions, requireTools, run, type HelmName } from './helpers/tools.js';

beforeAll(requireTools);

const garage = 'storage.garage.enabled=true';
const image = 'runner.image.repository=registry.example.com/lakebench/lakebench-runner';
const cases: { what: string; sets: string[]; names: RegExp }[] = [
  { what: 'unknown top-level key', sets: [garage, image, 'catlog.type=hive'], names: /catlog/ },
  { what: 'unknown nested key', sets: [garage, image, 'trino.worker.replica=2'], names: /replica\b/ },
  { what: 'wrong type', sets: [garage, image, 'trino.worker.replicas=two'], names: /trino[./]worker[./]replicas/ },
  { what: 'unknown catalog type', sets: [garage, image, 'catalog.type=glue'], names: /catalog[./]type/ },
  { what: 'unknown query engine', sets: [garage, image, 'queryEngine=presto'], names: /queryEngine/ },
  { what: 'DuckDB as the cluster query engine (not supported by the cluster runner)', sets: [garage, image, 'queryEngine=duckdb'], names: /queryEngine/ },
  { what: 'missing S3 endpoint', sets: [image], names: /storage\.s3\.endpoint is required/ },
  { what: 'missing S3 credentials Secret', sets: [image, 'storage.s3.endpoint=https://s3.example.internal'], names: /storage\.s3\.existingSecret is required/ },
  { what: 'endpoint that is not a URL', sets: [image, 'storage.s3.endpoint=s3.example.internal', 'storage.s3.existingSecret=s3'], names: /storage[./]s3[./]endpoint/ },
  { what: 'Delta with Polaris', sets: [garage, image, 'tableFormat=delta', 'catalog.type=polaris'], names: /tableFormat=delta needs catalog\.type=hive/ },
  { what: 'image digest that is not sha256', sets: [garage, image, 'trino.image.digest=latest'], names: /trino[./]image[./]digest/ },
  { what: 'no runner image (none is published: an ImagePullBackOff otherwise)', sets: [garage], names: /runner\.image\.repository is required: .*build it from the repository's Dockerfile, push it to your registry and set runner\.image\.repository/ },
  { what: 'a runner image digest without its repository', sets: [garage, `runner.image.digest=sha256:${'0'.repeat(64)}`], names: /runner\.image\.repository is required/ },
];

describe.each(Object.keys(helmVersions) as HelmName[])('%s template', (helm) => {
  it.each(cases)('rejects $what, naming the value', ({ sets, names }) => {
    const result = run(helmVersions[helm], ['template', 'lakebench', chartDir, ...sets.flatMap((s) => ['--set', s])]);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(names);
  });

  it('with no values at all, fails at once with one message naming every value to set', () => {
    const result = run(helmVersions[helm], ['template', 'lakebench', chartDir]);
    expect(result.status).not.toBe(0);
    expect(result.stdout).toBe('');
    const errors = result.stderr.split('\n').filter((l) => l.startsWith('Error:'));
    expect(errors).toHaveLength(1);
    const missing = [...result.stderr.matchAll(/^- ([\w.]+) is required/gm)].map((m) => m[1]);
    expect(missing).toEqual(['runner.image.repository', 'storage.s3.endpoint', 'storage.s3.existingSecret']);
    expect(result.stderr).toMatch(/storage\.garage\.enabled=true/);
  });

  it('installs with just the runner image and the in-chart Garage (the two choices the message offers)', () => {
    const result = run(helmVersions[helm], ['template', 'lakebench', chartDir, '--set', image, '--set', garage]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('image: registry.example.com/lakebench/lakebench-runner:0.1.0');
  });

  it('accepts the same chart with valid values (the cases above fail for their own reason)', () => {
    const result = run(helmVersions[helm], ['template', 'lakebench', chartDir, '-f', path.join(chartDir, 'ci', 'hive-iceberg-trino-values.yaml')]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
