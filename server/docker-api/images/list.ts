import type { Route } from '../router.ts';
import { checkFilters, queryBool, queryFilters, sendJSON } from '../respond.ts';
import { boolFilter, globMatch, matchLabels, untilMs } from './match.ts';
import { sharedSizes, summarize, type ImageSummary } from './summary.ts';

const ACCEPTED = ['dangling', 'label', 'before', 'since', 'reference', 'until'];

/** reference.FamiliarMatch: the pattern against `name:tag`, then against the name alone. */
function familiarMatch(pattern: string, ref: string): boolean {
  const at = ref.indexOf('@');
  const colon = ref.lastIndexOf(':');
  const name = at >= 0 ? ref.slice(0, at) : colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
  return globMatch(pattern, ref) || globMatch(pattern, name);
}

/** GET /images/json: `docker images`, with Docker's filters and its rules for dangling images. */
export const routes: Route[] = [{
  method: 'GET',
  path: '/images/json',
  handler: async ({ engine, res, query, version }) => {
    const f = queryFilters(query);
    checkFilters(f, ACCEPTED);
    const dangling = boolFilter(f, 'dangling');
    const images = engine.images;
    // before/until: older than the oldest named; since: newer than the newest named (unix seconds).
    let before: number | undefined;
    for (const v of f.get('before') ?? []) before = Math.min(before ?? Infinity, images.resolve(v).created);
    const until = untilMs(f);
    if (until !== undefined) before = Math.min(before ?? Infinity, until / 1000);
    let since: number | undefined;
    for (const v of f.get('since') ?? []) since = Math.max(since ?? -Infinity, images.resolve(v).created);
    const patterns = f.get('reference');
    const shared = queryBool(query, 'shared-size') ? sharedSizes(engine) : undefined;

    const all = queryBool(query, 'all');
    const rows = images.list();
    const configs = new Map(await Promise.all(rows.map(async (r) => [r.id, await images.config(r.id)] as const)));
    // dockerd: an untagged image that is another's parent (a build step) is intermediate, listed only with `all`.
    const parents = new Set([...configs.values()].map((c) => c.parent).filter((p): p is string => typeof p === 'string'));
    const out: ImageSummary[] = [];
    for (const row of rows) {
      if (before !== undefined && !(row.created < before)) continue;
      if (since !== undefined && !(row.created > since)) continue;
      const config = configs.get(row.id)!;
      if (f.has('label') && !matchLabels(f.get('label'), config.config?.Labels)) continue;
      let repoTags = images.repoTags(row.id);
      let repoDigests = images.repoDigests(row.id);
      if (patterns) {
        repoTags = repoTags.filter((t) => patterns.some((p) => familiarMatch(p, t)));
        repoDigests = repoDigests.filter((d) => patterns.some((p) => familiarMatch(p, d)));
      }
      if (repoTags.length === 0 && repoDigests.length === 0) {
        if (dangling === false || patterns || ((!all || dangling === true) && parents.has(row.id))) continue;
      } else if (dangling === true && repoTags.length > 0) continue;
      out.push(summarize(engine, row, config, { version, repoTags, repoDigests, sharedSize: shared?.get(row.id) }));
    }
    out.sort((a, b) => b.Created - a.Created);
    sendJSON(res, 200, out);
  },
}];
