import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import { Digester, hexOf, type Digest } from '../util/digest.ts';
import { fsyncDir } from '../util/atomic.ts';
import { newId } from '../util/ids.ts';
import { InvalidArgumentError, NotFoundError } from '../errors.ts';

export interface Descriptor { mediaType: string; digest: Digest; size: number; annotations?: Record<string, string> }

/**
 * Content-addressed blob store. Bytes land in `ingest/` first and move to
 * `blobs/sha256/<hex>` only after digest and size are verified, so a blob that is
 * visible is always whole and correct.
 */
export class ContentStore {
  private readonly blobs: string;
  private readonly ingestDir: string;

  constructor(root: string) {
    this.blobs = join(root, 'blobs', 'sha256');
    this.ingestDir = join(root, 'ingest');
  }

  async init(): Promise<void> {
    await mkdir(this.blobs, { recursive: true });
    // Partial ingests from a crash are never referenced: drop them.
    await rm(this.ingestDir, { recursive: true, force: true });
    await mkdir(this.ingestDir, { recursive: true });
  }

  path(digest: Digest): string {
    return join(this.blobs, hexOf(digest));
  }

  async has(digest: Digest): Promise<boolean> {
    try { await stat(this.path(digest)); return true; } catch { return false; }
  }

  async size(digest: Digest): Promise<number> {
    try { return (await stat(this.path(digest))).size; } catch { throw new NotFoundError(`blob ${digest} not found`); }
  }

  /** Ingest a stream; verify against `expected` when given. Returns the committed digest and size. */
  async ingest(src: Readable, expected?: { digest?: Digest; size?: number }): Promise<{ digest: Digest; size: number }> {
    const tmp = join(this.ingestDir, newId());
    const d = new Digester();
    const hasher = new Transform({ transform(chunk: Buffer, _enc, cb) { d.update(chunk); cb(null, chunk); } });
    const out = createWriteStream(tmp, { flags: 'wx' });
    try {
      await pipeline(src, hasher, out);
      const digest = d.digest();
      if (expected?.digest && expected.digest !== digest) {
        throw new InvalidArgumentError(`digest mismatch: expected ${expected.digest}, got ${digest}`);
      }
      if (expected?.size !== undefined && expected.size !== d.size) {
        throw new InvalidArgumentError(`size mismatch for ${digest}: expected ${expected.size}, got ${d.size}`);
      }
      const fh = await open(tmp, 'r+');
      try { await fh.sync(); } finally { await fh.close(); }
      await rename(tmp, this.path(digest));
      await fsyncDir(this.blobs);
      return { digest, size: d.size };
    } finally {
      await rm(tmp, { force: true });
    }
  }

  async ingestBuffer(data: Buffer, expected?: { digest?: Digest; size?: number }): Promise<{ digest: Digest; size: number }> {
    return this.ingest(Readable.from([data]), expected);
  }

  async readBuffer(digest: Digest): Promise<Buffer> {
    try { return await readFile(this.path(digest)); } catch { throw new NotFoundError(`blob ${digest} not found`); }
  }

  async readJSON<T>(digest: Digest): Promise<T> {
    return JSON.parse((await this.readBuffer(digest)).toString('utf8')) as T;
  }

  /** The blob's bytes, or those from `start` to `end` inclusive (a chunked upload reads ranges). */
  readStream(digest: Digest, start?: number, end?: number): Readable {
    return createReadStream(this.path(digest), { start, end });
  }

  async delete(digest: Digest): Promise<void> {
    await rm(this.path(digest), { force: true });
  }

  async list(): Promise<Digest[]> {
    return (await readdir(this.blobs)).filter((n) => /^[a-f0-9]{64}$/.test(n)).map((n) => `sha256:${n}` as Digest);
  }
}
