// The chart README's requests table is the one the code computes from rendered manifests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { requestsTable } from './requests-table.js';
import { chartDir, requireTools } from './helpers/tools.js';

beforeAll(requireTools);

it('README.md carries the computed total-requests table', () => {
  const readme = readFileSync(path.join(chartDir, 'README.md'), 'utf8');
  const match = /<!-- requests-table:start -->\n([\s\S]*?)\n<!-- requests-table:end -->/.exec(readme);
  expect(match, 'README.md lacks the requests-table markers').not.toBeNull();
  expect(match![1]).toBe(requestsTable());
});
