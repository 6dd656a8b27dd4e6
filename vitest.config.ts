import { defineConfig } from 'vitest/config';

// One project per test tier; `npm test` runs them all. Tiers that start real servers run their
// files one at a time (the machine has two cores) and get generous timeouts.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 30_000 } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      { test: { name: 'chart', include: ['test/chart/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000, fileParallelism: false } },
      { test: { name: 'engines', include: ['test/engines/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 900_000, fileParallelism: false } },
      { test: { name: 'kubernetes', include: ['test/kubernetes/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000, fileParallelism: false } },
    ],
  },
});
