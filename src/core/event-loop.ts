/**
 * Long synchronous loops (composing thousands of pages, writing them out) would keep SIGINT/SIGTERM handlers
 * and finished I/O waiting until they end: they await one of these between items, which hands the event loop
 * a turn every `ms` milliseconds and is otherwise an already-resolved promise.
 */
export function eventLoopTurns(ms = 20): () => Promise<void> {
  let last = performance.now();
  return () => {
    if (performance.now() - last < ms) return Promise.resolve();
    return new Promise((resolve) =>
      setImmediate(() => {
        last = performance.now();
        resolve();
      }),
    );
  };
}
