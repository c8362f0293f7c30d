/**
 * Work that callers in one process share while it runs: a second caller with the same key gets
 * the first one's promise instead of starting the same work again. The HTTP server builds an app
 * per signed-in actor over one store, so the app hands the same instance to each of them.
 */
export interface SingleFlight {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}

export function singleFlight(): SingleFlight {
  const running = new Map<string, Promise<unknown>>();
  return {
    run<T>(key: string, work: () => Promise<T>): Promise<T> {
      const current = running.get(key);
      if (current) return current as Promise<T>;
      const started = work().finally(() => running.delete(key));
      running.set(key, started);
      return started;
    },
  };
}
