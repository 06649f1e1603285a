/** Image update checks: `GET/POST /api/environments/local/updates…`. */
export type UpdateStatus = 'current' | 'available' | 'unknown' | 'error';

/** One tag in use, compared with what its registry serves now. */
export interface ImageUpdate {
  reference: string;
  imageId: string;
  localDigest: string | null;
  remoteDigest: string | null;
  status: UpdateStatus;
  error: string | null;
  checkedAt: string;
}

export interface ContainerRollback { containerName: string; reference: string; previousImage: string; updatedAt: string }

export interface UpdatesReport { updates: ImageUpdate[]; rollbacks: ContainerRollback[] }

/** What an update or a roll back did to a container. */
export interface RecreateResult { id: string; name: string; image: string; previousImage: string; changed: boolean }

export function updatesPath(env: string): string {
  return `/api/environments/${encodeURIComponent(env)}/updates`;
}

export function containerUpdatePath(env: string, container: string, action: 'update' | 'rollback'): string {
  return `${updatesPath(env)}/containers/${encodeURIComponent(container)}/${action}`;
}
