import { NotFoundError, type Engine } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { badRequest } from '../errors.ts';
import { readJSON, sendJSON } from '../respond.ts';
import { parseCreateBody, type CreateBody } from './create-body.ts';

/** Docker's platform spelling (`os[/arch[/variant]]`) against an image config's. */
async function checkPlatform(engine: Engine, imageId: string, ref: string, platform: string): Promise<void> {
  const parts = platform.toLowerCase().split('/');
  if (parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) throw badRequest(`"${platform}": unknown operating system or architecture: invalid argument (platform)`);
  const img = await engine.images.config(imageId);
  const [os, arch, variant] = parts;
  const norm = (a: string | undefined): string | undefined => (a === 'x86_64' || a === 'x86-64' ? 'amd64' : a === 'aarch64' ? 'arm64' : a);
  const actual = [img.os, img.architecture, img.variant].filter(Boolean).join('/');
  if (os !== img.os || (arch && norm(arch) !== norm(img.architecture)) || (variant && img.variant && variant !== img.variant)) {
    throw new NotFoundError(`image with reference ${ref} was found but its platform (${actual}) does not match the specified platform (${platform})`);
  }
}

/** dockerd refuses a container with nothing to run at create time, not at start. */
async function checkCommand(engine: Engine, imageId: string, c: CreateBody['config']): Promise<void> {
  const img = (await engine.images.config(imageId)).config ?? {};
  const entrypoint = c.Entrypoint ? c.Entrypoint.filter((a, i) => !(i === 0 && a === '' && c.Entrypoint!.length === 1)) : img.Entrypoint ?? [];
  const cmd = c.Cmd?.length ? c.Cmd : c.Entrypoint ? [] : img.Cmd ?? [];
  if (entrypoint.length + cmd.length === 0) throw badRequest('No command specified');
}

export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/create',
  handler: async (r) => {
    const { engine, req, res, query } = r;
    const type = req.headers['content-type'];
    if (type && Number(req.headers['content-length'] ?? 1) > 0 && !/^application\/json\b/i.test(type)) {
      throw badRequest(`unsupported Content-Type header (${type}): must be 'application/json'`);
    }
    const body = parseCreateBody(await readJSON<unknown>(r));
    await r.policy?.check({ kind: 'container.create', hostConfig: body.hostConfig, networks: Object.keys(body.endpoints) });
    const image = engine.images.resolve(body.config.Image);
    const platform = query.get('platform');
    if (platform) await checkPlatform(engine, image.id, body.config.Image, platform);
    await checkCommand(engine, image.id, body.config);
    const mode = body.hostConfig.NetworkMode ?? '';
    if (mode.startsWith('container:')) engine.containers.get(mode.slice('container:'.length));
    else engine.networks.get(mode);
    engine.networks.checkEndpointConfigs(body.endpoints);
    // A host port another container holds refuses the container before anything exists (409).
    await engine.networks.checkPorts(body.hostConfig);
    await engine.containers.checkMounts(body.hostConfig);
    const name = query.get('name') ?? undefined;
    const row = await engine.containers.create({ name, config: body.config, hostConfig: body.hostConfig });
    engine.networks.setEndpointConfigs(row.id, body.endpoints);
    sendJSON(res, 201, { Id: row.id, Warnings: [] });
  },
}];
