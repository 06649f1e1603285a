import type { Engine, HostConfig, MountPoint } from '../../runtime/index.ts';
import type { DockerClient } from '../environments/client.ts';

/** What the policy needs to know of an existing container: how it was configured and what it mounts. */
export interface ContainerFacts { id: string; HostConfig: HostConfig & Record<string, unknown>; Mounts: Pick<MountPoint, 'Type' | 'Name' | 'Source'>[] }

/**
 * The objects a request refers to by name (a container whose namespaces or volumes it joins, a
 * volume it mounts, a network it attaches to), as the engine that executes the request knows them.
 */
export interface PolicyLookup {
  container(idOrName: string): Promise<ContainerFacts | undefined>;
  /** The driver options of a volume; undefined when there is no such volume yet. */
  volumeOptions(name: string): Promise<Record<string, string> | undefined>;
  /** The driver of a network (`bridge`, `host`…); undefined when there is no such network. */
  networkDriver(idOrName: string): Promise<string | undefined>;
  /** The container an exec instance runs in, and whether it was created privileged. */
  exec(id: string): Promise<{ containerId: string; privileged: boolean; user: string } | undefined>;
}

/** The embedded engine, read in-process. */
export function engineLookup(engine: Engine): PolicyLookup {
  const quiet = <T>(read: () => T): T | undefined => { try { return read(); } catch { return undefined; } };
  return {
    container: async (id) => quiet(() => {
      const { record } = engine.containers.get(id);
      return { id: record.Id, HostConfig: record.HostConfig as ContainerFacts['HostConfig'], Mounts: record.Mounts ?? [] };
    }),
    volumeOptions: async (name) => quiet(() => engine.volumes.get(name).options ?? {}),
    networkDriver: async (id) => quiet(() => engine.networks.get(id).Driver),
    exec: async (id) => quiet(() => {
      const e = engine.containers.exec.get(id);
      return { containerId: e.ContainerID, privileged: !!e.Config.Privileged, user: e.Config.User ?? '' };
    }),
  };
}

/** Another Docker engine, read through its own API. */
export function clientLookup(client: DockerClient): PolicyLookup {
  const get = async <T>(path: string): Promise<T | undefined> => {
    try { return await client.json<T>('GET', path); } catch { return undefined; }
  };
  const seg = encodeURIComponent;
  return {
    container: async (id) => {
      const c = await get<{ Id: string; HostConfig?: ContainerFacts['HostConfig']; Mounts?: ContainerFacts['Mounts'] }>(`/containers/${seg(id)}/json`);
      return c && { id: c.Id, HostConfig: c.HostConfig ?? {}, Mounts: c.Mounts ?? [] };
    },
    volumeOptions: async (name) => {
      const v = await get<{ Options?: Record<string, string> | null }>(`/volumes/${seg(name)}`);
      return v && (v.Options ?? {});
    },
    networkDriver: async (id) => (await get<{ Driver?: string }>(`/networks/${seg(id)}`))?.Driver,
    exec: async (id) => {
      const e = await get<{ ContainerID: string; Privileged?: boolean; ProcessConfig?: { privileged?: boolean; user?: string } }>(`/exec/${seg(id)}/json`);
      return e && { containerId: e.ContainerID, privileged: !!(e.Privileged ?? e.ProcessConfig?.privileged), user: e.ProcessConfig?.user ?? '' };
    },
  };
}
