import { defineConfig } from 'vitest/config';

// One project per test tier; `npm test` runs them all. Tiers that start real servers run their
// files one at a time (the machine has two cores) and get generous timeouts.
// Order (sequence.groupOrder): unit first, then the server tiers one file at a time, then the
// cluster tier alone and last, so its node (fixed ports, host-wide network and kernel settings,
// started by the tier's first file and stopped by its globalSetup teardown when the run ends) is
// never up while another tier runs. A project without fileParallelism: false must not share a
// groupOrder with one that has it (vitest refuses different maxWorkers in one group).
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
          sequence: { groupOrder: 1 },
        },
      },
      // Hostile input and failure paths: the CLI in child processes, fed what a careless or hostile
      // user would feed it. Each case asserts the exit code, the message and what is left on disk.
      {
        test: {
          name: 'hostile',
          include: ['test/hostile/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
      { test: { name: 'chart', include: ['test/chart/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000, fileParallelism: false, sequence: { groupOrder: 1 } } },
      { test: { name: 'engines', include: ['test/engines/**/*.test.ts'], testTimeout: 900_000, hookTimeout: 900_000, fileParallelism: false, sequence: { groupOrder: 1 } } },
      { test: { name: 'kubernetes', include: ['test/kubernetes/**/*.test.ts'], testTimeout: 300_000, hookTimeout: 600_000, fileParallelism: false, sequence: { groupOrder: 1 } } },
      // A real single-node Kubernetes (test/harness/node): needs root; one node shared by the tier's files.
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/harness/node/global-setup.ts'],
          testTimeout: 900_000,
          hookTimeout: 1_200_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
