import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { ContentStore } from '../content/store.ts';
import { openLayer } from '../diff/decompress.ts';
import type { ImageStore } from '../images/store.ts';
import type { DB } from '../metadata/db.ts';
import type { Digest } from '../util/digest.ts';
import { analyze, type LayerEntry, type SizeHints, type StepListing } from './hints.ts';

/** A layer blob's entries, read as a stream (gzip through zlib's thread pool): never held whole. */
async function listLayer(src: Readable): Promise<LayerEntry[]> {
  const entries: LayerEntry[] = [];
  const extract = tar.extract();
  extract.on('entry', (h, stream, next) => {
    const path = posix.normalize(h.name).replace(/^(\.\/|\/)+/, '').replace(/\/+$/, '');
    const base = posix.basename(path);
    const dir = posix.dirname(path) === '.' ? '' : posix.dirname(path);
    if (base === '.wh..wh..opq') entries.push({ path: dir, size: 0, kind: 'opaque' });
    else if (base.startsWith('.wh.')) entries.push({ path: dir ? `${dir}/${base.slice(4)}` : base.slice(4), size: 0, kind: 'whiteout' });
    else entries.push({ path, size: h.size ?? 0, kind: h.type === 'file' || h.type === 'contiguous-file' ? 'file' : h.type === 'directory' ? 'dir' : 'link' });
    stream.on('end', next);
    stream.resume();
  });
  const { stream, gunzip } = await openLayer(src);
  if (gunzip) await pipeline(stream, gunzip, extract);
  else await pipeline(stream, extract);
  return entries;
}

/**
 * Size hints per image, computed once from the layer blobs already in the content store and
 * kept in SQLite with the image (dropped with it), so the image page reads them back.
 */
export class HintsStore {
  constructor(private readonly db: DB, private readonly store: ImageStore, private readonly content: ContentStore) {}

  get(id: string): SizeHints | undefined {
    const row = this.db.prepare('SELECT hints FROM image_hints WHERE image_id = ?').get(id) as { hints: string } | undefined;
    return row ? JSON.parse(row.hints) as SizeHints : undefined;
  }

  /** The stored hints, or computed and stored now (images pulled or loaded rather than built). */
  async of(nameOrId: string): Promise<SizeHints> {
    const id = this.store.resolve(nameOrId).id;
    return this.get(id) ?? this.compute(id);
  }

  async compute(id: string): Promise<SizeHints> {
    const row = this.store.resolve(id);
    const config = await this.store.config(row.id);
    const layers = row.layers;
    const steps: StepListing[] = [];
    let n = 0;
    for (const h of config.history ?? []) {
      const step: StepListing = { createdBy: h.created_by ?? '' };
      if (!h.empty_layer && n < layers.length) {
        const l = layers[n++]!;
        step.layer = { size: l.uncompressedSize, entries: await listLayer(this.content.readStream(l.digest as Digest)) };
      }
      steps.push(step);
    }
    const hints = analyze(steps);
    // An image the same moment removed has no row to attach to: nothing to keep then.
    if (this.store.get(row.id)) this.db.prepare('INSERT OR REPLACE INTO image_hints (image_id, hints) VALUES (?, ?)').run(row.id, JSON.stringify(hints));
    return hints;
  }
}
