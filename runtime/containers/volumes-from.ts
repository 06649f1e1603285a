import { InvalidArgumentError } from '../errors.ts';
import type { ContainerContext } from './context.ts';
import { resolveContainer } from './resolve.ts';
import type { MountPoint } from './types.ts';

const MODES = new Set(['ro', 'rw', 'z', 'Z']);

/**
 * dockerd's `--volumes-from container[:mode]`: the volumes and binds the source container
 * mounts, at the same paths; `ro` or `rw` overrides their mode. Read once, at create, and kept
 * with the container (as dockerd keeps them), so the source may be removed afterwards.
 */
export function volumesFromMounts(ctx: ContainerContext, specs: string[] | null | undefined): MountPoint[] {
  const out = new Map<string, MountPoint>();
  for (const [i, spec] of (specs ?? []).entries()) {
    const field = `HostConfig.VolumesFrom[${i}]`;
    const cut = spec.indexOf(':');
    const name = cut < 0 ? spec : spec.slice(0, cut);
    const mode = cut < 0 ? [] : spec.slice(cut + 1).split(',');
    if (!name) throw new InvalidArgumentError(`invalid volumes-from specification: '${spec}' (${field})`);
    const bad = mode.find((m) => !MODES.has(m));
    if (bad !== undefined || (mode.includes('ro') && mode.includes('rw'))) throw new InvalidArgumentError(`invalid mode: ${mode.join(',')} (${field})`);
    const source = resolveContainer(ctx, name);
    const rw = mode.includes('ro') ? false : mode.includes('rw') ? true : undefined;
    for (const m of source.record.Mounts) {
      if (m.Type === 'tmpfs') continue;
      out.set(m.Destination, { ...m, RW: rw ?? m.RW, Mode: rw === undefined ? m.Mode : rw ? '' : 'ro' });
    }
  }
  return [...out.values()];
}
