import type { ContainerRecord, MountPoint } from '../../../runtime/index.ts';
import type * as Docker from '../../protocol/docker-api.ts';

/**
 * The container's Mounts. The engine resolves them at start; before the first start they are
 * read from the request (binds and volumes; a volume's host path is known once it exists),
 * so `docker inspect` of a created container shows them as dockerd does.
 */
export function mountsView(rec: ContainerRecord): Docker.MountPoint[] {
  if (rec.Mounts.length > 0) return rec.Mounts;
  const out: MountPoint[] = [];
  for (const b of rec.HostConfig.Binds ?? []) {
    const [source = '', dest = '', mode = ''] = b.split(':');
    const ro = mode.split(',').includes('ro');
    if (source.startsWith('/')) out.push({ Type: 'bind', Source: source, Destination: dest, Mode: mode, RW: !ro, Propagation: 'rprivate' });
    else out.push({ Type: 'volume', Name: source, Source: '', Destination: dest, Driver: 'local', Mode: mode, RW: !ro, Propagation: '' });
  }
  for (const m of rec.HostConfig.Mounts ?? []) {
    if (m.Type === 'bind') out.push({ Type: 'bind', Source: m.Source ?? '', Destination: m.Target, Mode: '', RW: !m.ReadOnly, Propagation: m.BindOptions?.Propagation || 'rprivate' });
    else if (m.Type === 'volume') out.push({ Type: 'volume', Name: m.Source ?? '', Source: '', Destination: m.Target, Driver: 'local', Mode: 'z', RW: !m.ReadOnly, Propagation: '' });
    else out.push({ Type: 'tmpfs', Source: '', Destination: m.Target, Mode: '', RW: true, Propagation: '' });
  }
  return out;
}
