// Every rendered object against the schema of its kind, unknown fields rejected (kubeconform -strict).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCases } from './helpers/matrix.js';
import { helmTemplate } from './helpers/render.js';
import { helmVersions, kubeconform, requireTools, run, schemaDir, type HelmName } from './helpers/tools.js';

beforeAll(requireTools);

// No registry carries the Stackable HiveCluster CRD; it is the only kind validated by nothing.
const SKIPPED_KINDS = ['HiveCluster'];
const location = path.join(schemaDir, '{{ .ResourceKind }}{{ .KindSuffix }}.json');

function validate(yaml: string) {
  const result = run(kubeconform, ['-strict', '-summary', '-output', 'json', '-skip', SKIPPED_KINDS.join(','), '-schema-location', location, '-'], {
    input: yaml,
  });
  return { ...result, report: JSON.parse(result.stdout) as { resources?: { kind: string; name: string; status: string; msg: string }[]; summary: { valid: number; invalid: number; errors: number; skipped: number } } };
}

describe('kubeconform', () => {
  it('has the schemas it was built with', () => {
    const index = JSON.parse(readFileSync(path.join(schemaDir, 'index.json'), 'utf8')) as { kinds: number; customResources: number };
    expect(index.kinds).toBeGreaterThan(100);
    expect(index.customResources).toBe(2); // PodMonitor and ServiceMonitor
  });

  it('rejects an unknown field (the check can fail)', () => {
    const bad = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: b}\nbogus: 1\n';
    const { status, report } = validate(bad);
    expect(status).not.toBe(0);
    expect(report.summary.invalid).toBe(1);
  });

  describe.each(Object.keys(helmVersions) as HelmName[])('%s template', (helm) => {
    it.each(renderCases)('$name: every object is valid', ({ files }) => {
      const rendered = helmTemplate(helm, files);
      const { status, report } = validate(rendered.yaml);
      const problems = (report.resources ?? []).filter((r) => r.status !== 'statusValid' && r.status !== 'statusSkipped');
      expect(problems, JSON.stringify(problems, null, 1)).toEqual([]);
      expect(status).toBe(0);
      const skipped = rendered.objects.filter((o) => SKIPPED_KINDS.includes(o.kind)).length;
      expect(report.summary.valid + report.summary.skipped).toBe(rendered.objects.length);
      expect(report.summary.skipped).toBe(skipped);
    });
  });
});
