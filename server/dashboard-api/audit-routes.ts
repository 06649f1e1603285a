import type { ServerResponse } from 'node:http';
import { once } from 'node:events';
import { InvalidArgumentError } from '../../runtime/index.ts';
import type { AuditStore } from '../audit/store.ts';
import { auditQuerySchema, type AuditPage, type AuditQuery } from '../protocol/index.ts';
import type { Route } from './router.ts';

/** Rows read per turn of the loop while exporting. */
const EXPORT_BATCH = 500;

function parseQuery(url: URL): AuditQuery {
  const parsed = auditQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  throw new InvalidArgumentError(`${field}: ${issue.message}`, { field });
}

/** The audit log, for admins: filtered pages, and the whole filtered set as JSON. */
export function auditRoutes(store: AuditStore): Route[] {
  return [
    {
      method: 'GET', path: '/api/audit', access: 'admin',
      handler: async ({ url }) => {
        const query = parseQuery(url);
        const entries = store.page(query);
        const body: AuditPage = { entries, next: entries.length === query.limit ? entries.at(-1)!.id : null };
        return { status: 200, body };
      },
    },
    {
      method: 'GET', path: '/api/audit/export', access: 'admin',
      handler: async ({ url, res }) => {
        const query = { ...parseQuery(url), limit: EXPORT_BATCH };
        res.writeHead(200, {
          'Content-Type': 'application/json',
          'Content-Disposition': 'attachment; filename="wharf-audit.json"',
          'Cache-Control': 'no-store',
        });
        await streamArray(res, query, store);
      },
    },
  ];
}

/** A JSON array written page by page (newest first), yielding to the loop and to back-pressure. */
async function streamArray(res: ServerResponse, query: AuditQuery, store: AuditStore): Promise<void> {
  let first = true;
  let before = query.before;
  res.write('[');
  for (;;) {
    if (res.destroyed) return;
    const entries = store.page({ ...query, before });
    const text = entries.map((e) => JSON.stringify(e)).join(',\n');
    if (text) {
      const ok = res.write(`${first ? '\n' : ',\n'}${text}`);
      first = false;
      if (!ok) await Promise.race([once(res, 'drain'), once(res, 'close')]);
    }
    if (entries.length < EXPORT_BATCH) break;
    before = entries.at(-1)!.id;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  res.end('\n]\n');
}
