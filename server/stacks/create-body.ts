import type { Project, ServiceSpec } from './model.ts';
import { configHash, hashedConfig } from './hash.ts';
import * as L from './labels.ts';

/** A Docker Engine API `POST /containers/create` body (the subset a compose service uses). */
export interface CreateBody {
  Image: string;
  Cmd?: string[];
  Entrypoint?: string[];
  Env: string[];
  Labels: Record<string, string>;
  Hostname?: string;
  WorkingDir?: string;
  User?: string;
  ExposedPorts: Record<string, object>;
  Healthcheck?: { Test: string[]; Interval?: number; Timeout?: number; StartPeriod?: number; Retries?: number };
  HostConfig: {
    NetworkMode?: string;
    PortBindings: Record<string, Array<{ HostIp: string; HostPort: string }>>;
    Mounts: Array<{ Type: string; Source?: string; Target: string; ReadOnly: boolean; TmpfsOptions?: { SizeBytes: number } }>;
    RestartPolicy?: { Name: string; MaximumRetryCount?: number };
    Memory?: number;
    NanoCpus?: number;
    Privileged?: boolean;
  };
  NetworkingConfig: { EndpointsConfig: Record<string, { Aliases: string[]; IPAMConfig?: { IPv4Address: string } }> };
}

/** The image a service runs: its `image`, or compose's name for what its `build` makes. */
export const serviceImage = (project: string, service: string, spec: ServiceSpec): string => spec.image ?? `${project}-${service}`;

/** Replica `n` of a service as a create request, with compose's labels. */
export function createBody(project: Project, service: string, n: number): { name: string; body: CreateBody } {
  const spec = project.services[service]!.spec;
  const name = L.containerName(project.name, service, n);
  const exposed: Record<string, object> = {};
  const bindings: CreateBody['HostConfig']['PortBindings'] = {};
  for (const e of spec.expose) exposed[e.includes('/') ? e : `${e}/tcp`] = {};
  for (const p of spec.ports) {
    const key = `${p.target}/${p.protocol}`;
    exposed[key] = {};
    (bindings[key] ??= []).push({ HostIp: p.host_ip ?? '', HostPort: p.published ?? '' });
  }
  const mounts: CreateBody['HostConfig']['Mounts'] = spec.volumes.map((m) => ({
    Type: m.type,
    Source: m.type === 'volume' && m.source ? project.volumes[m.source]!.name : m.source,
    Target: m.target,
    ReadOnly: m.read_only,
    ...(m.tmpfs_size ? { TmpfsOptions: { SizeBytes: m.tmpfs_size } } : {}),
  }));
  for (const f of spec.files) mounts.push({ Type: 'bind', Source: f.source, Target: f.target, ReadOnly: true });
  const endpoints: CreateBody['NetworkingConfig']['EndpointsConfig'] = {};
  for (const [net, att] of Object.entries(spec.networks)) {
    endpoints[project.networks[net]!.name] = {
      Aliases: [name, service, ...att.aliases],
      ...(att.ipv4_address ? { IPAMConfig: { IPv4Address: att.ipv4_address } } : {}),
    };
  }
  const [restart, retries] = (spec.restart ?? 'no').split(':');
  const hc = spec.healthcheck;
  return {
    name,
    body: {
      Image: serviceImage(project.name, service, spec),
      Cmd: spec.command,
      Entrypoint: spec.entrypoint,
      Env: Object.entries(spec.environment).map(([k, v]) => `${k}=${v}`),
      Labels: {
        ...spec.labels,
        [L.PROJECT]: project.name,
        [L.SERVICE]: service,
        [L.NUMBER]: String(n),
        [L.CONFIG_HASH]: configHash(spec),
        [L.ONEOFF]: 'False',
        [L.WORKING_DIR]: project.workingDir,
        [L.CONFIG_FILES]: project.configFiles.join(','),
        [L.SERVICE_CONFIG]: JSON.stringify(hashedConfig(spec)),
      },
      Hostname: spec.hostname,
      WorkingDir: spec.working_dir,
      User: spec.user,
      ExposedPorts: exposed,
      Healthcheck: !hc ? undefined : 'disable' in hc ? { Test: ['NONE'] } : { Test: hc.test, Interval: hc.interval_ns, Timeout: hc.timeout_ns, StartPeriod: hc.start_period_ns, Retries: hc.retries },
      HostConfig: {
        NetworkMode: spec.network_mode ?? Object.keys(endpoints)[0],
        PortBindings: bindings,
        Mounts: mounts,
        RestartPolicy: { Name: restart === 'no' ? '' : restart!, ...(retries ? { MaximumRetryCount: Number(retries) } : {}) },
        Memory: spec.mem_limit,
        NanoCpus: spec.cpus === undefined ? undefined : Math.round(spec.cpus * 1e9),
        Privileged: spec.privileged,
      },
      NetworkingConfig: { EndpointsConfig: endpoints },
    },
  };
}
