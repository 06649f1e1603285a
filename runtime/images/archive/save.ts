import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tar from 'tar-stream';
import { InternalError } from '../../errors.ts';
import { Digester } from '../../util/digest.ts';
import { planArchive, type SaveImage, type SaveLayer } from './save-plan.ts';

export type { SaveImage, SaveLayer } from './save-plan.ts';

// Fixed metadata makes the same images always produce the same bytes.
const MTIME = new Date(0);
const FILE_MODE = 0o644;
const DIR_MODE = 0o755;

type Sink = ReturnType<tar.Pack['entry']>;
type EntryHeader = { name: string; mode: number; type?: 'directory'; size?: number };

/**
 * Write images as Docker 25+'s `docker save` does (see planArchive), streaming each layer
 * once (shared layers are stored once) with backpressure from `out`. Rejects, and destroys
 * `out`, if writing fails or a layer's bytes do not match its diffID and size.
 */
export async function writeImageArchive(images: SaveImage[], out: Writable): Promise<void> {
  const plan = planArchive(images);
  const pack = tar.pack();
  const piping = pipeline(Readable.from(pack), out);
  piping.catch(() => { /* awaited below */ });
  try {
    await entry(pack, { name: 'blobs/', type: 'directory', mode: DIR_MODE });
    await entry(pack, { name: 'blobs/sha256/', type: 'directory', mode: DIR_MODE });
    for (const hex of [...plan.blobs.keys()].sort()) {
      const blob = plan.blobs.get(hex)!;
      const name = `blobs/sha256/${hex}`;
      if (blob.kind === 'json') await entry(pack, { name, mode: FILE_MODE }, blob.data);
      else await layerEntry(pack, name, blob.layer);
    }
    for (const f of plan.files) await entry(pack, { name: f.name, mode: FILE_MODE }, f.data);
    pack.finalize();
  } catch (e) {
    pack.destroy(e as Error);
    const outError = await piping.then(() => undefined, (err: unknown) => err);
    // When the consumer went away first, its error is the cause and ours only the echo.
    throw e instanceof PackClosed && outError !== undefined ? outError : e;
  }
  await piping;
}

/** The tar stream was torn down underneath an entry, by a failing consumer. */
class PackClosed extends Error {}

function open(pack: tar.Pack, header: EntryHeader, data?: Buffer): { sink: Sink; done: Promise<void> } {
  let sink!: Sink;
  const full = { uid: 0, gid: 0, uname: '', gname: '', mtime: MTIME, ...header };
  const done = new Promise<void>((resolve, reject) => {
    const cb = (err?: Error | null) => (err ? reject(new PackClosed(err.message, { cause: err })) : resolve());
    sink = data ? pack.entry(full, data, cb) : pack.entry(full, cb);
  });
  done.catch(() => { /* observed by the caller */ });
  // The entry callback reports the same failure; an unobserved 'error' event would crash.
  sink.on('error', () => undefined);
  return { sink, done };
}

function entry(pack: tar.Pack, header: EntryHeader, data?: Buffer): Promise<void> {
  return open(pack, header, data).done;
}

async function layerEntry(pack: tar.Pack, name: string, layer: SaveLayer): Promise<void> {
  const { sink, done } = open(pack, { name, mode: FILE_MODE, size: layer.size });
  const src = layer.open();
  const d = new Digester();
  try {
    for await (const chunk of src) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      d.update(buf);
      if (d.size > layer.size) break;
      if (!sink.write(buf)) await drained(sink);
      if (sink.destroyed) throw new PackClosed('the archive stream was closed');
    }
    if (d.size !== layer.size || d.digest() !== layer.diffID) {
      throw new InternalError(`layer ${layer.diffID}: its content does not match its diffID and size (${layer.size} bytes)`);
    }
  } catch (e) {
    src.destroy();
    sink.destroy(e as Error);
    throw e;
  }
  sink.end(undefined);
  await done;
}

function drained(sink: Sink): Promise<void> {
  return new Promise((resolve) => {
    const done = () => { sink.off('drain', done); sink.off('close', done); resolve(); };
    sink.on('drain', done);
    sink.on('close', done);
  });
}
