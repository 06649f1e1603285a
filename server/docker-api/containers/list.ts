import type { Route } from '../router.ts';
import { queryBool, queryFilters, queryInt, sendJSON } from '../respond.ts';
import { listContainers } from './filters.ts';
import { summaryView } from './summary-view.ts';
import { mapInTurns } from '../turns.ts';

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
    const images = new Map<string, string | undefined>();
    const sizesRw = size ? await engine.usage.sizeRw(rows) : undefined;
    const imageSizes = new Map<string, number>();
    sendJSON(res, 200, await mapInTurns(rows, (row) => summaryView(engine, row, { size, sizesRw, imageSizes, now, images })));
  },
}];
