import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Map over a long listing a slice at a time, letting the event loop turn between slices: a
 * thousand rows are shaped without holding every other request (a /_ping, a dashboard page)
 * until the last one is done.
 */
export async function mapInTurns<T, R>(items: readonly T[], fn: (item: T) => R | Promise<R>, perTurn = 100): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % perTurn === 0) await nextTurn();
    out.push(await fn(items[i]!));
  }
  return out;
}
