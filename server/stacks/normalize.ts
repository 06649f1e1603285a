import path from 'node:path';
import { InvalidArgumentError } from '../../runtime/index.ts';
import { parseEnvFile } from './env-file.ts';
import type { Environment } from './interpolate.ts';
import type { DependencyCondition, NetworkSpec, Project, ServiceSpec, VolumeSpec } from './model.ts';
import { parseCompose } from './parse.ts';
import { byteSize, commandList, healthcheck, keyValues, networks, ports, volumes } from './short-syntax.ts';

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? v as Json : {});

export interface NormalizeOptions {
  name: string;
  workingDir: string;
  configFile: string;
  env: Environment;
  /** Reads a file the compose file names (env_file, extends.file); absolute paths. */
  readFile: (file: string) => Promise<string>;
}

/** The validated compose file as a Project (see model.ts). */
export async function normalize(file: Json, opts: NormalizeOptions): Promise<Project> {
  const rawServices = obj(file.services);
  const profiles = new Set((opts.env.COMPOSE_PROFILES ?? '').split(',').map((p) => p.trim()).filter(Boolean));
  const services: Project['services'] = {};
  for (const [name, raw] of Object.entries(rawServices)) {
    const merged = await extended(obj(raw), name, rawServices, opts, 0);
    const own = Array.isArray(merged.profiles) ? merged.profiles.map(String) : [];
    if (own.length && !own.some((p) => profiles.has(p))) continue;
    services[name] = await service(name, merged, file, opts);
  }
  for (const [name, s] of Object.entries(services)) {
    for (const dep of Object.keys(s.spec.depends_on)) {
      if (!services[dep] && s.spec.depends_on[dep]!.required) throw new InvalidArgumentError(`services.${name}.depends_on: service "${dep}" is not defined or not enabled`, { field: `services.${name}.depends_on` });
      if (!services[dep]) delete s.spec.depends_on[dep];
    }
  }
  const netNames = new Set(Object.values(services).flatMap((s) => (s.spec.network_mode ? [] : Object.keys(s.spec.networks))));
  const nets: Record<string, NetworkSpec> = {};
  for (const n of netNames) {
    if (n !== 'default' && !(n in obj(file.networks))) throw new InvalidArgumentError(`network "${n}" is used by a service but not declared in networks`, { field: 'networks' });
    const raw = obj(obj(file.networks)[n]);
    const ipam = obj(raw.ipam);
    const config = Array.isArray(ipam.config) ? obj(ipam.config[0]) : {};
    const external = raw.external === true || obj(raw.external).name !== undefined;
    nets[n] = { external, name: String(raw.name ?? (external ? n : `${opts.name}_${n}`)), driver: raw.driver as string | undefined, internal: raw.internal === true, subnet: config.subnet as string | undefined, labels: keyValues(raw.labels) };
  }
  const vols: Record<string, VolumeSpec> = {};
  for (const [n, v] of Object.entries(obj(file.volumes))) {
    const raw = obj(v);
    const external = raw.external === true;
    vols[n] = { external, name: String(raw.name ?? (external ? n : `${opts.name}_${n}`)), driver: raw.driver as string | undefined, labels: keyValues(raw.labels) };
  }
  for (const [name, s] of Object.entries(services)) {
    for (const m of s.spec.volumes) {
      if (m.type === 'volume' && m.source && !vols[m.source]) throw new InvalidArgumentError(`services.${name}.volumes: volume "${m.source}" is not declared in volumes`, { field: `services.${name}.volumes` });
    }
  }
  return { name: opts.name, workingDir: opts.workingDir, configFiles: [opts.configFile], services, networks: nets, volumes: vols };
}

/** `extends`: the base service (this file or another) under the service's own keys. */
async function extended(raw: Json, name: string, all: Json, opts: NormalizeOptions, depth: number): Promise<Json> {
  if (raw.extends === undefined) return raw;
  if (depth > 10) throw new InvalidArgumentError(`services.${name}.extends: too deep (a cycle?)`, { field: `services.${name}.extends` });
  const ext = typeof raw.extends === 'string' ? { service: raw.extends } : obj(raw.extends);
  const baseName = String(ext.service);
  let pool = all;
  if (ext.file !== undefined) {
    const parsed = parseCompose(await opts.readFile(path.resolve(opts.workingDir, String(ext.file))), opts.env);
    if (!parsed.ok) throw new InvalidArgumentError(`services.${name}.extends.file: ${parsed.problems[0]!.message} (line ${parsed.problems[0]!.line})`, { field: `services.${name}.extends` });
    pool = obj(parsed.file.services);
  }
  if (!(baseName in pool)) throw new InvalidArgumentError(`services.${name}.extends: service "${baseName}" not found`, { field: `services.${name}.extends` });
  const base = await extended(obj(pool[baseName]), baseName, pool, opts, depth + 1);
  const { extends: _drop, ...own } = raw;
  // Mappings merge key by key, sequences of ports/volumes/etc. append, scalars override (compose's merge rules).
  const out: Json = { ...base };
  for (const [k, raw] of Object.entries(own)) {
    // environment and labels merge by key whichever syntax (list or mapping) each side uses.
    const mapped = k === 'environment' || k === 'labels';
    const v = mapped ? asMapping(raw) : raw;
    const b = mapped ? asMapping(base[k]) : base[k];
    if (Array.isArray(v) && Array.isArray(b) && k !== 'command' && k !== 'entrypoint') out[k] = [...b, ...v];
    else if (v && b && typeof v === 'object' && typeof b === 'object' && !Array.isArray(v) && !Array.isArray(b)) out[k] = { ...b, ...v };
    else out[k] = v;
  }
  delete out.depends_on;
  if (own.depends_on !== undefined) out.depends_on = own.depends_on;
  return out;
}

