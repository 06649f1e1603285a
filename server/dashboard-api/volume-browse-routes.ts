import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { LOCAL_ENVIRONMENT_ID } from '../protocol/index.ts';
import { NotFoundError, NotImplementedError, type Engine } from '../../runtime/index.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import type { Context, Route } from './router.ts';
import { listDirectory, openDownload, volumePath } from './volume-files.ts';

/**
 * Read-only browsing and download of a volume's files. The Docker API has no such endpoint,
 * so only the embedded engine, whose volumes live on this host, can answer.
 */
export function volumeBrowseRoutes(engine: Engine, environments: EnvironmentRegistry): Route[] {
  /** The volume's `_data` directory; only the embedded engine's volumes live on this host. */
  const dataOf = ({ params }: Context): string => {
    if (!environments.record(params.id!)) throw new NotFoundError(`no such environment: ${params.id}`);
    if (params.id !== LOCAL_ENVIRONMENT_ID) throw new NotImplementedError('browsing volumes needs the embedded engine');
    const volume = engine.volumes.get(params.name!);
    return engine.volumes.mountpointOf(volume.name);
  };

  return [
    {
      method: 'GET', path: '/api/environments/:id/volumes/:name/browse', access: 'user',
      handler: async (ctx) => {
        const data = dataOf(ctx);
        return { status: 200, body: await listDirectory(data, volumePath(ctx.url.searchParams.get('path'))) };
      },
    },
    {
      method: 'GET', path: '/api/environments/:id/volumes/:name/download', access: 'user',
      handler: async (ctx) => {
        const data = dataOf(ctx);
        const shown = volumePath(ctx.url.searchParams.get('path'));
        const download = await openDownload(data, shown);
        const base = shown === '/' ? ctx.params.name! : shown.slice(shown.lastIndexOf('/') + 1);
        const headers: Record<string, string | number> = {
          'Content-Type': download.kind === 'dir' ? 'application/x-tar' : 'application/octet-stream',
          'Content-Disposition': attachment(download.kind === 'dir' ? `${base}.tar` : base),
          'X-Content-Type-Options': 'nosniff',
          'Cache-Control': 'no-store',
        };
        if (download.kind === 'file') headers['Content-Length'] = download.size;
        await stream(ctx.res, headers, download.stream);
      },
    },
  ];
}

/** RFC 6266: an ASCII fallback any browser takes, and the real name in `filename*`. */
function attachment(name: string): string {
  const fallback = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || 'download';
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

async function stream(res: ServerResponse, headers: Record<string, string | number>, body: NodeJS.ReadableStream): Promise<void> {
  res.writeHead(200, headers);
  try {
    await pipeline(body, res);
  } catch {
    // Headers are gone: a cut connection is the only way left to say the body is incomplete.
    res.destroy();
  }
}
