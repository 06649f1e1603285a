import { InvalidArgumentError, NotFoundError } from '../../runtime/index.ts';
import { templateSourcesSchema, type TemplateSourcesView } from '../protocol/index.ts';
import type { TemplateCatalogue } from '../templates/catalogue.ts';
import type { TemplateSourcesFile } from '../templates/sources-file.ts';
import { readJson } from './body.ts';
import type { LogoProxy } from '../templates/logos.ts';
import type { Route } from './router.ts';

/** Shown in place of a logo that cannot be fetched (served by Next from public/). */
export const FALLBACK_LOGO = '/templates/fallback.svg';

/**
 * App templates: the merged catalogue, and the logos of remote catalogues fetched by the
 * server. The logo route serves only URLs that some listed template names, so it is no
 * open proxy into the server's network.
 */
export function templateRoutes(catalogue: TemplateCatalogue, logos: LogoProxy, sources: TemplateSourcesFile, fromEnvironment: readonly string[]): Route[] {
  const view = async (): Promise<TemplateSourcesView> => ({ urls: await sources.read(), fromEnvironment: [...fromEnvironment] });
  return [
    { method: 'GET', path: '/api/templates/sources', access: 'admin', handler: async () => ({ status: 200, body: await view() }) },
    {
      method: 'PUT', path: '/api/templates/sources', access: 'admin',
      handler: async ({ req }) => {
        const { urls } = await readJson(req, templateSourcesSchema);
        await sources.write([...new Set(urls)]);
        catalogue.invalidate();
        return { status: 200, body: await view() };
      },
    },
    { method: 'GET', path: '/api/templates', access: 'user', handler: async () => ({ status: 200, body: await catalogue.list() }) },
    {
      method: 'GET', path: '/api/templates/logo', access: 'user',
      handler: async ({ url, res }) => {
        const wanted = url.searchParams.get('url') ?? '';
        if (!/^https?:\/\//i.test(wanted)) throw new InvalidArgumentError('url: must be an http or https URL', { field: 'url' });
        const { templates } = await catalogue.list();
        if (!templates.some((t) => t.logo === wanted)) throw new NotFoundError('url: no template has this logo');
        const logo = await logos.get(wanted);
        if (!logo) {
          res.writeHead(302, { Location: FALLBACK_LOGO, 'Cache-Control': 'no-store' });
          res.end();
          return;
        }
        res.writeHead(200, {
          'Content-Type': logo.type,
          'Content-Length': logo.body.length,
          'Cache-Control': 'private, max-age=3600',
          // An SVG opened directly must not run script on the dashboard's origin.
          'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox",
          'X-Content-Type-Options': 'nosniff',
        });
        res.end(logo.body);
      },
    },
  ];
}
