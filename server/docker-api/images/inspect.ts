import type { Engine, ImageConfig, ImageRow } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { sendJSON } from '../respond.ts';
import { versionLess } from './summary.ts';

/** The image's runtime config in Docker's container.Config shape (1.47 still lists the deprecated fields). */
function dockerConfig(c: ImageConfig['config']): Record<string, unknown> {
  const cfg = c ?? {};
  return {
    Hostname: '', Domainname: '', User: cfg.User ?? '',
    AttachStdin: false, AttachStdout: false, AttachStderr: false,
    ...(cfg.ExposedPorts && Object.keys(cfg.ExposedPorts).length ? { ExposedPorts: cfg.ExposedPorts } : {}),
    Tty: false, OpenStdin: false, StdinOnce: false,
    Env: cfg.Env ?? null, Cmd: cfg.Cmd ?? null,
    ...(cfg.Healthcheck ? { Healthcheck: cfg.Healthcheck } : {}),
    ...(cfg.ArgsEscaped ? { ArgsEscaped: true } : {}),
    Image: '', Volumes: cfg.Volumes ?? null, WorkingDir: cfg.WorkingDir ?? '', Entrypoint: cfg.Entrypoint ?? null,
    OnBuild: cfg.OnBuild ?? null, Labels: cfg.Labels ?? null,
    ...(cfg.StopSignal ? { StopSignal: cfg.StopSignal } : {}),
    ...(cfg.Shell ? { Shell: cfg.Shell } : {}),
  };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** `docker image inspect`: Docker's ImageInspect for API 1.47 (older clients get VirtualSize and Container fields). */
export async function inspectImage(engine: Engine, row: ImageRow, version: string): Promise<Record<string, unknown>> {
  const config = await engine.images.config(row.id);
  const dirs = engine.images.layerDirs(row);
  const data: Record<string, string> = {};
  if (dirs.lowers.length) data.LowerDir = dirs.lowers.join(':');
  if (dirs.upper) data.UpperDir = dirs.upper;
  const lastTag = engine.images.lastTagTime(row.id);
  const out: Record<string, unknown> = {
    Id: row.id,
    RepoTags: engine.images.repoTags(row.id),
    RepoDigests: engine.images.repoDigests(row.id),
    Parent: str(config.parent),
    Comment: str(config.comment),
    ...(config.created ? { Created: config.created } : {}),
    DockerVersion: str(config.docker_version),
    Author: config.author ?? '',
    Config: dockerConfig(config.config),
    Architecture: config.architecture,
    ...(config.variant ? { Variant: config.variant } : {}),
    Os: config.os,
    ...(config['os.version'] ? { OsVersion: config['os.version'] } : {}),
    Size: row.size,
    GraphDriver: { Name: 'overlay2', Data: data },
    RootFS: { Type: 'layers', Layers: config.rootfs.diff_ids },
    Metadata: lastTag ? { LastTagTime: lastTag } : {},
  };
  if (versionLess(version, '1.44')) out.VirtualSize = row.size;
  if (versionLess(version, '1.45')) {
    out.Container = str(config.container);
    // Images made by Docker's classic builder or `docker commit` record the config of the
    // container that made them; compose 1.29 reads its Volumes when it recreates a service.
    const made = config.container_config;
    const recorded = made && typeof made === 'object' && !Array.isArray(made) ? made as Record<string, unknown> : undefined;
    out.ContainerConfig = { ...dockerConfig(recorded as ImageConfig['config']), ...recorded };
  }
  return out;
}

export const routes: Route[] = [{
  method: 'GET',
  path: '/images/:name*/json',
  handler: async ({ engine, res, params, version }) => {
    sendJSON(res, 200, await inspectImage(engine, engine.images.resolve(params.name!), version));
  },
}];
