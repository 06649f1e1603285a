import type { ImageUpdate } from '@/server/protocol/index.ts';
import { Badge } from '../ui/badge.tsx';

export function UpdateBadge({ update }: { update: ImageUpdate | undefined }) {
  if (!update) return null;
  return (
    <span data-update-available={update.reference}>
      <Badge tone="warning" title={`${update.reference}: the registry serves ${update.remoteDigest ?? '?'}, this image was pulled as ${update.localDigest ?? '?'}`}>update available</Badge>
    </span>
  );
}
