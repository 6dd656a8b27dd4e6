// Section 13: the resolved configuration and versions. The runner strips secrets before writing
// metrics.json; this is a second guard so a key that slipped through is never shown.
import type { Metrics } from '../../model/metrics.js';

const SECRET_LIKE = /secret|passw|token|key|credential/i;

interface Row { path: string; value: string }

function flatten(value: unknown, path: string, out: Row[], hidden: { count: number }): void {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.push({ path, value: '{}' });
    for (const [k, v] of entries) {
      if (SECRET_LIKE.test(k)) { hidden.count += 1; continue; }
      flatten(v, path ? `${path}.${k}` : k, out, hidden);
    }
    return;
  }
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) {
    value.forEach((v, i) => flatten(v, `${path}[${i}]`, out, hidden));
    if (value.length === 0) out.push({ path, value: '[]' });
    return;
  }
  out.push({ path, value: value === undefined ? '' : JSON.stringify(value) });
}

export function configView(doc: Metrics) {
  const rows: Row[] = [];
  const hidden = { count: 0 };
  flatten(doc.config_snapshot, '', rows, hidden);
  const versions = Object.entries(doc.versions)
    .filter(([k]) => !SECRET_LIKE.test(k))
    .map(([name, v]) => ({ name, value: v ?? 'not recorded', missing: v === null }));
  const fingerprints = [
    { name: 'Data', value: doc.data_fingerprint ?? '—' },
    { name: 'Sizing', value: doc.sizing_fingerprint },
    { name: 'Measurement', value: doc.measurement_fingerprint ?? '—' },
  ];
  return { rows, hidden: hidden.count, versions, fingerprints, schemaVersion: doc.schema_version };
}
