/**
 * The parts of a container record that name volumes. Structural, so this layer does not
 * depend on containers/ (which sits above it).
 */
export interface VolumeUser {
  id: string;
  record: {
    HostConfig: {
      Binds?: string[] | null;
      Mounts?: { Type: string; Source?: string }[] | null;
    };
    /** What the container mounted when it last started. */
    Mounts: { Type: string; Name?: string }[];
  };
}

/**
 * Names of the volumes a container refers to, whether or not it ever started: Docker holds a
 * reference from create until the container is removed, so `volume rm` refuses either way.
 */
export function volumeNamesOf(c: VolumeUser): Set<string> {
  const names = new Set<string>();
  for (const b of c.record.HostConfig.Binds ?? []) {
    const source = b.split(':')[0] ?? '';
    if (source && !source.startsWith('/')) names.add(source);
  }
  for (const m of c.record.HostConfig.Mounts ?? []) if (m.Type === 'volume' && m.Source) names.add(m.Source);
  for (const m of c.record.Mounts) if (m.Type === 'volume' && m.Name) names.add(m.Name);
  return names;
}
