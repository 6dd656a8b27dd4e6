// Run ids: the UTC start time plus random hex, e.g. 20261121-143005-3fa9c2 (docs/results.md §1).
import { randomBytes } from 'node:crypto';

export function newRunId(now: Date = new Date()): string {
  const iso = now.toISOString(); // 2026-11-21T14:30:05.123Z
  const stamp = `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}`;
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

export const RUN_ID_PATTERN = /^\d{8}-\d{6}-[0-9a-f]{6}$/;
