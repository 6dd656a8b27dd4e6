// Number and text formatting for the report. One place so every section shows the same unit the
// same way, and a missing value always reads "—" rather than 0 (0 would be a claim).
const GIB = 2 ** 30;
const MISSING = '—';

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** Up to three significant digits below 100, whole numbers with separators above. */
export function fmtNumber(x: number | null | undefined, maxFraction = 2): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return MISSING;
  const abs = Math.abs(x);
  if (abs >= 100) return grouped.format(x);
  const digits = abs >= 10 ? Math.min(1, maxFraction) : abs >= 1 ? Math.min(2, maxFraction) : maxFraction + 1;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits }).format(x);
}

export function fmtInt(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return MISSING;
  return grouped.format(x);
}

export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return MISSING;
  const base = `${fmtNumber(s)} s`;
  if (s < 120) return base;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.round(s % 60);
  return h > 0 ? `${base} (${h} h ${m} min)` : `${base} (${m} min ${sec} s)`;
}

export function bytesToGb(bytes: number | null | undefined): number | null {
  return bytes === null || bytes === undefined ? null : bytes / GIB;
}

export function fmtGb(gb: number | null | undefined): string {
  return gb === null || gb === undefined || !Number.isFinite(gb) ? MISSING : `${fmtNumber(gb, 3)} GB`;
}

export function fmtPercent(share: number | null | undefined): string {
  return share === null || share === undefined || !Number.isFinite(share) ? MISSING : `${fmtNumber(share * 100, 1)} %`;
}

export function fmtValue(x: number | string | boolean | null | undefined): string {
  if (x === null || x === undefined) return MISSING;
  if (typeof x === 'number') return fmtNumber(x, 4);
  return String(x);
}

/** First 12 hex digits: enough to tell runs apart at a glance; the full value is in a tooltip. */
export function shortFingerprint(fp: string | null | undefined): string {
  if (!fp) return MISSING;
  const bare = fp.replace(/^sha256:/, '');
  return bare.length > 12 ? bare.slice(0, 12) : bare;
}

export function fmtTime(iso: string | null | undefined): string {
  if (!iso) return MISSING;
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

export { MISSING };
