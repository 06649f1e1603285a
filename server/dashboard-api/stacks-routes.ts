import type { ServerResponse } from 'node:http';
import type { z } from 'zod';
import { ConflictError, InvalidArgumentError, NotFoundError } from '../../runtime/index.ts';
import { stackCreateSchema, stackDownSchema, stackFilesSchema, stackScaleSchema, stackUpSchema, type StackProgress } from '../protocol/index.ts';
import { StackInvalidError, type StackService } from '../stacks/service.ts';
import { templateStackFiles } from '../stacks/template-stack.ts';
import type { SessionUser, TemplateList } from '../protocol/index.ts';
import type { StackCaller } from '../stacks/policy.ts';
import { parseJson, readBody } from './body.ts';
import type { Context, Route } from './router.ts';

/** Two files of up to 1 MiB each, JSON-escaped. */
const FILES_LIMIT = 4 << 20;

async function readFiles<S extends z.ZodTypeAny>(ctx: Context, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(parseJson(await readBody(ctx.req, FILES_LIMIT)) ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  throw new InvalidArgumentError(field ? `${field}: ${issue.message}` : issue.message, { field: field || undefined });
}

/** A bad compose file answers 400 with every problem and its line, for the editor. */
async function orProblems(fn: () => Promise<void>, ok: number): Promise<{ status: number; body?: unknown }> {
  try {
    await fn();
    return { status: ok };
  } catch (err) {
    if (err instanceof StackInvalidError) return { status: 400, body: { message: err.message, field: err.field, problems: err.problems } };
    throw err;
  }
}

/**
 * Progress as NDJSON, one StackProgress per line. The answer starts with the first line, so
 * an error before any change (a stale plan, a refused setting) is still an HTTP error; after
 * that it is the last line of the stream.
 */
async function streamProgress(res: ServerResponse, run: (progress: (p: StackProgress) => void) => Promise<void>): Promise<void> {
  const write = (p: StackProgress): void => {
    if (!res.headersSent) res.writeHead(200, { 'Content-Type': 'application/x-ndjson', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    res.write(`${JSON.stringify(p)}\n`);
  };
  try {
    await run(write);
  } catch (err) {
    if (!res.headersSent) throw err;
    write({ kind: 'error', target: '', message: (err as Error).message });
  }
  res.end();
}


/** The Stacks page's API: files, plan, up/down and the rest, all on the local environment. */
export function stackRoutes(stacks: StackService, templates: { list(): Promise<TemplateList> }, callerOf: (user: SessionUser) => StackCaller): Route[] {
  const role = (ctx: Context): StackCaller => callerOf(ctx.session!.user);
  return [
    {
      method: 'GET', path: '/api/stacks/from-template/:id', access: 'user',
      handler: async ({ params }) => {
        const t = (await templates.list()).templates.find((x) => String(x.id) === params.id);
        if (!t) throw new NotFoundError(`no template ${params.id}`);
        return { status: 200, body: await templateStackFiles(t) };
      },
    },
    { method: 'GET', path: '/api/stacks', access: 'user', handler: async () => ({ status: 200, body: await stacks.list() }) },
    {
      method: 'POST', path: '/api/stacks', access: 'user',
      handler: async (ctx) => {
        const { name, ...files } = await readFiles(ctx, stackCreateSchema);
        if ((await stacks.list()).some((s) => s.name === name && s.managed)) throw new ConflictError(`a stack named ${name} already exists`);
        return orProblems(() => stacks.save(name, files, role(ctx)), 201);
      },
    },
    { method: 'GET', path: '/api/stacks/:name', access: 'user', handler: async ({ params }) => ({ status: 200, body: await stacks.get(params.name!) }) },
    {
      method: 'PUT', path: '/api/stacks/:name/files', access: 'user',
      handler: async (ctx) => {
        const files = await readFiles(ctx, stackFilesSchema);
        return orProblems(() => stacks.save(ctx.params.name!, files, role(ctx)), 204);
      },
    },
    {
      method: 'POST', path: '/api/stacks/:name/check', access: 'user',
      handler: async (ctx) => ({ status: 200, body: { problems: await stacks.check(ctx.params.name!, await readFiles(ctx, stackFilesSchema)) } }),
    },
    {
      method: 'GET', path: '/api/stacks/:name/plan', access: 'user',
      handler: async (ctx) => {
        let plan;
        const r = await orProblems(async () => { plan = await stacks.plan(ctx.params.name!, role(ctx)); }, 200);
        return r.status === 200 ? { status: 200, body: plan } : r;
      },
    },
    {
      method: 'POST', path: '/api/stacks/:name/up', access: 'user',
      handler: async (ctx) => {
        const { plan } = await readFiles(ctx, stackUpSchema);
        await streamProgress(ctx.res, (p) => stacks.up(ctx.params.name!, role(ctx), plan, p));
      },
    },
    {
      method: 'POST', path: '/api/stacks/:name/scale', access: 'user',
      handler: async (ctx) => {
        const scale = await readFiles(ctx, stackScaleSchema);
        await streamProgress(ctx.res, (p) => stacks.up(ctx.params.name!, role(ctx), undefined, p, scale));
      },
    },
    {
      method: 'POST', path: '/api/stacks/:name/down', access: 'user',
      handler: async (ctx) => {
        const { volumes } = await readFiles(ctx, stackDownSchema);
        await streamProgress(ctx.res, (p) => stacks.down(ctx.params.name!, role(ctx), volumes, p));
      },
    },
    ...(['start', 'stop', 'restart'] as const).map((action): Route => ({
      method: 'POST', path: `/api/stacks/:name/${action}`, access: 'user',
      handler: async (ctx) => {
        await stacks.lifecycle(ctx.params.name!, role(ctx), action);
        return { status: 204 };
      },
    })),
    {
      method: 'DELETE', path: '/api/stacks/:name', access: 'user',
      handler: async (ctx) => {
        await stacks.remove(ctx.params.name!, role(ctx), ctx.url.searchParams.get('volumes') === '1');
        return { status: 204 };
      },
    },
    {
      method: 'GET', path: '/api/stacks/:name/logs', access: 'user',
      handler: async ({ params, url }) => {
        const tail = Number(url.searchParams.get('tail') ?? 200);
        if (!Number.isInteger(tail) || tail < 1 || tail > 10_000) throw new InvalidArgumentError('tail: must be an integer from 1 to 10000', { field: 'tail' });
        return { status: 200, body: { lines: await stacks.logs(params.name!, url.searchParams.get('service') || undefined, tail) } };
      },
    },
  ];
}
