import { posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';

/** OCI image-spec layer.md whiteout names. */
export const WHITEOUT_PREFIX = '.wh.';
export const WHITEOUT_META_PREFIX = '.wh..wh.';
export const WHITEOUT_OPAQUE = '.wh..wh..opq';

/** The overlayfs xattr that hides everything below a directory in the lower layers. */
export const OVERLAY_OPAQUE_XATTR = 'trusted.overlay.opaque';

/**
 * Normalise a tar entry or hardlink name to a path relative to the layer root, '' for the root
 * itself. Absolute names and names that climb out with `..` are refused: a layer describes one
 * tree and has no business naming anything outside it.
 */
export function normalizeEntryName(name: string, field = 'entry'): string {
  if (name.includes('\0')) throw new InvalidArgumentError(`layer ${field} "${name}": NUL in name`);
  if (name.startsWith('/')) throw new InvalidArgumentError(`layer ${field} "${name}": absolute path`);
  const clean = posix.normalize(name);
  if (clean === '.' || clean === './') return '';
  const rel = clean.replace(/\/+$/, '');
  if (rel === '..' || rel.startsWith('../')) {
    throw new InvalidArgumentError(`layer ${field} "${name}": path escapes the layer root`);
  }
  return rel;
}

export function parentOf(rel: string): string {
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

export function baseOf(rel: string): string {
  return rel.slice(rel.lastIndexOf('/') + 1);
}

export function joinRel(parent: string, name: string): string {
  return parent === '' ? name : `${parent}/${name}`;
}
