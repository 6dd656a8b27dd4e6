import { describe, expect, it } from 'vitest';
import * as s from '../../runner/src/model/scale.js';

// The worked values of docs/data.md §2.
const TABLE = [
  { scale: 0.01, bytes: 107_374_182, rows: 25_565, files: 1, customers: 1_000, hottest: 1.99 },
  { scale: 0.1, bytes: 1_073_741_824, rows: 255_652, files: 2, customers: 10_000, hottest: 1.33 },
  { scale: 1, bytes: 10_737_418_240, rows: 2_556_528, files: 20, customers: 100_000, hottest: 0.99 },
  { scale: 10, bytes: 107_374_182_400, rows: 25_565_281, files: 200, customers: 1_000_000, hottest: 0.79 },
  { scale: 100, bytes: 1_073_741_824_000, rows: 255_652_815, files: 2_000, customers: 10_000_000, hottest: 0.66 },
  { scale: 1000, bytes: 10_737_418_240_000, rows: 2_556_528_152, files: 20_000, customers: 100_000_000, hottest: 0.57 },
];

describe('scale arithmetic', () => {
  it.each(TABLE)('scale $scale matches the spec table', (t) => {
    expect(s.targetBytes(t.scale)).toBe(t.bytes);
    expect(s.totalRows(t.scale)).toBe(t.rows);
    expect(s.fileCount(t.scale, 512 * s.MiB)).toBe(t.files);
    expect(s.customerCount(t.scale)).toBe(t.customers);
    expect(Number((100 * s.hottestCustomerShare(t.customers, 1, 10)).toFixed(2))).toBe(t.hottest);
  });

  it('uses 64 files of 3,994–3,995 rows at scale 0.1 with 16 MB files', () => {
    const files = s.fileCount(0.1, 16 * s.MiB);
    expect(files).toBe(64);
    const rows = Array.from({ length: files }, (_, i) => s.rowsInFile(s.totalRows(0.1), files, i));
    expect(Math.min(...rows)).toBe(3994);
    expect(Math.max(...rows)).toBe(3995);
    expect(rows.reduce((a, b) => a + b, 0)).toBe(s.totalRows(0.1));
  });

  it('splits rows without loss and gives contiguous ids', () => {
    for (const [rows, files] of [[25_565, 6], [1000, 1], [10_007, 10]] as const) {
      let next = 0;
      for (let i = 0; i < files; i++) {
        expect(s.firstRowId(rows, files, i)).toBe(next);
        next += s.rowsInFile(rows, files, i);
      }
      expect(next).toBe(rows);
    }
  });

  it('lowers the file count so every file has at least 1,000 rows', () => {
    expect(s.fileCount(0.01, 1 * s.MiB)).toBe(25); // 102 by size, but 25,565 rows allow only 25
  });

  it('has a default stage timeout of max(3600, scale × 60)', () => {
    expect(s.defaultStageTimeoutSeconds(1)).toBe(3600);
    expect(s.defaultStageTimeoutSeconds(100)).toBe(6000);
  });
});
