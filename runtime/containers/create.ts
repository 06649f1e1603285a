import { mkdir, writeFile } from 'node:fs/promises';
import { ConflictError, InvalidArgumentError } from '../errors.ts';
import { newId, randomName, NAME_RE } from '../util/ids.ts';
import { chainIDs, type Digest } from '../util/digest.ts';
import { mergeCommand, mergeEnv } from '../oci/env.ts';
import type { ContainerContext, Row } from './context.ts';
import { initialState, type ContainerConfig, type ContainerRecord, type HostConfig } from './types.ts';
import { validateHostConfig } from './validate.ts';
import { parseLogConfig } from './log-config.ts';
import { volumesFromMounts } from './volumes-from.ts';
import { abandonCreate, createMounts } from './create-mounts.ts';
import { mergeHealthcheck } from '../health/config.ts';
import { validateCreateFields } from './validate-fields.ts';

export interface CreateRequest {
  name?: string;
  config: Partial<ContainerConfig> & { Image: string };
  hostConfig?: HostConfig;
}

/**
 * Create an inert container: the image config merged into the container's as Docker does,
 * a writable snapshot on the image's top layer, and a record. Nothing runs yet.
 */
export async function createContainer(ctx: ContainerContext, req: CreateRequest): Promise<Row> {
  validateCreateFields(req.config, req.hostConfig ?? {});
  const hostConfig = validateHostConfig(req.hostConfig ?? {});
  // dockerd's mergeAndVerifyLogConfig: the daemon's driver (and its options) when none is named.
  if (!hostConfig.LogConfig?.Type) hostConfig.LogConfig = { Type: ctx.logDefault.Type, Config: { ...ctx.logDefault.Config, ...hostConfig.LogConfig?.Config } };
  parseLogConfig(hostConfig.LogConfig);
  const name = (req.name ?? '').replace(/^\//, '') || uniqueRandomName(ctx);
  if (!NAME_RE.test(name)) throw new InvalidArgumentError(`Invalid container name (${name}), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed`);
  const taken = ctx.meta.byName(name);
  if (taken) throw new ConflictError(`Conflict. The container name "/${name}" is already in use by container "${taken.id}". You have to remove (or rename) that container to be able to reuse that name.`);

  const inherited = volumesFromMounts(ctx, hostConfig.VolumesFrom);
  const image = ctx.images.resolve(req.config.Image);
  const imageConfig = (await ctx.images.config(image.id)).config ?? {};
  const id = newId();
  const c = req.config;
  const args = mergeCommand(imageConfig.Entrypoint ?? null, imageConfig.Cmd ?? null, c.Entrypoint ?? null, c.Cmd ?? null);
  const entrypoint = c.Entrypoint ?? imageConfig.Entrypoint ?? null;
  const config: ContainerConfig = {
    Hostname: c.Hostname || id.slice(0, 12),
    Domainname: c.Domainname ?? '',
    User: c.User || imageConfig.User || '',
    AttachStdin: c.AttachStdin ?? false,
    AttachStdout: c.AttachStdout ?? false,
    AttachStderr: c.AttachStderr ?? false,
    ExposedPorts: { ...(imageConfig.ExposedPorts ?? {}), ...(c.ExposedPorts ?? {}) },
    Tty: c.Tty ?? false,
    OpenStdin: c.OpenStdin ?? false,
    StdinOnce: c.StdinOnce ?? false,
    Env: mergeEnv(imageConfig.Env ?? [], c.Env ?? []),
    Cmd: c.Cmd?.length ? c.Cmd : (c.Entrypoint?.length ? null : imageConfig.Cmd ?? null),
    Image: req.config.Image,
    Volumes: { ...(imageConfig.Volumes ?? {}), ...(c.Volumes ?? {}) },
    WorkingDir: c.WorkingDir || imageConfig.WorkingDir || '',
    Entrypoint: entrypoint && entrypoint.length && !(entrypoint.length === 1 && entrypoint[0] === '') ? entrypoint : null,
    Labels: { ...(imageConfig.Labels ?? {}), ...(c.Labels ?? {}) },
    StopSignal: c.StopSignal || imageConfig.StopSignal || undefined,
    StopTimeout: c.StopTimeout,
    Healthcheck: mergeHealthcheck(c.Healthcheck, imageConfig.Healthcheck),
  };
  const record: ContainerRecord = {
    Id: id,
    Name: name,
    Created: new Date().toISOString(),
    ImageRef: req.config.Image,
    Image: image.id,
    Path: args[0]!,
    Args: args.slice(1),
    Config: config,
    HostConfig: hostConfig,
    Mounts: [],
    ...(inherited.length ? { VolumesFromMounts: inherited } : {}),
    RestartCount: 0,
    ManuallyStopped: false,
    SnapshotKey: id,
  };

  const diffIDs = image.layers.map((l) => l.diffID as Digest);
  const top = chainIDs(diffIDs).at(-1);
  await ctx.snapshots.prepare(id, top);
  try {
    await mkdir(ctx.rootfs(id), { recursive: true });
    await writeFile(ctx.logPath(id), '');
    ctx.meta.insert(id, name, image.id, record, initialState());
  } catch (e) {
    await ctx.snapshots.remove(id);
    throw e;
  }
  try {
    await createMounts(ctx, ctx.meta.get(id)!);
  } catch (e) {
    await abandonCreate(ctx, ctx.meta.get(id)!);
    throw e;
  }
  const row = ctx.meta.get(id)!;
  ctx.events.publish('container', 'create', id, ctx.eventAttrs(row));
  return row;
}

function uniqueRandomName(ctx: ContainerContext): string {
  for (let i = 0; i < 16; i++) {
    const n = randomName();
    if (!ctx.meta.byName(n)) return n;
  }
  return `${randomName()}_${newId().slice(0, 6)}`;
}
