import { realpath, stat } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import { InvalidArgumentError, isWharfError } from '../errors.ts';
import { Digester, type Digest } from '../util/digest.ts';
import { openLayer } from './decompress.ts';
import { finishLayer } from './finish.ts';
import { Unpacker, type EntryStream } from './unpack.ts';

export interface ApplyResult {
  /** sha256 of the uncompressed tar, every byte of it, as the image config's rootfs.diff_ids lists it. */
  diffID: Digest;
  /** Uncompressed size in bytes. */
  size: number;
}

export interface ApplyOptions {
  /**
   * `overlay` (default): root is an overlay upper directory, so deletions of lower content become
   * whiteout nodes and opaque xattrs. `remove`: root is a whole tree (a copy of the layers below),
   * so deletions just remove.
   */
  whiteouts?: 'overlay' | 'remove';
  /**
   * With `overlay`: the layers below, top-most first (overlay lowerdir order). A directory the
   * archive needs but does not list then takes its owner, mode and times from the first of them
   * that has it, instead of masking it with root's 0755 in the merged view.
   */
  lowerDirs?: readonly string[];
}

const TAR_ERRORS = /^(Invalid tar header|Invalid header|Unexpected end of data|Header exceeds max size)/;

function isDestroyedError(e: unknown): boolean {
  return e instanceof Error && (e.name === 'StreamError' || (e as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE');
}

/** A corrupt archive is the caller's bad input; a failing disk or source is not. */
function classify(e: unknown): unknown {
  if (isWharfError(e) || !(e instanceof Error)) return e;
  const code = (e as NodeJS.ErrnoException).code;
  if ((typeof code === 'string' && code.startsWith('Z_')) || TAR_ERRORS.test(e.message)) {
    return new InvalidArgumentError(`invalid layer archive: ${e.message}`, { cause: e });
  }
  return e;
}

/**
 * Apply a layer tar (plain or gzip) onto `root`, confined to it whatever the archive says, and
 * return its diffID. The data streams through once: decompressed, hashed and written as it comes.
 */
export async function applyLayer(src: Readable, root: string, opts: ApplyOptions = {}): Promise<ApplyResult> {
  const overlay = (opts.whiteouts ?? 'overlay') === 'overlay';
  let base: string;
  try {
    base = await realpath(root);
    if (!(await stat(base)).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    src.destroy();
    throw new InvalidArgumentError(`layer root ${root}: ${(e as Error).message}`, { cause: e });
  }

  const { stream, gunzip } = await openLayer(src);
  const digester = new Digester();
  const hasher = new Transform({
    transform(chunk: Buffer, _enc, cb) {
      digester.update(chunk);
      cb(null, chunk);
    },
  });
  // Old v7 headers (no ustar magic) are still tar; Go's archive/tar, and so Docker, reads them too.
  const extract = tar.extract({ allowUnknownFormat: true } as object); // an option its type declarations leave out
  // The extractor reads on past the end-of-archive blocks to the end of the stream, so the digest covers every byte.
  const piping = gunzip ? pipeline(stream, gunzip, hasher, extract) : pipeline(stream, hasher, extract);
  let streamError: unknown = null;
  piping.catch((e: unknown) => { streamError = e; });

  const unpacker = new Unpacker(base, overlay, overlay ? opts.lowerDirs ?? [] : []);
  try {
    // streamx readables are async iterable; their type declarations leave that out.
    for await (const entry of extract) await unpacker.entry(entry.header, entry as unknown as EntryStream);
    await piping;
    await unpacker.settle();
  } catch (e) {
    extract.destroy();
    await piping.catch(() => {});
    await unpacker.settle().catch(() => {});
    // An entry cut short only says "destroyed"; the stream's own error says why (truncated archive, bad gzip, source gone).
    throw classify(streamError !== null && isDestroyedError(e) ? streamError : e);
  }
  await finishLayer(unpacker, overlay);
  return { diffID: digester.digest(), size: digester.size };
}
