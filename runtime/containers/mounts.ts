import { stat } from 'node:fs/promises';
import { isAbsolute, join, posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import type { Mount } from '../oci/types.ts';
import type { HostConfig, MountPoint } from './types.ts';

export interface ResolvedMounts { spec: Mount[]; points: MountPoint[] }

/** Anything that can turn a named volume into a host directory (the volume store). */
export interface VolumeResolver {
  mountpoint(name: string, containerId: string, req?: VolumeMountRequest): Promise<string>;
  anonymous(containerId: string, req?: VolumeMountRequest): Promise<string>;
  /** `rm -v`: drop the anonymous volumes a removed container created or inherited, unless still in use. */
  removeAnonymousOf(containerId: string, inherited?: string[]): Promise<string[]>;
}

/** Where a volume goes: lets the resolver reuse a container's anonymous volumes and copy the image's content into fresh ones. */
export interface VolumeMountRequest { destination: string; rootfs?: string; noCopy?: boolean; labels?: Record<string, string> }

/**
 * Turn `-v`/`--mount`/`--tmpfs` into OCI mounts and Docker's MountPoint list. Bind sources
 * must exist on the host (Docker's `--mount` rule; we apply it to `-v` too rather than
 * silently creating directories on the host).
 */
export async function resolveMounts(h: HostConfig, containerDir: string, volumes: VolumeResolver, containerId = '', configVolumes?: Record<string, object> | null, inherited: MountPoint[] = []): Promise<ResolvedMounts> {
  const spec: Mount[] = [];
  const points: MountPoint[] = [];
  const seen = new Set<string>();
  const claim = (dest: string, field: string): void => {
    if (!isAbsolute(dest)) throw new InvalidArgumentError(`invalid mount config for ${field}: mount path must be absolute: ${dest}`);
    if (seen.has(dest)) throw new InvalidArgumentError(`Duplicate mount point: ${dest}`);
    seen.add(dest);
  };
  const bind = async (source: string, dest: string, ro: boolean, field: string, type: 'bind' | 'volume', name?: string): Promise<void> => {
    claim(dest, field);
    if (type === 'bind') {
      if (!isAbsolute(source)) throw new InvalidArgumentError(`invalid mount config for ${field}: bind source path must be absolute: ${source}`);
      try { await stat(source); } catch { throw new InvalidArgumentError(`invalid mount config for ${field}: bind source path does not exist: ${source}`); }
    }
    spec.push({ destination: dest, type: 'bind', source, options: ['rbind', 'rprivate', ro ? 'ro' : 'rw'] });
    points.push({ Type: type, ...(name ? { Name: name, Driver: 'local' } : {}), Source: source, Destination: dest, Mode: ro ? 'ro' : '', RW: !ro, Propagation: type === 'bind' ? 'rprivate' : '' });
  };
  const volume = async (name: string | undefined, dest: string, ro: boolean, field: string, o: { noCopy?: boolean; labels?: Record<string, string> } = {}): Promise<void> => {
    // Checked before the volume is created, so a refused mount leaves no volume behind.
    if (!isAbsolute(dest)) throw new InvalidArgumentError(`invalid mount config for ${field}: mount path must be absolute: ${dest}`);
    if (seen.has(dest)) throw new InvalidArgumentError(`Duplicate mount point: ${dest}`);
    const req: VolumeMountRequest = { destination: dest, rootfs: join(containerDir, 'rootfs'), noCopy: o.noCopy, labels: o.labels };
    const src = name ? await volumes.mountpoint(name, containerId, req) : await volumes.anonymous(containerId, req);
    await bind(src, dest, ro, field, 'volume', name ?? src.split('/').at(-2));
  };

  for (const [i, b] of (h.Binds ?? []).entries()) {
    const parts = b.split(':');
    if (parts.length < 2 || parts.length > 3 || !parts[0] || !parts[1]) throw new InvalidArgumentError(`invalid volume specification: '${b}' (HostConfig.Binds[${i}])`);
    const opts = (parts[2] ?? '').split(',').filter(Boolean);
    for (const o of opts) if (!['ro', 'rw', 'z', 'Z', 'nocopy', 'private', 'rprivate', 'shared', 'rshared', 'slave', 'rslave'].includes(o)) throw new InvalidArgumentError(`invalid mode: ${o} (HostConfig.Binds[${i}])`);
    const ro = opts.includes('ro');
    if (isAbsolute(parts[0])) await bind(parts[0], parts[1], ro, `HostConfig.Binds[${i}]`, 'bind');
    else await volume(parts[0], parts[1], ro, `HostConfig.Binds[${i}]`, { noCopy: opts.includes('nocopy') });
  }
  for (const [i, m] of (h.Mounts ?? []).entries()) {
    const field = `HostConfig.Mounts[${i}]`;
    if (!m.Target) throw new InvalidArgumentError(`invalid mount config for ${field}: Target must not be empty`);
    if (m.Type === 'bind') await bind(m.Source ?? '', m.Target, !!m.ReadOnly, field, 'bind');
    else if (m.Type === 'volume') await volume(m.Source || undefined, m.Target, !!m.ReadOnly, field, { noCopy: m.VolumeOptions?.NoCopy, labels: m.VolumeOptions?.Labels });
    else if (m.Type === 'tmpfs') {
      claim(m.Target, field);
      const o = ['nosuid', 'nodev', 'noexec'];
      if (m.TmpfsOptions?.SizeBytes) o.push(`size=${m.TmpfsOptions.SizeBytes}`);
      if (m.TmpfsOptions?.Mode) o.push(`mode=${m.TmpfsOptions.Mode.toString(8)}`);
      spec.push({ destination: m.Target, type: 'tmpfs', source: 'tmpfs', options: o });
      points.push({ Type: 'tmpfs', Source: '', Destination: m.Target, Mode: '', RW: true, Propagation: '' });
    } else throw new InvalidArgumentError(`invalid mount config for ${field}: mount type unknown: "${String((m as { Type: unknown }).Type)}"`);
  }
  for (const [dest, optStr] of Object.entries(h.Tmpfs ?? {})) {
    claim(dest, `HostConfig.Tmpfs[${dest}]`);
    spec.push({ destination: dest, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', ...optStr.split(',').filter(Boolean)] });
  }
  // `--volumes-from`: the same volumes and binds; an explicit mount at the same path wins, as in dockerd.
  for (const p of inherited) {
    if (seen.has(p.Destination)) continue;
    const field = `HostConfig.VolumesFrom[${p.Destination}]`;
    if (p.Type === 'volume' && p.Name) await bind(await volumes.mountpoint(p.Name, containerId, { destination: p.Destination, noCopy: true }), p.Destination, !p.RW, field, 'volume', p.Name);
    else if (p.Type === 'bind') await bind(p.Source, p.Destination, !p.RW, field, 'bind');
  }
  // The image's VOLUMEs and `-v /path` get anonymous volumes, unless an explicit mount covers the path.
  for (const key of Object.keys(configVolumes ?? {})) {
    const dest = posix.normalize(key).replace(/(.)\/+$/, '$1');
    if (!seen.has(dest)) await volume(undefined, dest, false, `Config.Volumes[${key}]`);
  }
  // Docker's own files go last so a user mount of the same path is refused above, not shadowed here.
  for (const f of ['hostname', 'hosts', 'resolv.conf']) {
    if (!seen.has(`/etc/${f}`)) spec.push({ destination: `/etc/${f}`, type: 'bind', source: join(containerDir, f), options: ['rbind', 'rprivate', h.ReadonlyRootfs ? 'ro' : 'rw'] });
  }
  return { spec, points };
}
