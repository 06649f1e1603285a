import { lstat, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HttpClient } from '../registry/http.ts';
import { InvalidArgumentError } from '../errors.ts';
import { secureJoin } from '../util/securejoin.ts';
import { archiveTar, extractArchive } from './add-archive.ts';
import { download, isURL } from './add-url.ts';
import { expand, type CopySpec } from './copy.ts';

export interface AddPart { root: string; spec: CopySpec }

/**
 * What an ADD adds, as copy parts: context files as COPY takes them, local tar archives unpacked
 * into the destination directory, URLs downloaded. `cleanup` removes the scratch space.
 */
export async function planAdd(http: HttpClient, context: string, spec: CopySpec, checksum?: string): Promise<{ parts: AddPart[]; cleanup: () => Promise<void> }> {
  const scratch = await mkdtemp(join(tmpdir(), 'wharf-build-add-'));
  const cleanup = (): Promise<void> => rm(scratch, { recursive: true, force: true });
  try {
    if (spec.sources.length > 1 && !spec.dest.endsWith('/')) {
      throw new InvalidArgumentError('When using ADD with more than one source file, the destination must be a directory and end with a /');
    }
    if (checksum && (spec.sources.length !== 1 || !isURL(spec.sources[0]!))) throw new InvalidArgumentError('ADD --checksum is only supported for a single URL source');
    if (checksum && !/^sha256:[a-f0-9]{64}$/.test(checksum)) throw new InvalidArgumentError(`ADD --checksum: invalid digest ${checksum}`);
    const parts: AddPart[] = [];
    let n = 0;
    for (const src of spec.sources) {
      if (isURL(src)) {
        const dir = join(scratch, String(n++));
        const name = await download(http, src, dir, checksum);
        parts.push({ root: dir, spec: { ...spec, sources: [name] } });
        continue;
      }
      for (const rel of await expand(context, src)) {
        const host = await secureJoin(context, rel);
        const st = await lstat(host).catch(() => null);
        const tarPath = st?.isFile() ? await archiveTar(host, join(scratch, `${n}.tar`)) : null;
        if (tarPath) {
          const dir = join(scratch, String(n++));
          await extractArchive(tarPath, dir);
          parts.push({ root: dir, spec: { ...spec, sources: ['.'], dest: spec.dest.endsWith('/') ? spec.dest : `${spec.dest}/` } });
        } else parts.push({ root: context, spec: { ...spec, sources: [rel], dest: /[*?[]/.test(src) && !spec.dest.endsWith('/') ? `${spec.dest}/` : spec.dest } });
      }
    }
    return { parts, cleanup };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
