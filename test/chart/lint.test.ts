// helm lint --strict for every values file with Helm 3 and Helm 4, and chart-testing's `ct lint`.
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCases } from './helpers/matrix.js';
import { chartDir, ct, ctConfigDir, helmVersions, requireTools, run, venvBin, type HelmName } from './helpers/tools.js';
import { repoRoot } from '../harness/cache.js';

beforeAll(requireTools);

describe.each(Object.keys(helmVersions) as HelmName[])('%s lint --strict', (helm) => {
  it.each(renderCases)('$name', ({ files }) => {
    const result = run(helmVersions[helm], ['lint', '--strict', chartDir, ...files.flatMap((f) => ['-f', f])]);
    expect(result.stderr + result.stdout).toMatch(/1 chart\(s\) linted, 0 chart\(s\) failed/);
    expect(result.status).toBe(0);
  });
});

describe('ct lint', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it.each(Object.keys(helmVersions) as HelmName[])('passes with %s as helm', (helm) => {
    // ct calls `helm`, `yamllint` and `yamale` from PATH: put the chosen Helm and the venv first.
    const shim = mkdtempSync(path.join(os.tmpdir(), `lakebench-ct-${helm}-`));
    dirs.push(shim);
    symlinkSync(helmVersions[helm], path.join(shim, 'helm'));
    const env = { ...process.env, PATH: `${shim}:${venvBin}:${process.env.PATH ?? ''}`, CT_CONFIG_DIR: ctConfigDir };
    const result = run(ct, ['lint', '--config', path.join(repoRoot, 'ct.yaml')], { env });
    const output = result.stdout + result.stderr;
    expect(output, output).toMatch(/All charts linted successfully/);
    // ct ran its yamale schema check and linted every ci/ values file.
    expect(output).toMatch(/Validating charts\/lakebench\/Chart\.yaml\.\.\.\s*Validation success/);
    expect(output.match(/Linting chart with values file "charts\/lakebench\/ci\/.+-values\.yaml"/g)?.length).toBeGreaterThanOrEqual(4);
    expect(result.status).toBe(0);
  });
});
