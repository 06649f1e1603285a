import { join } from 'node:path';
import { hostname } from 'node:os';
import { rm } from 'node:fs/promises';
import { ConflictError, InvalidArgumentError, NotModifiedError, WharfError, UnavailableError } from '../errors.ts';
import { mountAt, unmount } from '../mount/mount.ts';
import { rootfsCheck } from './rootfs-mount.ts';
import { buildSpec } from '../oci/spec.ts';
import { resolveUser } from '../oci/user.ts';
import { writeSpec } from '../oci/bundle.ts';
import { hostCapabilities, hostDevices } from '../oci/host.ts';
import type { ContainerContext, Row } from './context.ts';
import { writeContainerFiles, writeNetworkFiles } from './files.ts';
import { linksEnv } from './link-env.ts';
import { resolveMounts } from './mounts.ts';
import { networked } from '../network/names.ts';
import type { Attachment } from '../network/types.ts';
import { allSettled } from '../util/settle.ts';

/**
 * Start a created or exited container: rootfs mount, mounts, bundle, conmon + runc. The caller
 * holds the container's lock and watches the task (the restart monitor does both).
 */
export async function startContainer(ctx: ContainerContext, row: Row): Promise<void> {
  const { id } = row;
  if (row.state.Paused) throw new ConflictError(`cannot start a paused container, try unpause instead`);
  if (row.state.Running) throw new NotModifiedError(`container ${id} is already running`);
  const rec = row.record;
  const h = rec.HostConfig;
  const dir = ctx.dir(id);
  const rootfs = ctx.rootfs(id);
  let net: Attachment | undefined;
  try {
    // What the task needs is set up at once: the rootfs (with what is read from it), the
    // network namespace, the container's files, its log and a clean slate for the task.
    const rootfsMounted = (async () => {
      if (!(await rootfsCheck(ctx, id)(rootfs))) await mountAt(ctx.snapshots.mounts(rec.SnapshotKey), rootfs);
    })();
    const [mounts, user, host] = await allSettled([
      // The rootfs is mounted first: a fresh volume gets a copy of what the image has at its path.
      rootfsMounted.then(() => resolveMounts(h, dir, ctx.volumes, id, rec.Config.Volumes, rec.VolumesFromMounts)),
      rootfsMounted.then(() => resolveUser(rec.Config.User, rootfs, h.GroupAdd ?? [])),
      h.Privileged ? Promise.all([hostCapabilities(), hostDevices()]) : Promise.resolve(undefined),
      // The namespace exists before the task; its interfaces come up while the task is created.
      ctx.network.attach(networked(row)).then((a) => { net = a; }),
      writeContainerFiles(dir, rec.Config.Hostname),
      ctx.tasks.delete(id),
      ctx.logs.prepare(id, rec),
    ]);
    const { linked, netns, connected } = net!;
    const netMode = h.NetworkMode ?? 'bridge';
    // dockerd's order: its defaults, then the link variables, then the container's own env.
    const env = [...linksEnv(ctx, row, linked ?? []), ...rec.Config.Env];
    const spec = buildSpec({
      args: [rec.Path, ...rec.Args],
      env,
      cwd: rec.Config.WorkingDir || '/',
      user,
      terminal: rec.Config.Tty,
      hostname: netMode === 'host' ? hostname() : rec.Config.Hostname,
      domainname: rec.Config.Domainname || undefined,
      rootfs,
      readonlyRootfs: h.ReadonlyRootfs,
      mounts: mounts.spec,
      memory: { limit: h.Memory || undefined, reservation: h.MemoryReservation || undefined, swap: h.MemorySwap || undefined },
      cpu: { nanoCpus: h.NanoCpus || undefined, shares: h.CpuShares || undefined, quota: h.CpuQuota || undefined, period: h.CpuPeriod || undefined, cpusetCpus: h.CpusetCpus || undefined, cpusetMems: h.CpusetMems || undefined, realtimeRuntime: h.CpuRealtimeRuntime || undefined, realtimePeriod: h.CpuRealtimePeriod || undefined },
      pidsLimit: h.PidsLimit && h.PidsLimit > 0 ? h.PidsLimit : undefined,
      cgroupsPath: `${ctx.cgroupParent}/${id}`,
      netns,
      capAdd: h.CapAdd ?? [],
      capDrop: h.CapDrop ?? [],
      privileged: h.Privileged,
      ...(host ? { hostCapabilities: host[0], hostDevices: host[1] } : {}),
      sysctls: h.Sysctls ?? undefined,
      oomScoreAdj: h.OomScoreAdj || undefined,
      shmSize: h.ShmSize || undefined,
      ulimits: (h.Ulimits ?? []).map((u) => ({ name: u.Name, soft: u.Soft, hard: u.Hard })),
      ipcHost: h.IpcMode === 'host',
      pidHost: h.PidMode === 'host',
      utsHost: h.UTSMode === 'host',
    });
    await writeSpec(dir, spec);
    ctx.meta.setRecord(id, row.name, { ...rec, Mounts: mounts.points });
    const pid = await ctx.tasks.create(id, { bundle: dir, logPath: ctx.logPath(id), logSizeMax: ctx.logs.conmonLimit(rec), name: row.name, terminal: rec.Config.Tty, stdin: rec.Config.OpenStdin, stdinOnce: rec.Config.StdinOnce });
    await writeNetworkFiles(dir, await connected);
    await ctx.tasks.start(id, pid);
    ctx.logs.watch(id, rec);
    ctx.setState(id, { Status: 'running', Running: true, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: pid, ExitCode: 0, Error: '', StartedAt: new Date().toISOString() });
  } catch (e) {
    // Interfaces still being set up are undone once they are.
    await net?.connected.catch(() => undefined);
    await ctx.tasks.delete(id).catch(() => undefined);
    await ctx.network.detach(id).catch(() => undefined);
    await unmount(rootfs, rootfsCheck(ctx, id)).catch(() => undefined);
    const msg = e instanceof Error ? e.message : String(e);
    ctx.setState(id, { Status: row.state.Status === 'created' ? 'created' : 'exited', Running: false, Restarting: false, Pid: 0, ExitCode: /not found|no such file/i.test(msg) ? 127 : 128, Error: msg });
    if (e instanceof WharfError && e.code !== 'Unavailable') throw e;
    // What the image or the request got wrong (Docker answers these with 400); the CLI reads
    // the message to pick exit code 127 (not found) or 126 (not executable).
    if (/executable file not found|no such file or directory|permission denied|not a directory/i.test(msg)) {
      throw new InvalidArgumentError(`failed to create task for container: ${msg}`, { cause: e });
    }
    throw new UnavailableError(`failed to start container ${id}: ${msg}`, { cause: e });
  }
  ctx.events.publish('container', 'start', id, ctx.eventAttrs(ctx.meta.get(id)!));
}

/** Tear down what start set up, after the task is gone. */
export async function teardown(ctx: ContainerContext, id: string): Promise<void> {
  // Independent of each other: run them together. The task's init is gone, and with it every
  // process of its pid namespace; stragglers of a host pid namespace die by the task's delete.
  await Promise.all([ctx.tasks.delete(id), ctx.network.detach(id), unmount(ctx.rootfs(id), rootfsCheck(ctx, id)), rm(join(ctx.dir(id), 'config.json'), { force: true })]);
}
