/** The engine's public surface: the only module `server/` may import from runtime/. */
export { createEngine, type Engine } from './engine/engine.ts';
export { defaultEngineConfig, type EngineConfig } from './config.ts';
export type { SystemInfo, SystemVersion } from './engine/system.ts';
export { API_VERSION, MIN_API_VERSION, WHARF_VERSION } from './engine/system.ts';
export * from './errors.ts';
export type { EngineEvent, EventType } from './events/bus.ts';
export type { ContainerConfig, ContainerRecord, ContainerState, HostConfig, MountPoint } from './containers/types.ts';
export type { ExecConfig, ExecInstance, ExecSession } from './containers/exec.ts';
export type { LogChunk } from './tasks/logs/index.ts';
export type { ImageConfig } from './images/oci-types.ts';
export { parseReference, familiarString, familiarName } from './images/reference.ts';
