/**
 * Map an async sequence with up to `window` calls of `fn` in flight, yielding results in order.
 * Walking a tree one file at a time is bound by thread-pool round trips, not by the disk;
 * overlapping a few of them is what makes small files cheap.
 */
export async function* mapAhead<T, R>(source: AsyncIterable<T>, window: number, fn: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Promise<R>[] = [];
  for await (const item of source) {
    const p = fn(item);
    p.catch(() => { /* surfaces when its turn comes; unobserved if the consumer stops first */ });
    pending.push(p);
    if (pending.length >= window) yield await pending.shift()!;
  }
  while (pending.length > 0) yield await pending.shift()!;
}

/** Like Promise.all over `items.map(fn)`, with at most `window` calls in flight. */
export async function mapLimit<T, R>(items: readonly T[], window: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for await (const r of mapAhead((async function* () { yield* items; })(), window, fn)) out.push(r);
  return out;
}
