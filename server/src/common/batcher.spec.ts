import { Batcher, takeFirst } from './batcher.js';

describe('Batcher', () => {
  it('runs the first item at once and those that arrive meanwhile together, each answered with its own result', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push(items);
        await new Promise((r) => setTimeout(r, 20));
        return items.map((i) => i * 10);
      },
      { maxItems: 3 },
    );
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((i) => batcher.add(i)));
    expect(answers).toEqual([10, 20, 30, 40, 50, 60]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('fails only the batch whose run failed', async () => {
    const batcher = new Batcher<number, number>(
      async (items) => {
        await new Promise((r) => setTimeout(r, 10));
        if (items.includes(2)) throw new Error('ClickHouse is down');
        return items;
      },
      { maxItems: 10 },
    );
    const answers = await Promise.allSettled([1, 2, 3].map((i) => batcher.add(i)));
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
    expect(await batcher.add(4)).toBe(4);
  });

  it('with gather, takes the items added in one turn of the event loop as one batch', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(
      async (items) => {
        batches.push(items);
        return items;
      },
      { maxItems: 10, gather: true },
    );
    await Promise.all([1, 2, 3].map((i) => batcher.add(i)));
    await batcher.add(4);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('with every, begins a small batch no sooner than that long after the last small one began, and an item that finds it idle longer at once', async () => {
    const began: { items: number[]; at: number }[] = [];
    const t0 = performance.now();
    const batcher = new Batcher<number, number>(
      async (items) => {
        began.push({ items, at: performance.now() - t0 });
        await new Promise((r) => setTimeout(r, 30));
        return items;
      },
      { maxItems: 10, sizeOf: (item) => item, every: { ms: 150, under: 100 } },
    );
    const later = (ms: number, item: number) =>
      new Promise<number>((resolve) => setTimeout(() => resolve(batcher.add(item)), ms));
    await Promise.all([batcher.add(1), later(10, 2), later(60, 3), later(100, 4)]);
    await new Promise((r) => setTimeout(r, 200));
    const idleAt = performance.now() - t0;
    await batcher.add(5);
    expect(began.map((b) => b.items)).toEqual([[1], [2, 3, 4], [5]]);
    expect(began[0].at).toBeLessThan(20);
    expect(began[1].at).toBeGreaterThanOrEqual(145);
    expect(began[2].at - idleAt).toBeLessThan(20);

    // Just after a small batch ended (a steady load of small items, each after the last batch): held all the same.
    await batcher.add(7);
    expect(began.at(-1)!.items).toEqual([7]);
    expect(began.at(-1)!.at - began.at(-2)!.at).toBeGreaterThanOrEqual(145);

    // A large item is not held, and its batch holds nothing back: its cost is its size.
    began.length = 0;
    const largeAt = performance.now() - t0;
    await Promise.all([batcher.add(100), later(10, 6)]);
    expect(began.map((b) => b.items)).toEqual([[100], [6]]);
    expect(began[0].at - largeAt).toBeLessThan(20);
    expect(began[1].at - began[0].at).toBeLessThan(60);
  });
});

describe('takeFirst', () => {
  it('takes items while their sizes fit, always at least one', () => {
    const list = [5, 4, 3, 20, 1];
    expect(takeFirst(list, 10, 10, (n) => n)).toEqual([5, 4]);
    expect(takeFirst(list, 10, 10, (n) => n)).toEqual([3]);
    expect(takeFirst(list, 10, 10, (n) => n)).toEqual([20]);
    expect(takeFirst(list, 10, 10, (n) => n)).toEqual([1]);
    expect(list).toEqual([]);
    expect(takeFirst([1, 2, 3], 2)).toEqual([1, 2]);
  });
});
