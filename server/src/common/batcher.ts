/**
 * Group commit: items are handled in batches, one batch at a time, and the items that arrive while a batch runs form
 * the next one. Alone, an item waits for nothing; under load the batches grow by themselves, so the per-call cost of
 * the work (a ClickHouse insert, a query) is paid once per batch instead of once per item. With `gather`, an idle
 * batcher waits for the end of the event loop's turn first, so the items added in one turn (the reads one request
 * makes at once) are one batch. With `every`, a small batch (its sizes adding up to under `every.under`) begins no
 * sooner than `every.ms` after the last small one began: under a steady load of small items each interval's items are
 * one batch (the per-batch cost paid a few times a second, not once per item, whether they arrive while a batch runs
 * or just after), while an item that finds the batcher idle for longer than that (alone, or one client's requests a
 * few a second) waits for nothing, and so do items whose cost is their size, not the batch's.
 */
export class Batcher<I, O> {
  private readonly waiting: { item: I; resolve: (out: O) => void; reject: (error: unknown) => void }[] = [];
  private running = false;
  /** When the last batch began, if it was small. */
  private smallBegan: number | undefined;

  /**
   * `run` answers each item of a batch, in order; if it throws, every item of that batch fails with its error. A batch
   * holds at most `maxItems` items and `maxSize` of their `sizeOf` (but always at least one item).
   */
  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly limits: {
      maxItems: number;
      maxSize?: number;
      sizeOf?: (item: I) => number;
      gather?: boolean;
      every?: { ms: number; under: number };
    },
  ) {}

  add(item: I): Promise<O> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.running) return;
    this.running = true;
    if (this.limits.gather) await new Promise((resolve) => setImmediate(resolve));
    while (this.waiting.length) {
      const { maxItems, maxSize, sizeOf, every } = this.limits;
      const waitingSize = sizeOf ? this.waiting.reduce((sum, w) => sum + sizeOf(w.item), 0) : 0;
      const small = every && waitingSize < every.under;
      const wait = small && this.smallBegan !== undefined ? this.smallBegan + every.ms - performance.now() : 0;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const began = performance.now();
      const batch = takeFirst(this.waiting, maxItems, maxSize, sizeOf && ((w) => sizeOf(w.item)));
      const size = sizeOf ? batch.reduce((sum, b) => sum + sizeOf(b.item), 0) : 0;
      this.smallBegan = every && size < every.under ? began : undefined;
      try {
        const out = await this.run(batch.map((b) => b.item));
        batch.forEach((b, i) => b.resolve(out[i]));
      } catch (error) {
        for (const b of batch) b.reject(error);
      }
    }
    this.running = false;
  }
}

/**
 * Removes and returns the first items of a list, at most `maxItems` of sizes adding up to at most `maxSize` (at least
 * one).
 */
export function takeFirst<T>(
  list: T[],
  maxItems: number,
  maxSize = Infinity,
  sizeOf: (item: T) => number = () => 0,
): T[] {
  let n = 0;
  let size = 0;
  while (n < Math.min(maxItems, list.length) && (n === 0 || size + sizeOf(list[n]) <= maxSize))
    size += sizeOf(list[n++]);
  return list.splice(0, n);
}
