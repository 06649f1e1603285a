import { posix } from 'node:path';
import { InvalidArgumentError } from '../../errors.ts';
import type { Digest } from '../../util/digest.ts';

export interface ArchiveFile { digest: Digest; size: number }

/** Entries kept in memory instead of the content store: small control documents. */
export const CONTROL_FILES = new Set(['manifest.json', 'index.json', 'oci-layout', 'repositories']);
/** Upper bound for any JSON document read from an archive, so a hostile one cannot exhaust memory. */
export const MAX_JSON_BYTES = 16 * 1024 * 1024;
const MAX_LINK_HOPS = 40;

export function entryError(name: string, detail: string, cause?: unknown): InvalidArgumentError {
  return new InvalidArgumentError(`invalid image archive entry "${name}": ${detail}`, cause ? { cause } : undefined);
}

/**
 * Normalise a tar entry name to an archive-relative path (`./a//b/` → `a/b`); undefined for the
 * root itself. Names that climb out of the archive are refused.
 */
export function normaliseEntryName(raw: string): string | undefined {
  if (raw.startsWith('/')) throw entryError(raw, 'absolute paths are not allowed');
  const n = posix.normalize(raw).replace(/\/+$/, '');
  if (n === '.' || n === '') return undefined;
  if (n === '..' || n.startsWith('../')) throw entryError(raw, 'path leaves the archive');
  return n;
}

/** Resolve a link target relative to the link's own entry, refusing anything outside the archive. */
export function linkTarget(name: string, linkname: string, hard: boolean): string {
  if (linkname.startsWith('/')) throw entryError(name, `link target "${linkname}" points outside the archive`);
  const joined = hard ? linkname : posix.join(posix.dirname(name), linkname);
  const n = posix.normalize(joined).replace(/\/+$/, '');
  if (n === '.' || n === '' || n === '..' || n.startsWith('../')) {
    throw entryError(name, `link target "${linkname}" points outside the archive`);
  }
  return n;
}

/** What the tar held: files committed to the content store, links between entries, control files. */
export class ArchiveEntries {
  readonly files = new Map<string, ArchiveFile>();
  readonly links = new Map<string, string>();
  readonly control = new Map<string, Buffer>();
  /** Digests this archive added to the content store (not there before it was read). */
  readonly added = new Set<Digest>();

  /** The file behind `name`, following links; `referrer` names the entry that pointed here. */
  lookup(name: string, referrer: string): ArchiveFile {
    let n = normaliseEntryName(name) ?? '.';
    for (let hops = 0; hops <= MAX_LINK_HOPS; hops++) {
      const file = this.files.get(n);
      if (file) return file;
      const next = this.links.get(n);
      if (next === undefined) throw entryError(referrer, `refers to "${name}", which is not in the archive`);
      n = next;
    }
    throw entryError(referrer, `refers to "${name}" through too many links`);
  }

  /** The blob file for a digest, stored at `blobs/sha256/<hex>` in OCI layouts. */
  blob(digest: Digest, referrer: string): ArchiveFile {
    return this.lookup(`blobs/sha256/${digest.slice(7)}`, referrer);
  }
}
