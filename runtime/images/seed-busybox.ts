import { readFile, stat } from 'node:fs/promises';
import { pack } from 'tar-stream';
import type { ContentStore } from '../content/store.ts';
import { run } from '../util/exec.ts';
import { sha256, type Digest } from '../util/digest.ts';
import { UnavailableError } from '../errors.ts';
import { MediaType, type ImageConfig } from './oci-types.ts';

export const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];

const PASSWD = `root:x:0:0:root:/root:/bin/sh
daemon:x:1:1:daemon:/usr/sbin:/bin/false
bin:x:2:2:bin:/bin:/bin/false
sys:x:3:3:sys:/dev:/bin/false
sync:x:4:100:sync:/bin:/bin/sync
mail:x:8:8:mail:/var/spool/mail:/bin/false
www-data:x:33:33:www-data:/var/www:/bin/false
operator:x:37:37:Operator:/var:/bin/false
nobody:x:65534:65534:nobody:/home:/bin/false
`;
const GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
wheel:x:10:root
mail:x:12:mail
www-data:x:33:
operator:x:37:
staff:x:50:
users:x:100:
nogroup:x:65534:
`;

export interface SeedImage { configDigest: Digest; config: ImageConfig; manifestDigest: Digest; layer: { digest: Digest; size: number; mediaType: string }; diffID: Digest }

/**
 * Build `busybox:latest` from the host's busybox-static, so containers run offline out of
 * the box. The layer is deterministic (fixed order, the binary's mtime everywhere), so every
 * machine with the same busybox package gets the same image id.
 */
export async function seedBusybox(content: ContentStore): Promise<SeedImage> {
  const bin = await findBusybox();
  const [data, st] = await Promise.all([readFile(bin), stat(bin)]);
  const mtime = new Date(Math.floor(st.mtimeMs / 1000) * 1000);
  const applets = (await run(bin, ['--list-full'])).stdout.split('\n').filter((l) => l && l !== 'bin/busybox').sort();
  const version = /BusyBox v(\S+)/.exec((await run(bin, [], { allowFail: true })).stdout)?.[1] ?? 'unknown';

  const dirs = new Set(['bin', 'dev', 'etc', 'home', 'proc', 'root', 'sys', 'tmp', 'usr', 'usr/bin', 'usr/sbin', 'sbin', 'var', 'var/spool', 'var/spool/mail', 'var/www']);
  for (const a of applets) {
    const parts = a.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  const p = pack();
  const chunks: Buffer[] = [];
  p.on('data', (c: unknown) => { chunks.push(Buffer.from(c as Uint8Array)); });
  const done = new Promise<void>((resolve, reject) => { p.on('end', resolve); p.on('error', reject); });
  const base = { uid: 0, gid: 0, mtime };
  for (const d of [...dirs].sort()) p.entry({ ...base, name: `${d}/`, type: 'directory', mode: d === 'tmp' ? 0o1777 : d === 'root' ? 0o700 : 0o755 });
  p.entry({ ...base, name: 'bin/busybox', mode: 0o755, size: data.length }, data);
  for (const a of applets) p.entry({ ...base, name: a, type: 'symlink', linkname: '/bin/busybox', mode: 0o777 });
  p.entry({ ...base, name: 'etc/passwd', mode: 0o644 }, Buffer.from(PASSWD));
  p.entry({ ...base, name: 'etc/group', mode: 0o644 }, Buffer.from(GROUP));
  p.finalize();
  await done;
  const tar = Buffer.concat(chunks);
  const diffID = sha256(tar);
  const layer = await content.ingestBuffer(tar);

  const created = mtime.toISOString();
  const config: ImageConfig = {
    architecture: goArch(),
    os: 'linux',
    created,
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh'] },
    rootfs: { type: 'layers', diff_ids: [diffID] },
    history: [
      { created, created_by: `wharf: busybox ${version} from the host's busybox-static (${applets.length} applets)` },
      { created, created_by: 'CMD ["sh"]', empty_layer: true },
    ],
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const cfg = await content.ingestBuffer(configBytes);
  const manifest = {
    schemaVersion: 2,
    mediaType: MediaType.ociManifest,
    config: { mediaType: MediaType.ociConfig, digest: cfg.digest, size: cfg.size },
    layers: [{ mediaType: MediaType.ociLayer, digest: layer.digest, size: layer.size }],
  };
  const m = await content.ingestBuffer(Buffer.from(JSON.stringify(manifest)));
  return { configDigest: cfg.digest, config, manifestDigest: m.digest, layer: { ...layer, mediaType: MediaType.ociLayer }, diffID };
}

async function findBusybox(): Promise<string> {
  for (const p of BUSYBOX_PATHS) {
    try { await stat(p); return p; } catch { /* next */ }
  }
  throw new UnavailableError('busybox-static is not installed (no /bin/busybox): cannot create busybox:latest');
}

export function goArch(): string {
  return ({ x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x' } as Record<string, string>)[process.arch] ?? process.arch;
}
