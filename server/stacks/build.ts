import { createReadStream } from 'node:fs';
import type { ClientRequest, IncomingMessage } from 'node:http';
import { lstat, readdir, readlink } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import tar from 'tar-stream';
import type { BuildSpec } from './model.ts';

/** `DockerClient.request`: a raw request whose body the caller streams. */
export type RawRequest = (opts: { method: string; path: string; headers?: Record<string, string> }) => ClientRequest;

/**
 * A service's `build:` through the Docker API's `POST /build`, as compose does: the context
 * folder streamed as a tar (files read as they are sent, never held in memory), the build's
 * output handed to `onLine`; an error line fails the build.
 */
export async function buildImage(request: RawRequest, tag: string, spec: BuildSpec, onLine: (text: string) => void): Promise<void> {
  const query = new URLSearchParams({ t: tag, dockerfile: spec.dockerfile ?? 'Dockerfile', buildargs: JSON.stringify(spec.args), rm: '1' });
  const req = request({ method: 'POST', path: `/build?${query}`, headers: { 'content-type': 'application/x-tar' } });
  const answered = new Promise<IncomingMessage>((resolve, reject) => {
    req.once('response', resolve);
    req.once('error', reject);
  });
  const pack = tar.pack();
  const sent = pipeline(pack, req);
  await addTree(pack, spec.context, '');
  pack.finalize();
  await sent;
  const res = await answered;
  let text = '';
  for await (const chunk of res) text += (chunk as Buffer).toString('utf8');
  if ((res.statusCode ?? 500) >= 300) throw new Error(`build ${tag}: ${text.trim()}`);
  for (const line of text.split('\n').filter((l) => l.trim())) {
    const msg = JSON.parse(line) as { stream?: string; error?: string; errorDetail?: { message?: string } };
    if (msg.error || msg.errorDetail) throw new Error(`build ${tag}: ${msg.errorDetail?.message ?? msg.error}`);
    if (msg.stream?.trim()) onLine(msg.stream.trim());
  }
}

async function addTree(pack: tar.Pack, root: string, rel: string): Promise<void> {
  const entries = await readdir(path.join(root, rel), { withFileTypes: true });
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const name = rel ? `${rel}/${e.name}` : e.name;
    const full = path.join(root, name);
    const st = await lstat(full);
    if (st.isDirectory()) {
      pack.entry({ name, type: 'directory', mode: st.mode & 0o7777, mtime: st.mtime });
      await addTree(pack, root, name);
    } else if (st.isSymbolicLink()) {
      pack.entry({ name, type: 'symlink', linkname: await readlink(full), mode: st.mode & 0o7777, mtime: st.mtime });
    } else if (st.isFile()) {
      const entry = pack.entry({ name, size: st.size, mode: st.mode & 0o7777, mtime: st.mtime });
      await pipeline(createReadStream(full), entry);
    }
  }
}
