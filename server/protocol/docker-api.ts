/**
 * The Docker Engine API's objects by name, from the generated types (docker-api.gen.ts).
 * The spec leaves almost every field optional: these are the shapes any engine may answer.
 * Types only, so app/ and components/ may import them.
 */
import type { components, operations } from './docker-api.gen.ts';

type Schemas = components['schemas'];
/** The JSON body of an operation's 200 (or 201) answer. */
type Ok<Op extends keyof operations> = operations[Op]['responses'] extends { 200: { content: { 'application/json': infer T } } }
  ? T
  : operations[Op]['responses'] extends { 201: { content: { 'application/json': infer T } } } ? T : never;

export type { components as DockerComponents, operations as DockerOperations, paths as DockerPaths } from './docker-api.gen.ts';

export type Port = Schemas['Port'];
export type MountPoint = Schemas['MountPoint'];
export type Mount = Schemas['Mount'];
export type RestartPolicy = Schemas['RestartPolicy'];
export type EndpointSettings = Schemas['EndpointSettings'];
export type NetworkSettings = Schemas['NetworkSettings'];
export type PortMap = Schemas['PortMap'];
export type PortBinding = Schemas['PortBinding'];
export type HostConfig = Schemas['HostConfig'];
export type ContainerConfig = Schemas['ContainerConfig'];
export type ContainerState = Schemas['ContainerState'];
export type ContainerSummary = Schemas['ContainerSummary'];
export type ContainerInspectResponse = Ok<'ContainerInspect'>;
export type ContainerTopResponse = Ok<'ContainerTop'>;
export type ContainerCreateResponse = Schemas['ContainerCreateResponse'];
export type ContainerWaitResponse = Schemas['ContainerWaitResponse'];
export type Health = Schemas['Health'];
export type HealthConfig = Schemas['HealthConfig'];
export type DriverData = Schemas['DriverData'];
export type ImageSummary = Schemas['ImageSummary'];
export type ImageInspect = Schemas['ImageInspect'];
export type ImageHistoryResponseItem = Schemas['ImageHistoryResponseItem'];
export type ImageDeleteResponseItem = Schemas['ImageDeleteResponseItem'];
export type Volume = Schemas['Volume'];
export type VolumeListResponse = Schemas['VolumeListResponse'];
export type Network = Schemas['Network'];
export type NetworkContainer = Schemas['NetworkContainer'];
export type IPAM = Schemas['IPAM'];
export type SystemInfo = Schemas['SystemInfo'];
export type SystemVersion = Schemas['SystemVersion'];
export type SystemDataUsageResponse = Ok<'SystemDataUsage'>;
export type EventMessage = Schemas['EventMessage'];
export type ErrorResponse = Schemas['ErrorResponse'];
export type ProgressDetail = Schemas['ProgressDetail'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type CreateImageInfo = Schemas['CreateImageInfo'];
export type PushImageInfo = Schemas['PushImageInfo'];
export type BuildInfo = Schemas['BuildInfo'];

/**
 * An object as dockerd writes it: Go marshals nil slices, maps and pointers (`*int64`,
 * `*bool`…) as `null`, which the spec seldom marks `x-nullable`. Views that copy dockerd's
 * output field for field use this: names and value types are the spec's, any may be null.
 */
export type GoJson<T> = { [K in keyof T]: GoValue<T[K]> };
type GoValue<T> = T extends string | number | boolean | null | undefined ? T | null
  : T extends readonly (infer U)[] ? GoValue<U>[] | null
  : GoJson<T> | null;
