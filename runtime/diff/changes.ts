import type { Stats } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { joinRel, parentOf } from './names.ts';
import { lstatOrNull } from '../util/fs.ts';
import { isWhiteout, walkUpper } from './walk.ts';

/** One line of `docker diff` (Docker Engine API ContainerChangeResponseItem): Kind 0 modified, 1 added, 2 deleted. */
export interface Change {
  Path: string;
  Kind: 0 | 1 | 2;
}

/**
 * What the merged lower layers (top-most first) show at `rel`, the way overlayfs resolves it:
 * the top-most layer that has the path decides, a whiteout hides it, and only directories merge
 * with the layers below. Opaque markers in lower layers are not consulted (that would need an
 * xattr read per lookup); they can only turn a Modified into an Added.
 */
async function lowerLookup(lowerDirs: readonly string[], rel: string): Promise<{ st: Stats; layers: string[] } | null> {
  let layers = [...lowerDirs];
  const parts = rel.split('/');
  for (let depth = 1; depth <= parts.length; depth++) {
    const prefix = parts.slice(0, depth).join('/');
    const below: string[] = [];
    let top: Stats | null = null;
    for (const layer of layers) {
      const st = await lstatOrNull(join(layer, prefix));
      if (st === null) continue;
      if (isWhiteout(st)) break;
      if (top === null) top = st;
      else if (!st.isDirectory()) break;
      below.push(layer);
      if (!top.isDirectory()) break;
    }
    if (top === null) return null;
    if (depth === parts.length) return { st: top, layers: below };
    if (!top.isDirectory()) return null;
    layers = below;
  }
  return null;
}

/** Names the merged lower directory `rel` lists, given the layers that merge into it (top-most first). */
async function lowerNames(layers: readonly string[], rel: string): Promise<string[]> {
  const seen = new Set<string>();
  const names: string[] = [];
  for (const layer of layers) {
    for (const name of await readdir(join(layer, rel))) {
      if (seen.has(name)) continue;
      seen.add(name);
      const child = await lstatOrNull(join(layer, rel, name));
      if (child !== null && !isWhiteout(child)) names.push(name);
    }
  }
  return names;
}

function sameDir(a: Stats, b: Stats): boolean {
  return a.mode === b.mode && a.uid === b.uid && a.gid === b.gid && a.mtimeMs === b.mtimeMs;
}

/**
 * The changes in an overlay upper directory against its lower layers, for `docker diff`.
 * Like Docker, a directory that only holds changed children and is otherwise as in the lower
 * layers is listed only if a child was added or deleted. An opaque directory over a lower one
 * is listed as modified, with each lower child it hides as deleted.
 */
export async function changes(lowerDirs: readonly string[], upperDir: string): Promise<Change[]> {
  const out = new Map<string, Change>();
  const touchedDirs = new Set<string>();
  const record = (rel: string, Kind: Change['Kind']) => {
    out.set(rel, { Path: `/${rel}`, Kind });
    if (Kind !== 0 && parentOf(rel) !== '') touchedDirs.add(parentOf(rel));
  };

  for await (const e of walkUpper(upperDir)) {
    if (e.whiteout) {
      record(e.rel, 2);
      continue;
    }
    const lower = await lowerLookup(lowerDirs, e.rel);
    if (lower === null) record(e.rel, 1);
    else if (e.opaque && lower.st.isDirectory()) {
      record(e.rel, 0);
      for (const name of await lowerNames(lower.layers, e.rel)) {
        if (await lstatOrNull(join(e.host, name)) === null) record(joinRel(e.rel, name), 2);
      }
    } else if (!(lower.st.isDirectory() && e.st.isDirectory() && sameDir(lower.st, e.st))) record(e.rel, 0);
  }
  for (const rel of touchedDirs) if (!out.has(rel)) out.set(rel, { Path: `/${rel}`, Kind: 0 });
  return [...out.values()].sort((a, b) => (a.Path < b.Path ? -1 : a.Path > b.Path ? 1 : 0));
}
