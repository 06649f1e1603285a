import type { Route } from '../router.ts';
import { queryBool, queryFilters, queryInt, sendJSON } from '../respond.ts';
import { listContainers } from './filters.ts';
import { summaryView } from './summary-view.ts';
import { endpointIndex } from './network-view.ts';

/** `docker ps`: a snapshot of the records, never waiting on a busy container. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/containers/json',
  handler: async ({ engine, res, query }) => {
    const rows = listContainers(engine, {
      all: queryBool(query, 'all'),
      limit: queryInt(query, 'limit') ?? -1,
      filters: queryFilters(query),
    });
    const size = queryBool(query, 'size');
    const now = Date.now();
    const endpoints = endpointIndex(engine, rows);
    const images = new Map<string, string | undefined>();
    const networks = new Map<string, { Id: string; Name: string } | undefined>();
    const sizesRw = size ? await engine.usage.sizeRw(rows) : undefined;
    const imageSizes = new Map<string, number>();
    sendJSON(res, 200, await mapLimited(rows, 8, (row) => summaryView(engine, row, { size, sizesRw, imageSizes, now, endpoints, images, networks })));
  },
}];

/** Map with at most `limit` calls in flight (sizes run `du`; a long list must not fork them all at once). */
export async function mapLimited<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
