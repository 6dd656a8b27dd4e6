// Prints the chart README's "total requests" table, computed from rendered manifests:
//   npx tsx test/chart/requests-table.ts
// test/chart/readme.test.ts checks that the README carries exactly this table.
import { fileURLToPath } from 'node:url';
import { profileCombinationCases } from './helpers/matrix.js';
import { helmTemplate } from './helpers/render.js';
import { totalRequests } from './helpers/requests.js';

const round = (n: number) => (Math.round(n * 100) / 100).toString();

export function requestsTable(): string {
  const rows = profileCombinationCases.map((c) => {
    const t = totalRequests(helmTemplate('helm3', c.files).objects);
    return `| ${c.profile} | ${c.combination} | ${t.pods} | ${round(t.cpu)} | ${round(t.memoryGiB)} |`;
  });
  return ['| Profile | Combination | Pods | CPU requested | Memory requested (GiB) |', '| --- | --- | ---: | ---: | ---: |', ...rows].join('\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(requestsTable());
