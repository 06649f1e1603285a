import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { queryBool } from '../respond.ts';
import { parseTimestampNs } from '../time.ts';
import { OutputWriter } from './output-writer.ts';

/** `tail`: "all" (or absent, or negative) for everything, else a line count. */
function parseTail(v: string | null): number | undefined {
  if (v === null || v === '' || v === 'all') return undefined;
  if (!/^-?\d+$/.test(v)) throw badRequest(`invalid value for "tail": "${v}"`);
  const n = Number(v);
  return n < 0 ? undefined : n;
}

export const routes: Route[] = [{
  method: 'GET',
  path: '/containers/:id/logs',
  handler: async ({ engine, req, res, params, query }) => {
    const stdout = queryBool(query, 'stdout');
    const stderr = queryBool(query, 'stderr');
    if (!stdout && !stderr) throw badRequest('Bad parameters: you must choose at least one stream');
    const timestamps = queryBool(query, 'timestamps');
    const opts = {
      // Without per-line timestamps, lines of one stream travel together (see OutputWriter).
      merge: !timestamps,
      follow: queryBool(query, 'follow'),
      stdout,
      stderr,
      tail: parseTail(query.get('tail')),
      sinceNs: parseTimestampNs(query.get('since'), 'since') || undefined,
      untilNs: parseTimestampNs(query.get('until'), 'until') || undefined,
    };
    if (opts.sinceNs !== undefined && opts.untilNs !== undefined && opts.untilNs < opts.sinceNs) throw badRequest('until must not be before since (until)');

    const row = engine.containers.get(params.id!);
    const tty = row.record.Config.Tty;
    const abort = new AbortController();
    const logs = engine.containers.logs(row.id, opts, abort.signal);
    res.writeHead(200, { 'Content-Type': tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream' });
    res.flushHeaders();
    const gone = (): void => abort.abort();
    req.socket.once('close', gone);
    const out = new OutputWriter(res, tty, timestamps);
    try {
      for await (const chunk of logs) {
        if (!(await out.add(chunk))) break;
      }
      out.flush();
      res.end();
    } finally {
      out.cancel();
      req.socket.off('close', gone);
      abort.abort();
    }
  },
}];
