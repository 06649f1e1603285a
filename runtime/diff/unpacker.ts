import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { ContentStore } from '../content/store.ts';
import type { OverlaySnapshotter } from '../snapshots/overlay.ts';
import type { LayerRecord } from '../metadata/images.ts';
import { chainIDs, type Digest } from '../util/digest.ts';
import { KeyedLock } from '../util/lock.ts';
import { InvalidArgumentError } from '../errors.ts';
import { applyLayer } from './apply.ts';

export interface LayerBlob { digest: Digest; mediaType: string; size: number }

/**
 * The top layer of an unpack as it arrives from a registry: its bytes, and when its blob is
 * verified and stored. It is unpacked while it downloads, and committed only once stored.
 */
export interface LiveLayer { stream: Readable; stored: Promise<unknown> }

/**
 * Unpacks image layers into committed snapshots keyed by chainID: each layer is applied
 * once and shared by every image that has it. The diffID of each applied layer is checked
 * against the image config, so a tampered layer never becomes a snapshot.
 */
export class LayerUnpacker {
  private readonly lock = new KeyedLock();

  constructor(private readonly content: ContentStore, private readonly snapshots: OverlaySnapshotter) {}

  async unpack(layers: readonly LayerBlob[], diffIDs: readonly Digest[], live?: LiveLayer): Promise<LayerRecord[]> {
    if (layers.length !== diffIDs.length) {
      throw new InvalidArgumentError(`image has ${layers.length} layers but its config lists ${diffIDs.length} diff_ids`);
    }
    const chain = chainIDs(diffIDs);
    const out: LayerRecord[] = [];
    for (let i = 0; i < layers.length; i++) {
      const layer = layers[i]!;
      const chainID = chain[i]!;
      const parent = i > 0 ? chain[i - 1] : undefined;
      const arriving = i === layers.length - 1 ? live : undefined;
      const size = await this.lock.with(chainID, async () => {
        const existing = this.snapshots.stat(chainID);
        if (existing?.kind === 'committed') {
          // Its download still runs on into the store: leave it to that.
          arriving?.stream.destroy();
          return existing.size;
        }
        const key = `extract-${randomBytes(8).toString('hex')}-${chainID}`;
        await this.snapshots.prepare(key, parent);
        try {
          const src = arriving?.stream ?? this.content.readStream(layer.digest);
          const res = await applyLayer(src, this.snapshots.upperDir(key), { lowerDirs: this.snapshots.lowerDirs(key) });
          if (res.diffID !== diffIDs[i]) {
            throw new InvalidArgumentError(`layer ${layer.digest}: diffID ${res.diffID} does not match the config's ${diffIDs[i]}`);
          }
          // Bytes that arrived are only trusted once the blob's digest matched.
          await arriving?.stored;
          await this.snapshots.commit(chainID, key, res.size);
          return res.size;
        } catch (e) {
          arriving?.stream.destroy();
          await this.snapshots.remove(key);
          throw e;
        }
      });
      out.push({ digest: layer.digest, mediaType: layer.mediaType, size: layer.size, diffID: diffIDs[i]!, uncompressedSize: size });
    }
    return out;
  }

  /** Remove committed layers of a deleted image that nothing else stands on, top-most first. */
  async prune(diffIDs: readonly Digest[], inUse: Set<string>): Promise<void> {
    for (const chainID of chainIDs(diffIDs).reverse()) {
      if (inUse.has(chainID)) return;
      if (!this.snapshots.stat(chainID)) continue;
      try { await this.snapshots.remove(chainID); } catch { return; /* has children: a container or another image */ }
    }
  }
}
