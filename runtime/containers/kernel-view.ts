import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { chainIDs, type Digest } from '../util/digest.ts';
import { isCgroupV2 } from '../tasks/cgroup-stats.ts';
import { namespaceViews, type NamespaceView } from '../tasks/kernel/namespaces.ts';
import { natRules, netnsView, type NetnsView } from '../tasks/kernel/netns.ts';
import { cgroupView, type CgroupView } from '../tasks/kernel/cgroup.ts';
import type { ContainerContext, Row } from './context.ts';
import type { MountPoint } from './types.ts';

/** One lower directory of the container's overlay, named by the image layer it holds. */
export interface OverlayLayer {
  dir: string;
  /** The snapshot key: the layer's chainID. */
  chainID: string;
  diffID: string | null;
  /** The Dockerfile-style instruction from the image history that made the layer. */
  createdBy: string | null;
  /** Bytes of the unpacked layer. */
  size: number;
}

export interface OverlayView {
  /** Lower directories top-most first, as overlayfs stacks them. */
  lowerDirs: OverlayLayer[];
  upperDir: string;
  workDir: string;
  /** Bytes of the container's own writes (its upper dir). */
  writeBytes: number;
  /** The root mount as the kernel lists it in the container's mountinfo, when running. */
  mountinfo: string | null;
}

/** A part that could not be read is reported with the reason instead of failing the whole view. */
export type Part<T> = { ok: true; value: T } | { ok: false; error: string };

/** What the kernel sees of a container: the "Under the hood" view. */
export interface KernelView {
  id: string;
  name: string;
  running: boolean;
  pid: number;
  networkMode: string;
  namespaces: Part<NamespaceView[]> | null;
  network: Part<NetnsView> | null;
  nat: Part<string[]> | null;
  cgroup: Part<CgroupView> | null;
  overlay: Part<OverlayView>;
  /** The OCI runtime spec from the bundle; null when not running (the bundle's config.json goes at stop). */
  spec: Part<unknown> | null;
  /** The mounts as resolved at the last start (kept in the record, so they outlive the run). */
  mounts: MountPoint[];
}

async function part<T>(work: () => Promise<T>): Promise<Part<T>> {
  try {
    return { ok: true, value: await work() };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Each lower directory of the container's snapshot with the image layer it is. */
async function overlayView(ctx: ContainerContext, row: Row): Promise<OverlayView> {
  const key = row.record.SnapshotKey;
  const chain: { key: string; size: number }[] = [];
  for (let s = ctx.snapshots.stat(ctx.snapshots.stat(key)?.parent ?? ''); s; s = s.parent ? ctx.snapshots.stat(s.parent) : undefined) chain.push(s);
  const image = ctx.images.get(row.record.Image);
  const config = image ? await ctx.images.config(image.id).catch(() => undefined) : undefined;
  const diffIDs = (config?.rootfs.diff_ids ?? image?.layers.map((l) => l.diffID) ?? []) as Digest[];
  const made = (config?.history ?? []).filter((h) => !h.empty_layer).map((h) => h.created_by ?? null);
  const byChain = new Map(chainIDs(diffIDs).map((c, i) => [c as string, { diffID: diffIDs[i]!, createdBy: made[i] ?? null }]));
  const dirs = ctx.snapshots.lowerDirs(key);
  const upperDir = ctx.snapshots.upperDir(key);
  return {
    lowerDirs: chain.map((s, i) => ({ dir: dirs[i] ?? '', chainID: s.key, diffID: byChain.get(s.key)?.diffID ?? null, createdBy: byChain.get(s.key)?.createdBy ?? null, size: s.size })),
    upperDir,
    workDir: join(dirname(upperDir), 'work'),
    writeBytes: await ctx.snapshots.usage(key),
    mountinfo: row.state.Running ? await rootMount(row.state.Pid) : null,
  };
}

/** The line of the container's mountinfo for its `/`. */
async function rootMount(pid: number): Promise<string | null> {
  const text = await readFile(`/proc/${pid}/mountinfo`, 'utf8');
  return text.split('\n').find((l) => l.split(' ')[4] === '/') ?? null;
}

/** Addresses of the container's interfaces other than loopback, without prefix length. */
const containerAddresses = (net: Part<NetnsView> | null): string[] => (net?.ok ? net.value.interfaces : [])
  .filter((i) => i.ifname !== 'lo').flatMap((i) => i.addresses.map((a) => a.split('/')[0]!));

/**
 * Read the kernel's view of a container. Each part is read on its own (namespaces, netns via
 * nsenter, NAT rules, cgroup files, overlay layers, the bundle's config.json) and reports its
 * own failure; for a container that is not running only the stored parts remain.
 */
export async function kernelView(ctx: ContainerContext, row: Row): Promise<KernelView> {
  const running = row.state.Running && row.state.Pid > 0;
  const pid = running ? row.state.Pid : 0;
  const networkMode = row.record.HostConfig.NetworkMode || 'bridge';
  const peers = ctx.meta.all().filter((r) => r.id !== row.id && r.state.Running && r.state.Pid > 0).map((r) => ({ id: r.id, name: r.name, pid: r.state.Pid }));
  const [namespaces, network, cgroup, overlay, spec] = await Promise.all([
    running ? part(() => namespaceViews(pid, peers)) : null,
    running && networkMode !== 'host' ? part(() => netnsView(pid)) : null,
    running ? part(async () => cgroupView(await readFile(`/proc/${pid}/cgroup`, 'utf8'), await isCgroupV2())) : null,
    part(() => overlayView(ctx, row)),
    part(async () => JSON.parse(await readFile(join(ctx.dir(row.id), 'config.json'), 'utf8')) as unknown).then((p) => (!p.ok && /ENOENT/.test(p.error) ? null : p)),
  ]);
  const nat = running ? await part(() => natRules(containerAddresses(network), row.id)) : null;
  return { id: row.id, name: row.name, running, pid, networkMode, namespaces, network, nat, cgroup, overlay, spec, mounts: row.record.Mounts };
}
