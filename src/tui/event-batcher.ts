// Collects events from a fast producer and hands them over in batches, so the screen re-renders a few
// dozen times a second instead of once per token or training step.
export interface Batcher<T> {
  push(item: T): void;
  /** Delivers whatever is waiting now (at the end of a stream). */
  flush(): void;
  cancel(): void;
}

export function createBatcher<T>(deliver: (items: T[]) => void, intervalMs: number): Batcher<T> {
  let pending: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  let cancelled = false;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (cancelled || pending.length === 0) return;
    const items = pending;
    pending = [];
    deliver(items);
  };
  return {
    push(item) {
      if (cancelled) return;
      pending.push(item);
      timer ??= setTimeout(flush, intervalMs);
    },
    flush,
    cancel() {
      cancelled = true;
      clearTimeout(timer);
      pending = [];
    },
  };
}
