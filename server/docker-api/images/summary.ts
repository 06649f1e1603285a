import type { Engine, ImageConfig, ImageRow } from '../../../runtime/index.ts';
import type * as Docker from '../../protocol/docker-api.ts';

/** Docker's ImageSummary; VirtualSize, gone from the spec since 1.44, for older clients. */
export type ImageSummary = Docker.ImageSummary & { VirtualSize?: number };

/** API versions compare as numbers: 1.9 < 1.44. */
export function versionLess(a: string, b: string): boolean {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am < bm || (am === bm && an < bn);
}

/**
 * One image as `/images/json` and `/system/df` list it. SharedSize and Containers are -1
 * ("not computed") unless asked for, as in dockerd; VirtualSize only for clients before 1.44.
 */
export function summarize(engine: Engine, row: ImageRow, config: ImageConfig, opts: { version: string; repoTags?: string[]; repoDigests?: string[]; sharedSize?: number; containers?: boolean }): ImageSummary {
  const s: ImageSummary = {
    Containers: opts.containers ? engine.images.users(row.id).length : -1,
    Created: row.created,
    Id: row.id,
    Labels: config.config?.Labels ?? {},
    ParentId: typeof config.parent === 'string' ? config.parent : '',
    RepoDigests: opts.repoDigests ?? engine.images.repoDigests(row.id),
    RepoTags: opts.repoTags ?? engine.images.repoTags(row.id),
    SharedSize: opts.sharedSize ?? -1,
    Size: row.size,
  };
  if (versionLess(opts.version, '1.44')) s.VirtualSize = row.size;
  return s;
}

/** Bytes of each image's layers that some other image also has (Docker's SharedSize). */
export function sharedSizes(engine: Engine): Map<string, number> {
  const rows = engine.images.list();
  const counts = new Map<string, number>();
  const chains = new Map<string, { chainID: string; size: number }[]>();
  for (const row of rows) {
    const ids = engine.images.chainIDs(row);
    const chain = row.layers.map((l, i) => ({ chainID: ids[i]!, size: l.uncompressedSize }));
    chains.set(row.id, chain);
    for (const c of chain) counts.set(c.chainID, (counts.get(c.chainID) ?? 0) + 1);
  }
  const out = new Map<string, number>();
  for (const [id, chain] of chains) out.set(id, chain.reduce((n, c) => n + ((counts.get(c.chainID) ?? 0) > 1 ? c.size : 0), 0));
  return out;
}
