import { z } from 'zod';
import type { ContainerConfig, HostConfig } from '../../../runtime/index.ts';
import { badRequest } from '../errors.ts';
import { endpointConfigSchema, type EndpointConfigBody } from '../networks/endpoint-config.ts';

/** Docker's StrSlice: a list of strings, or one string standing for a list of one. */
const strSlice = z.union([z.array(z.string()), z.string().transform((s) => [s])], { errorMap: () => ({ message: 'expected a string or a list of strings' }) }).nullish();
const strList = z.array(z.string()).nullish();
const strMap = z.record(z.string(), z.string()).nullish();
const emptyObjects = z.record(z.string(), z.object({}).passthrough()).nullish();
const int = z.number().int();
const PORT_KEY = /^\d{1,5}(-\d{1,5})?(\/(tcp|udp|sctp))?$/;
const HOST_PORT = /^(\d{1,5}(-\d{1,5})?)?$/;

const configSchema = z.object({
  Hostname: z.string().optional(),
  Domainname: z.string().optional(),
  User: z.string().optional(),
  AttachStdin: z.boolean().optional(),
  AttachStdout: z.boolean().optional(),
  AttachStderr: z.boolean().optional(),
  ExposedPorts: emptyObjects,
  Tty: z.boolean().optional(),
  OpenStdin: z.boolean().optional(),
  StdinOnce: z.boolean().optional(),
  Env: strList,
  Cmd: strSlice,
  Healthcheck: z.object({ Test: strList, Interval: int.optional(), Timeout: int.optional(), Retries: int.optional(), StartPeriod: int.optional(), StartInterval: int.optional() }).passthrough().nullish(),
  Image: z.string({ required_error: 'Image is required' }),
  Volumes: emptyObjects,
  WorkingDir: z.string().optional(),
  Entrypoint: strSlice,
  Labels: strMap,
  StopSignal: z.string().optional(),
  StopTimeout: int.nullish(),
}).passthrough();

const hostConfigSchema = z.object({
  Binds: strList,
  NetworkMode: z.string().optional(),
  PortBindings: z.record(z.string(), z.array(z.object({ HostIp: z.string().optional(), HostPort: z.string().optional() })).nullable()).nullish(),
  RestartPolicy: z.object({ Name: z.string(), MaximumRetryCount: int.optional() }).nullish(),
  AutoRemove: z.boolean().optional(),
  Tmpfs: strMap,
  Memory: int.nonnegative().optional(),
  MemorySwap: int.optional(),
  MemoryReservation: int.nonnegative().optional(),
  NanoCpus: int.nonnegative().optional(),
  CpuShares: int.nonnegative().optional(),
  CpuPeriod: int.nonnegative().optional(),
  CpuQuota: int.optional(),
  PidsLimit: int.nullish(),
  CapAdd: strList,
  CapDrop: strList,
  Dns: strList,
  ExtraHosts: strList,
  Privileged: z.boolean().optional(),
  ReadonlyRootfs: z.boolean().optional(),
  Mounts: z.array(z.object({ Type: z.string(), Target: z.string().optional(), Source: z.string().optional(), ReadOnly: z.boolean().optional() }).passthrough()).nullish(),
}).passthrough();

const bodySchema = z.object({
  HostConfig: hostConfigSchema.nullish(),
  NetworkingConfig: z.object({ EndpointsConfig: z.record(z.string(), endpointConfigSchema.nullable()).nullish() }).passthrough().nullish(),
}).and(configSchema);

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
