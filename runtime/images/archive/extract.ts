import { Readable } from 'node:stream';
import * as tar from 'tar-stream';
import { InvalidArgumentError, isWharfError } from '../../errors.ts';
import type { ContentStore } from '../../content/store.ts';
import type { Digest } from '../../util/digest.ts';
import { decompressed } from './compression.ts';
import { ArchiveEntries, CONTROL_FILES, MAX_JSON_BYTES, entryError, linkTarget, normaliseEntryName } from './entries.ts';

type Entry = tar.ExtractEvents['entry'][1];

const BLOB_NAME = /^blobs\/sha256\/([a-f0-9]{64})$/;
// Per-layer v1 metadata of the legacy `docker save` layout: manifest.json never refers to it.
const LEGACY_LAYER_METADATA = /^[^/]+\/(?:json|VERSION)$/;

/**
 * Stream an image archive (tar, optionally gzip-compressed) into the content store in one pass:
 * every regular file becomes a blob, digested while it streams; control documents stay in memory.
 * Nothing is interpreted yet, since manifest.json usually comes after the blobs it names.
 */
export async function extractArchive(src: Readable, content: ContentStore): Promise<ArchiveEntries> {
  const sourceErrors = new Set<unknown>();
  const entries = new ArchiveEntries();
  const extract = tar.extract();
  let input: Readable | undefined;
  try {
    input = await decompressed(src, sourceErrors);
    input.once('error', (e) => extract.destroy(e));
    input.pipe(extract as unknown as NodeJS.WritableStream);
    for await (const entry of extract) {
      await handleEntry(entry, entries, content);
    }
    return entries;
  } catch (e) {
    // A failing source explains whatever broke downstream (a truncated entry, a torn-down parser).
    const [sourceError] = sourceErrors;
    if (sourceError !== undefined) throw sourceError;
    if (isWharfError(e)) throw e;
    throw new InvalidArgumentError(`invalid image archive: ${(e as Error).message}`, { cause: e });
  } finally {
    extract.destroy();
    input?.destroy();
  }
}

async function handleEntry(entry: Entry, entries: ArchiveEntries, content: ContentStore): Promise<void> {
  const { header } = entry;
  let name: string | undefined;
  try {
    name = normaliseEntryName(header.name);
  } catch (e) {
    await drain(entry);
    throw e;
  }
  if (name === undefined) return drain(entry);
  switch (header.type) {
    case 'file':
    case 'contiguous-file':
      if (LEGACY_LAYER_METADATA.test(name)) return drain(entry);
      if (CONTROL_FILES.has(name)) {
        entries.control.set(name, await readCapped(entry, name, header.size ?? 0));
      } else {
        await ingestFile(entry, name, header.size ?? 0, entries, content);
      }
      return;
    case 'symlink':
    case 'link':
      entries.links.set(name, linkTarget(name, header.linkname ?? '', header.type === 'link'));
      entries.files.delete(name);
      return drain(entry);
    default:
      // Directories and special files carry nothing an image is made of.
      return drain(entry);
  }
}

async function ingestFile(entry: Entry, name: string, size: number, entries: ArchiveEntries, content: ContentStore): Promise<void> {
  const m = BLOB_NAME.exec(name);
  const expected = m ? (`sha256:${m[1]}` as Digest) : undefined;
  const existed = expected ? await content.has(expected) : true;
  let committed: { digest: Digest; size: number };
  try {
    committed = await content.ingest(Readable.from(entry), { digest: expected, size });
  } catch (e) {
    if (e instanceof InvalidArgumentError) throw entryError(name, e.message, e);
    throw e;
  }
  entries.files.set(name, committed);
  entries.links.delete(name);
  // Only blobs named by digest can be told apart from ones that were already in the store;
  // anything else is never reported as added, so a caller cannot delete someone else's blob.
  if (!existed) entries.added.add(committed.digest);
}

async function readCapped(entry: Entry, name: string, size: number): Promise<Buffer> {
  if (size > MAX_JSON_BYTES) {
    await drain(entry);
    throw entryError(name, `too large (${size} bytes, at most ${MAX_JSON_BYTES})`);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of entry) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function drain(entry: Entry): Promise<void> {
  for await (const _ of entry) { /* discard */ }
}
