// A datagen worker thread: generates the file indices it is given, one at a time, and reports
// each manifest entry as soon as its file is in place.
import { parentPort, workerData } from 'node:worker_threads';
import { generateFile } from './generate-file.js';
import type { DatasetParams } from './dataset.js';

type Job = { params: DatasetParams; indices: number[]; dir: string };
const job = workerData as Job;

for (const index of job.indices) {
  try {
    const entry = await generateFile(job.params, index, job.dir);
    parentPort!.postMessage({ type: 'file', entry });
  } catch (e) {
    parentPort!.postMessage({ type: 'error', index, message: e instanceof Error ? e.message : String(e) });
    break;
  }
}
parentPort!.postMessage({ type: 'done' });
