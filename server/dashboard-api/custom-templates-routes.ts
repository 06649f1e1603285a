import type { z } from 'zod';
import { InvalidArgumentError } from '../../runtime/index.ts';
import { customTemplateSchema, fromContainerSchema, type CustomTemplateFile } from '../protocol/index.ts';
import type { TemplateCatalogue } from '../templates/catalogue.ts';
import type { CustomTemplateStore } from '../templates/custom-store.ts';
import { templateFromInspect, type InspectForTemplate } from '../templates/from-container.ts';
import { parseJson, readBody, readJson } from './body.ts';
import type { Route } from './router.ts';

/** The two reads of the local environment's Docker API a template from a container needs. */
export interface InspectApi {
  json<T>(method: string, path: string): Promise<T>;
}

function templateId(raw: string | undefined): number {
  const id = Number(raw);
  if (!Number.isSafeInteger(id) || id <= 0) throw new InvalidArgumentError('id: must be a positive integer', { field: 'id' });
  return id;
}

/** Checks a value the server built or read against a protocol schema; the message names the field. */
function checked<S extends z.ZodTypeAny>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.');
  throw new InvalidArgumentError(field ? `${field}: ${issue.message}` : issue.message, { field: field || undefined });
}

/**
 * Custom templates: every signed-in user lists and exports them (they are part of the
 * catalogue); administrators write them, by hand or from a container of the local environment.
 */
export function customTemplateRoutes(store: CustomTemplateStore, catalogue: TemplateCatalogue, docker: InspectApi): Route[] {
  const changed = <T>(result: T): T => {
    catalogue.invalidate();
    return result;
  };
  return [
    { method: 'GET', path: '/api/templates/custom', access: 'user', handler: async () => ({ status: 200, body: await store.asFile() }) },
    {
      method: 'GET', path: '/api/templates/custom/export', access: 'user',
      handler: async ({ res }) => {
        const file: CustomTemplateFile = await store.asFile();
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Disposition': 'attachment; filename="wharf-templates.json"', 'Cache-Control': 'no-store' });
        res.end(`${JSON.stringify(file, null, 2)}\n`);
      },
    },
    {
      method: 'POST', path: '/api/templates/custom', access: 'admin',
      handler: async ({ req }) => ({ status: 201, body: changed(await store.create(await readJson(req, customTemplateSchema))) }),
    },
    {
      method: 'POST', path: '/api/templates/custom/from-container/:id', access: 'admin',
      handler: async ({ req, params }) => {
        const extra = checked(fromContainerSchema, parseJson(await readBody(req, 64 * 1024)) ?? {});
        const c = await docker.json<InspectForTemplate>('GET', `/containers/${encodeURIComponent(params.id!)}/json`);
        // Variables the image sets itself are left out: the image brings them again.
        const image = await docker.json<{ Config?: { Env?: string[] | null } }>('GET', `/images/${encodeURIComponent(c.Config.Image)}/json`).catch(() => undefined);
        const template = checked(customTemplateSchema, templateFromInspect(c, image?.Config?.Env ?? [], extra));
        return { status: 201, body: changed(await store.create(template)) };
      },
    },
    {
      method: 'PUT', path: '/api/templates/custom/:id', access: 'admin',
      handler: async ({ req, params }) => {
        const id = templateId(params.id);
        return { status: 200, body: changed(await store.update(id, await readJson(req, customTemplateSchema))) };
      },
    },
    {
      method: 'DELETE', path: '/api/templates/custom/:id', access: 'admin',
      handler: async ({ params }) => {
        await store.remove(templateId(params.id));
        catalogue.invalidate();
        return { status: 204 };
      },
    },
  ];
}
