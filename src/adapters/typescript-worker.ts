import { Worker } from 'node:worker_threads';

/**
 * A worker thread running a TypeScript module of this package. Threads do not inherit the tsx
 * loader that runs these sources without a build step, so each one registers it first.
 */
export function startTypeScriptWorker(entry: URL, workerData: unknown): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