function asMapping(v: unknown): unknown {
  if (!Array.isArray(v)) return v;
  return Object.fromEntries(v.map(String).map((item) => {
    const eq = item.indexOf('=');
    return eq < 0 ? [item, null] : [item.slice(0, eq), item.slice(eq + 1)];
  }));
}

async function service(name: string, s: Json, file: Json, opts: NormalizeOptions): Promise<{ spec: ServiceSpec; replicas: number }> {
  const where = `services.${name}`;
  const lookup = (k: string): string | undefined => opts.env[k];
  let environment: Record<string, string> = {};
  const envFiles = s.env_file === undefined ? [] : Array.isArray(s.env_file) ? s.env_file : [s.env_file];
  for (const f of envFiles) {
    const entry = typeof f === 'string' ? { path: f, required: true } : obj(f);
    const full = path.resolve(opts.workingDir, String(entry.path));
    let text: string;
    try {
      text = await opts.readFile(full);
    } catch (err) {
      if (entry.required === false) continue;
      throw new InvalidArgumentError(`${where}.env_file: ${String(entry.path)} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`, { field: `${where}.env_file` });
    }
    environment = { ...environment, ...parseEnvFile(text) };
  }
  environment = { ...environment, ...keyValues(s.environment, lookup) };

  const deploy = obj(s.deploy);
  const limits = obj(obj(deploy.resources).limits);
  const memory = limits.memory ?? s.mem_limit;
  const cpus = limits.cpus ?? s.cpus;
  const dependsOn: ServiceSpec['depends_on'] = {};
  if (Array.isArray(s.depends_on)) for (const d of s.depends_on) dependsOn[String(d)] = { condition: 'service_started', required: true };
  else for (const [d, c] of Object.entries(obj(s.depends_on))) dependsOn[d] = { condition: (obj(c).condition as DependencyCondition | undefined) ?? 'service_started', required: obj(c).required !== false };

  const files = [...fileMounts(s.configs, obj(file.configs), name, opts.workingDir, 'configs'), ...fileMounts(s.secrets, obj(file.secrets), name, opts.workingDir, 'secrets')];
  const tmpfs = s.tmpfs === undefined ? [] : (Array.isArray(s.tmpfs) ? s.tmpfs : [s.tmpfs]).map((t) => ({ type: 'tmpfs' as const, target: String(t).split(':')[0]!, read_only: false }));
  const networkMode = s.network_mode as string | undefined;
  const build = s.build === undefined ? undefined : typeof s.build === 'string' ? { context: s.build } : obj(s.build);
  const spec: ServiceSpec = {
    image: s.image as string | undefined,
    build: build ? { context: path.resolve(opts.workingDir, String(build.context ?? '.')), dockerfile: build.dockerfile as string | undefined, args: keyValues(build.args, lookup) } : undefined,
    command: commandList(s.command),
    entrypoint: commandList(s.entrypoint),
    environment,
    ports: ports(Array.isArray(s.ports) ? s.ports : [], where),
    expose: Array.isArray(s.expose) ? s.expose.map(String) : [],
    volumes: [...volumes(Array.isArray(s.volumes) ? s.volumes : [], opts.workingDir, where), ...tmpfs],
    networks: networkMode ? {} : s.networks === undefined ? { default: { aliases: [] } } : networks(s.networks),
    depends_on: dependsOn,
    restart: s.restart as string | undefined,
    mem_limit: memory === undefined ? undefined : byteSize(memory, `${where}.mem_limit`),
    cpus: cpus === undefined ? undefined : Number(cpus),
    healthcheck: healthcheck(s.healthcheck, where),
    labels: keyValues(s.labels),
    hostname: s.hostname as string | undefined,
    working_dir: s.working_dir as string | undefined,
    user: s.user === undefined ? undefined : String(s.user),
    privileged: s.privileged === true ? true : undefined,
    network_mode: networkMode,
    files,
  };
  if (!spec.image && !spec.build) throw new InvalidArgumentError(`${where}: has neither image nor build`, { field: where });
  const replicas = deploy.replicas ?? s.scale ?? 1;
  return { spec, replicas: Number(replicas) };
}

/** `configs:`/`secrets:` of a service: the top-level entry's file mounted read-only. */
function fileMounts(v: unknown, top: Json, service: string, workingDir: string, kind: 'configs' | 'secrets'): ServiceSpec['files'] {
  if (!Array.isArray(v)) return [];
  return v.map((ref) => {
    const r = typeof ref === 'string' ? { source: ref } : obj(ref);
    const source = String(r.source);
    const def = obj(top[source]);
    if (typeof def.file !== 'string') throw new InvalidArgumentError(`services.${service}.${kind}: ${kind.slice(0, -1)} "${source}" must be declared with a file`, { field: `services.${service}.${kind}` });
    const target = r.target === undefined ? (kind === 'secrets' ? `/run/secrets/${source}` : `/${source}`) : String(r.target);
    return { source: path.resolve(workingDir, def.file), target: kind === 'secrets' && !target.startsWith('/') ? `/run/secrets/${target}` : target };
  });
}
