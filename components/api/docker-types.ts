/**
 * The Docker Engine API (v1.47) objects the dashboard reads, from the types generated from
 * the spec (server/protocol/docker-api.ts). The spec leaves almost every field optional;
 * `Sent` marks the fields every engine behind the proxy (dockerd, podman, Wharf) does send,
 * so pages need not guard them. Everything else keeps the spec's type.
 */
import type * as Docker from '@/server/protocol/docker-api.ts';

/** `T` with the fields `K` present and not null. */
type Sent<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };

export type Port = Sent<Docker.Port, 'PrivatePort' | 'Type'>;
export type MountPoint = Sent<Docker.MountPoint, 'Type' | 'Source' | 'Destination' | 'RW'>;
export type EndpointSettings = Docker.EndpointSettings;
export type RestartPolicy = Docker.RestartPolicy;
export type MountSpec = Docker.Mount;
export type HostConfig = Docker.HostConfig;
export type ContainerConfig = Docker.ContainerConfig;

export type ContainerSummary = Omit<Sent<Docker.ContainerSummary, 'Id' | 'Names' | 'Image' | 'ImageID' | 'Command' | 'Created' | 'Labels' | 'State' | 'Status'>, 'Ports' | 'Mounts'> & {
  Ports: Port[];
  Mounts?: MountPoint[];
};

export type ContainerState = Sent<NonNullable<Docker.ContainerState>,
  'Status' | 'Running' | 'Paused' | 'Restarting' | 'OOMKilled' | 'Dead' | 'Pid' | 'ExitCode' | 'Error' | 'StartedAt' | 'FinishedAt'>;

type InspectResponse = Docker.ContainerInspectResponse;
export type ContainerInspect = Omit<Sent<InspectResponse, 'Id' | 'Name' | 'Created' | 'Path' | 'Args' | 'Image' | 'RestartCount' | 'NetworkSettings'>, 'State' | 'Config' | 'HostConfig' | 'Mounts'> & {
  State: ContainerState;
  Config: ContainerConfig;
  HostConfig: HostConfig;
  Mounts: MountPoint[];
};

export type ImageSummary = Docker.ImageSummary;
export type ImageInspect = Sent<Docker.ImageInspect, 'Id' | 'RepoTags' | 'Created' | 'Size'>;
export type HistoryItem = Docker.ImageHistoryResponseItem;
export type Volume = Docker.Volume;
export type Network = Omit<Sent<Docker.Network, 'Name' | 'Id' | 'Created' | 'Scope' | 'Driver' | 'Internal' | 'Labels'>, 'IPAM'> & {
  IPAM: Sent<Docker.IPAM, 'Driver' | 'Config'>;
};
export type SystemInfo = Sent<Docker.SystemInfo,
  'Name' | 'ServerVersion' | 'OperatingSystem' | 'KernelVersion' | 'NCPU' | 'MemTotal' | 'Containers' | 'ContainersRunning' | 'ContainersPaused' | 'ContainersStopped' | 'Images'>;
export type SystemVersion = Sent<Docker.SystemVersion, 'Version' | 'ApiVersion' | 'Os' | 'Arch'>;
export type SystemDf = Docker.SystemDataUsageResponse;
export type TopResult = Sent<Docker.ContainerTopResponse, 'Titles' | 'Processes'>;

/** One message of a JSON progress stream (pull, push, build, load). */
export type ProgressMessage = Docker.CreateImageInfo & Docker.PushImageInfo & Docker.BuildInfo;
