import { z } from 'zod';
import type { ContainerConfig, HostConfig } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import { checkLogConfig } from './log-config.ts';
import { endpointConfigSchema, type EndpointConfigBody } from '../networks/endpoint-config.ts';

/** Docker's StrSlice: a list of strings, or one string standing for a list of one. */
const strSlice = z.union([z.array(z.string()), z.string().transform((s) => [s])], { errorMap: () => ({ message: 'expected a string or a list of strings' }) }).nullish();
const strList = z.array(z.string()).nullish();
const strMap = z.record(z.string(), z.string()).nullish();
const emptyObjects = z.record(z.string(), z.object({}).passthrough()).nullish();
const int = z.number().int();
/**
 * An optional field: SDKs send `null` for what they leave unset (docker-py's Healthcheck and
 * HostConfig, Go clients' pointers), which Docker reads as absent. Both become absent here.
 */
function opt<T extends z.ZodTypeAny>(t: T) {
  return t.nullish().transform((v): z.output<T> | undefined => v ?? undefined);
}
const PORT_KEY = /^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/;
const HOST_PORT = /^(\d{1,5}(-\d{1,5})?)?$/;

const configSchema = z.object({
  Hostname: opt(z.string()),
  Domainname: opt(z.string()),
  User: opt(z.string()),
  AttachStdin: opt(z.boolean()),
  AttachStdout: opt(z.boolean()),
  AttachStderr: opt(z.boolean()),
  ExposedPorts: emptyObjects,
  Tty: opt(z.boolean()),
  OpenStdin: opt(z.boolean()),
  StdinOnce: opt(z.boolean()),
  Env: strList,
  Cmd: strSlice,
  Healthcheck: z.object({ Test: strList, Interval: opt(int), Timeout: opt(int), Retries: opt(int), StartPeriod: opt(int), StartInterval: opt(int) }).passthrough().nullish(),
  Image: z.string({ required_error: 'Image is required' }),
  Volumes: emptyObjects,
  WorkingDir: opt(z.string()),
  Entrypoint: strSlice,
  Labels: strMap,
  StopSignal: opt(z.string()),
  StopTimeout: int.nullish(),
}).passthrough();

const hostConfigSchema = z.object({
  Binds: strList,
  NetworkMode: opt(z.string()),
  PortBindings: z.record(z.string(), z.array(z.object({ HostIp: opt(z.string()), HostPort: opt(z.string()) })).nullable()).nullish(),
  RestartPolicy: z.object({ Name: z.string(), MaximumRetryCount: opt(int) }).nullish(),
  AutoRemove: opt(z.boolean()),
  Tmpfs: strMap,
  VolumesFrom: strList,
  Memory: opt(int.nonnegative()),
  MemorySwap: opt(int),
  MemoryReservation: opt(int.nonnegative()),
  NanoCpus: opt(int.nonnegative()),
  CpuShares: opt(int.nonnegative()),
  CpuPeriod: opt(int.nonnegative()),
  CpuQuota: opt(int),
  PidsLimit: int.nullish(),
  CapAdd: strList,
  CapDrop: strList,
  Dns: strList,
  ExtraHosts: strList,
  Privileged: opt(z.boolean()),
  ReadonlyRootfs: opt(z.boolean()),
  GroupAdd: strList,
  CpuRealtimePeriod: opt(int.nonnegative()),
  CpuRealtimeRuntime: opt(int),
  LogConfig: z.object({ Type: opt(z.string()), Config: strMap }).passthrough().nullish(),
  Mounts: z.array(z.object({ Type: z.string(), Target: opt(z.string()), Source: opt(z.string()), ReadOnly: opt(z.boolean()) }).passthrough()).nullish(),
}).passthrough();

// One object (not an intersection): both halves of an intersection would see HostConfig, one as transformed.
const bodySchema = configSchema.extend({
  HostConfig: hostConfigSchema.nullish(),
  NetworkingConfig: z.object({ EndpointsConfig: z.record(z.string(), endpointConfigSchema.nullable()).nullish() }).passthrough().nullish(),
});

export interface CreateBody {
  config: Partial<ContainerConfig> & { Image: string };
  hostConfig: HostConfig;
  /** NetworkingConfig.EndpointsConfig by network name. */
  endpoints: Record<string, EndpointConfigBody>;
}

/** Parse and check a create body; every problem is a 400 that names the field. */
export function parseCreateBody(raw: unknown): CreateBody {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw badRequest('config cannot be empty in order to create a container');
  const parsed = bodySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length ? issue.path.join('.') : 'body';
    throw badRequest(`invalid container config: ${field}: ${issue.message}`);
  }
  const { HostConfig: h, NetworkingConfig: net, ...c } = parsed.data;
  const config = Object.fromEntries(Object.entries(c).filter(([, v]) => v !== null && v !== undefined)) as CreateBody['config'];
  if (!config.Image) throw badRequest('invalid container config: Image: an image is required');
  if (config.WorkingDir && !config.WorkingDir.startsWith('/')) throw badRequest(`the working directory '${config.WorkingDir}' is invalid, it needs to be an absolute path`);
  for (const k of Object.keys(config.ExposedPorts ?? {})) if (!PORT_KEY.test(k)) throw badRequest(`invalid port specification: "${k}" (ExposedPorts)`);
  const hostConfig = { ...(h ?? {}) } as HostConfig & Record<string, unknown>;
  for (const [k, list] of Object.entries(hostConfig.PortBindings ?? {})) {
    if (!PORT_KEY.test(k)) throw badRequest(`invalid port specification: "${k}" (HostConfig.PortBindings)`);
    for (const b of list ?? []) if (!HOST_PORT.test(b.HostPort ?? '')) throw badRequest(`invalid port specification: "${b.HostPort}" (HostConfig.PortBindings[${k}].HostPort)`);
  }
  checkLogConfig(hostConfig.LogConfig);
  if (hostConfig.Runtime && hostConfig.Runtime !== 'runc') throw badRequest(`unknown or invalid runtime name: ${String(hostConfig.Runtime)} (HostConfig.Runtime)`);
  if (!hostConfig.NetworkMode || hostConfig.NetworkMode === 'default') hostConfig.NetworkMode = 'bridge';
  if (hostConfig.RestartPolicy && !hostConfig.RestartPolicy.Name) hostConfig.RestartPolicy = { Name: 'no', MaximumRetryCount: hostConfig.RestartPolicy.MaximumRetryCount ?? 0 };
  // A zero or negative pids limit means "unlimited"; dockerd stores it as unset.
  if (typeof hostConfig.PidsLimit === 'number' && hostConfig.PidsLimit <= 0) hostConfig.PidsLimit = null;
  // The CLI names the default network `default`, as NetworkMode does.
  const endpoints = Object.fromEntries(Object.entries(net?.EndpointsConfig ?? {}).map(([k, v]) => [k === 'default' ? 'bridge' : k, v ?? {}]));
  // Before API 1.44 the MAC address was the container's; it belongs to the endpoint of its network.
  const mac = (config as { MacAddress?: string }).MacAddress;
  if (mac) {
    if (!/^([0-9a-fA-F]{2}:){5}[0-9a-fA-F]{2}$/.test(mac)) throw badRequest(`invalid MAC address: ${mac} (MacAddress)`);
    const key = hostConfig.NetworkMode === 'default' ? 'bridge' : hostConfig.NetworkMode ?? 'bridge';
    endpoints[key] = { ...endpoints[key], MacAddress: endpoints[key]?.MacAddress || mac };
  }
  return { config, hostConfig, endpoints };
}
