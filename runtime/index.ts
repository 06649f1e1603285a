/**
 * The engine's public surface: the only module `server/` may import from runtime/.
 *
 * `Engine` is a set of narrow service interfaces (containerd's model: one service per folder
 * behind an interface). They name what a caller may do, never how: no store, database handle,
 * task or runc is reachable through them, so `server/` cannot touch the engine's internals and
 * a fake engine can implement the same interfaces for tests without root. Each method is
 * documented where it is implemented (the service named beside each interface).
 */
import type { EngineConfig } from './config.ts';
import type { BuildService } from './build/service.ts';
import type { ContainerOps } from './containers/ops.ts';
import type { ContainerService } from './containers/service.ts';
import type { EventBus } from './events/bus.ts';
import type { ImageService } from './imageops/service.ts';
import type { NetworkService } from './network/service.ts';
import type { SystemService } from './engine/system.ts';
import type { VolumeService } from './volumes/service.ts';
import type { ContainerUsage } from './containers/usage.ts';

/** Image records and operations (runtime/imageops/service.ts). */
export type Images = Pick<ImageService,
  | 'resolve' | 'find' | 'get' | 'list' | 'config' | 'repoTags' | 'repoDigests' | 'lastTagTime' | 'users'
  | 'chainIDs' | 'layerDirs' | 'tag' | 'remove' | 'load' | 'save' | 'import' | 'importFromURL' | 'prune' | 'pull' | 'push' | 'login' | 'remoteDigest' | 'ensureBusybox'>;

/** Container records and lifecycle, logs, attach, exec (runtime/containers/service.ts). */
export type Containers = Pick<ContainerService,
  | 'get' | 'find' | 'list' | 'create' | 'start' | 'stop' | 'kill' | 'restart' | 'pause' | 'unpause'
  | 'wait' | 'waitUntil' | 'remove' | 'rename' | 'logs' | 'resize' | 'attach' | 'pids' | 'top' | 'sizeRw'
  | 'paths' | 'checkMounts' | 'createExec' | 'exec' | 'inspectKernel' | 'linkedChild' | 'removeLink'>;

/** Stats, live updates, file copy in and out, export, diff and commit (runtime/containers/ops.ts). */
export type ContainerOperations = Pick<ContainerOps, 'stats' | 'update' | 'statPath' | 'getArchive' | 'putArchive' | 'export' | 'changes' | 'commit'>;

/** `docker build`, the classic builder (runtime/build/service.ts). */
export type Builds = Pick<BuildService, 'validate' | 'prepare' | 'run' | 'hints'>;

/** Named and anonymous volumes (runtime/volumes/service.ts). */
export type Volumes = Pick<VolumeService,
  'find' | 'get' | 'list' | 'create' | 'remove' | 'prune' | 'usage' | 'inUse' | 'usersOf' | 'mountpointOf' | 'removeAnonymousOf'>;

/** Networks (runtime/network/service.ts). */
export type Networks = Pick<NetworkService, 'list' | 'find' | 'get' | 'isPredefined' | 'endpoints' | 'create' | 'remove' | 'prune'
  | 'connect' | 'disconnect' | 'checkEndpointConfigs' | 'checkPorts' | 'setEndpointConfigs' | 'settings' | 'underTheHood'>;

/** `/info`, `/version` (runtime/engine/system.ts). */
export type System = Pick<SystemService, 'info' | 'version'>;

/** Sizes for `ps -s`, `system df` and the dashboard, kept up to date off the event loop (runtime/containers/usage.ts). */
export type Usage = Pick<ContainerUsage, 'sizeRw' | 'volumeSize' | 'pendingWalks'>;

/** The engine's event stream (runtime/events/bus.ts). */
export type Events = Pick<EventBus, 'publish' | 'subscribe' | 'replay'>;

/** The one facade `server/` sees. */
export interface Engine {
  readonly config: EngineConfig;
  readonly images: Images;
  readonly containers: Containers;
  readonly containerOps: ContainerOperations;
  readonly builds: Builds;
  readonly volumes: Volumes;
  readonly networks: Networks;
  readonly system: System;
  readonly events: Events;
  readonly usage: Usage;
  /** Stop watching and close the database. Containers keep running by design. */
  close(): Promise<void>;
}

export { createEngine } from './engine/engine.ts';
export { defaultEngineConfig, type EngineConfig } from './config.ts';
export type { SystemInfo, SystemVersion } from './engine/system.ts';
export { API_VERSION, MIN_API_VERSION, WHARF_VERSION } from './engine/system.ts';
export * from './errors.ts';
export { spawnAddonError } from './util/spawn/index.ts';
export type { EngineEvent, EventType } from './events/bus.ts';
export type { ContainerConfig, ContainerRecord, ContainerState, HostConfig, MountPoint } from './containers/types.ts';
export type { ExecConfig, ExecInstance, ExecSession, Execs, ExecStartOptions } from './containers/exec.ts';
export type { AttachOptions, AttachSession } from './containers/attach.ts';
export type { CreateRequest } from './containers/create.ts';
export { parseLogConfig, LOG_DRIVERS, type LogConfig, type LogSettings } from './containers/log-config.ts';
export type { BuildOptions } from './build/service.ts';
export type { WaitCondition } from './containers/stop.ts';
export { DEFAULT_MASKED_PATHS, DEFAULT_READONLY_PATHS, DEFAULT_SHM_SIZE } from './oci/defaults.ts';
export type { LogChunk } from './tasks/logs/index.ts';
export type { ContainerStats } from './tasks/stats.ts';
export type { KernelView } from './containers/kernel-view.ts';
export type { UpdateRequest } from './containers/update.ts';
export type { PathStat } from './containers/archive.ts';
export type { CommitRequest } from './containers/commit.ts';
export type { Change } from './diff/compute.ts';
export type { ImageConfig } from './images/oci-types.ts';
export { parseReference, familiarString, familiarName } from './images/reference.ts';
export { HttpClient, type Response } from './registry/http.ts';
export { decodeRegistryAuth, type Credentials } from './registry/auth.ts';
export { decodeRegistryConfig, registryDomain, type RegistryConfig } from './registry/registry-config.ts';
export { loginDomain } from './registry/login.ts';
export type { Progress, ProgressMessage, PullOptions } from './registry/distribution.ts';
export type { ImageRow, LayerRecord } from './metadata/images.ts';
export type { ImportOptions } from './imageops/import.ts';
export type { ImagePruneReport } from './imageops/prune.ts';
export type { PushResult } from './imageops/service.ts';
export { parseGoDuration } from './util/duration.ts';
export { ANONYMOUS_LABEL, type VolumeRow, type VolumeCreateOptions, type VolumePruneReport } from './volumes/service.ts';
export { NetworkForbiddenError, PREDEFINED_NETWORKS, type NetworkRecord, type NetworkCreateRequest, type NetworkEndpoint, type IPAMConfig } from './network/service.ts';
export { secureJoin } from './util/securejoin.ts';
export type { SizeHints } from './build/hints.ts';
// The server's own worker threads (its page thread) start as the engine's do.
export { spawnWorker, type WorkerEntry } from './util/workers/spawn.ts';
