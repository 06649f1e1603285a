/** One Docker progress message: `{id, status, progressDetail}`. */
export interface ProgressMessage { id?: string; status: string; progressDetail?: { current?: number; total?: number } }
export type Progress = (m: ProgressMessage) => void;

/** Docker names a layer in progress lines by the first 12 hex digits of its digest. */
export const shortDigest = (d: string): string => d.slice(d.indexOf(':') + 1, d.indexOf(':') + 13);
