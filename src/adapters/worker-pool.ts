import { Worker, type ResourceLimits } from 'node:worker_threads';
import { bundleModule } from './bundle-module.js';

/** What a pool posts to a thread, and what the thread answers: a result, or an error's text. */
export interface WorkerRequest<Q> {
  id: number;
  request: Q;
}
export type WorkerReply<R> = { id: number; result: R } | { id: number; error: string };

export interface WorkerPool<Q, R> {
  /** Runs on the thread with the fewest requests waiting; `transfer` buffers move, not copy. */
  run(request: Q, transfer?: ArrayBuffer[]): Promise<R>;
  close(): void;
}

/**
 * Threads running a TypeScript module of this package that answers requests by id. The first
 * thread error or exit fails every waiting request and every later one.
 */
export function createWorkerPool<Q, R>({
  entry,
  workerData,
  threads,
  name,
  keepsProcessAlive,
  bundled = false,
  resourceLimits,
}: {
  entry: URL;
  workerData: unknown;
  threads: number;
  /** How errors name a thread: "a signing thread failed: …". */
  name: string;
  /** False: the threads alone do not keep the process running. */
  keepsProcessAlive: boolean;
  /** True: the entry bundled into plain JavaScript (`bundle-module.ts`), started without the tsx loader. */
  bundled?: boolean;
  /** Heap limits of each thread (with `bundled`). */
  resourceLimits?: ResourceLimits;
}): WorkerPool<Q, R> {
  const workers = Array.from({ length: Math.max(1, threads) }, () => {
    // No execArgv: a loader the process was started with (`tsx`) would be loaded again in the thread.
    const worker = bundled
      ? new Worker(bundleModule(entry), { workerData, execArgv: [], resourceLimits })
      : startTypeScriptWorker(entry, workerData);
    if (!keepsProcessAlive) worker.unref();
    return worker;
  });
  const waiting = new Map<number, { resolve: (result: R) => void; reject: (error: Error) => void }>();
  const load = workers.map(() => 0);
  let nextId = 0;
  let broken: Error | null = null;
  const fail = (error: Error) => {
    broken ??= error;
    for (const pending of waiting.values()) pending.reject(error);
    waiting.clear();
  };
  workers.forEach((worker, index) => {
    worker.on('message', (reply: WorkerReply<R>) => {
      load[index]! -= 1;
      const pending = waiting.get(reply.id);
      waiting.delete(reply.id);
      if ('error' in reply) pending?.reject(new Error(`a ${name} failed: ${reply.error}`));
      else pending?.resolve(reply.result);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a ${name} stopped (exit code ${code})`)));
  });
  return {
    run(request, transfer = []) {
      if (broken) return Promise.reject(broken);
      const id = nextId++;
      // The least busy thread; ties go to the first.
      const index = load.indexOf(Math.min(...load));
      load[index]! += 1;
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject });
        const message: WorkerRequest<Q> = { id, request };
        workers[index]!.postMessage(message, transfer);
      });
    },
    close() {
      broken ??= new Error(`the ${name}s are closed`);
      for (const worker of workers) void worker.terminate();
    },
  };
}

/**
 * Threads do not inherit the tsx loader that runs these sources without a build step, so each
 * one registers it before importing its module.
 */
function startTypeScriptWorker(entry: URL, workerData: unknown): Worker {
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData });
}
