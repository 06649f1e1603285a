import type { DockerClient } from '../environments/client.ts';

/** The parts of `GET /containers/{id}/json` a recreate carries over. */
export interface ContainerInspect {
  Id: string;
  Name: string;
  Image: string;
  Config: Record<string, unknown> & { Image: string; Hostname?: string };
  HostConfig: Record<string, unknown>;
  State: { Running: boolean };
  NetworkSettings?: { Networks?: Record<string, { IPAMConfig?: unknown; Links?: unknown; Aliases?: string[] | null; MacAddress?: string; DriverOpts?: unknown }> };
}

export const inspectContainer = (docker: DockerClient, id: string): Promise<ContainerInspect> =>
  docker.json<ContainerInspect>('GET', `/containers/${encodeURIComponent(id)}/json`);

/**
 * The create body that makes the same container again on another image: its config, host
 * config and network endpoints as the engine reports them. The generated hostname (the old
 * id's prefix) and aliases are the old container's, not settings: they are left to the engine.
 */
export function recreateBody(c: ContainerInspect, image: string): Record<string, unknown> {
  const config: Record<string, unknown> = { ...c.Config, Image: image };
  if (c.Config.Hostname === c.Id.slice(0, 12)) delete config.Hostname;
  const short = c.Id.slice(0, 12);
  const endpoints: Record<string, unknown> = {};
  for (const [name, ep] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
    const aliases = (ep.Aliases ?? []).filter((a) => a !== short);
    endpoints[name] = { IPAMConfig: ep.IPAMConfig ?? null, Links: ep.Links ?? null, Aliases: aliases.length ? aliases : null, DriverOpts: ep.DriverOpts ?? null };
  }
  return { ...config, HostConfig: c.HostConfig, NetworkingConfig: { EndpointsConfig: endpoints } };
}

/**
 * Replace a container by one with the same name and settings on `image`: the old one is
 * stopped and renamed aside, the new one created (and started if the old one ran), then the
 * old one removed. If the new one cannot be created or started, the old one is put back.
 */
export async function recreateContainer(docker: DockerClient, c: ContainerInspect, image: string, body = recreateBody(c, image)): Promise<string> {
  const name = c.Name.replace(/^\//, '');
  const id = encodeURIComponent(c.Id);
  if (c.State.Running) await docker.json('POST', `/containers/${id}/stop`);
  const aside = `${name}-wharf-replaced-${c.Id.slice(0, 8)}`;
  await docker.json('POST', `/containers/${id}/rename?name=${encodeURIComponent(aside)}`);
  let created: string | undefined;
  try {
    created = (await docker.json<{ Id: string }>('POST', `/containers/create?name=${encodeURIComponent(name)}`, body)).Id;
    if (c.State.Running) await docker.json('POST', `/containers/${encodeURIComponent(created)}/start`);
  } catch (e) {
    if (created) await docker.json('DELETE', `/containers/${encodeURIComponent(created)}?force=1`).catch(() => undefined);
    await docker.json('POST', `/containers/${id}/rename?name=${encodeURIComponent(name)}`);
    if (c.State.Running) await docker.json('POST', `/containers/${id}/start`);
    throw e;
  }
  await docker.json('DELETE', `/containers/${id}?v=0`);
  return created;
}
