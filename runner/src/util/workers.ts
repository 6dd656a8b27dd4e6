// Starts a worker thread on a sibling module, whether the runner runs from TypeScript sources
// (through tsx) or from compiled JavaScript. Under tsx the worker must register tsx's loader
// itself before importing the module: loader hooks are not inherited by worker threads on Node 20.
import { Worker } from 'node:worker_threads';
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

export function startWorker(moduleUrl: URL, workerData: unknown): Worker {
  const file = fileURLToPath(moduleUrl);
  if (existsSync(file) && file.endsWith('.js')) return new Worker(file, { workerData });
  const tsFile = file.replace(/\.js$/, '.ts');
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(pathToFileURL(tsFile).href)}); })`;
  return new Worker(bootstrap, { eval: true, workerData });
}
