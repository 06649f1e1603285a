import { z } from 'zod';

/** What one volume entry is; `other` covers sockets, fifos and device nodes. */
export const volumeEntryTypeSchema = z.enum(['file', 'dir', 'symlink', 'other']);
export type VolumeEntryType = z.infer<typeof volumeEntryTypeSchema>;

export const volumeEntrySchema = z.object({
  name: z.string(),
  type: volumeEntryTypeSchema,
  size: z.number(),
  /** Permission bits in octal, e.g. `644`. */
  mode: z.string(),
  /** ISO 8601. */
  mtime: z.string(),
  /** Symlinks only: the target as stored; it is listed, never followed. */
  linkTarget: z.string().optional(),
});
export type VolumeEntry = z.infer<typeof volumeEntrySchema>;

/** GET /api/environments/:id/volumes/:name/browse?path=/sub/dir (embedded engine only). */
export const volumeListingSchema = z.object({
  /** The directory listed, normalised: always starts with `/`, relative to the volume. */
  path: z.string(),
  /** Directories first, then by name. */
  entries: z.array(volumeEntrySchema),
});
export type VolumeListing = z.infer<typeof volumeListingSchema>;

function volumeApiPath(env: string, volume: string, action: 'browse' | 'download', path: string): string {
  return `/api/environments/${encodeURIComponent(env)}/volumes/${encodeURIComponent(volume)}/${action}?path=${encodeURIComponent(path)}`;
}

/** Where the UI lists a directory of a volume. */
export function volumeBrowsePath(env: string, volume: string, path: string): string {
  return volumeApiPath(env, volume, 'browse', path);
}

/** Where the UI downloads a file (its bytes) or a directory (a tar) of a volume. */
export function volumeDownloadPath(env: string, volume: string, path: string): string {
  return volumeApiPath(env, volume, 'download', path);
}
