/**
 * A minimal ustar writer for build contexts made in the browser (a Dockerfile typed into the
 * editor plus any files added to it). Regular files only; names up to 100 bytes.
 */
const BLOCK = 512;
const encoder = new TextEncoder();

function octal(value: number, width: number): string {
  return value.toString(8).padStart(width - 1, '0') + '\0';
}

function header(name: string, size: number, mtime: number): Uint8Array {
  const bytes = new Uint8Array(BLOCK);
  const put = (text: string, offset: number) => bytes.set(encoder.encode(text), offset);
  const nameBytes = encoder.encode(name);
  if (nameBytes.length > 100) throw new Error(`file name too long for the build context: ${name}`);
  bytes.set(nameBytes, 0);
  put(octal(0o644, 8), 100);
  put(octal(0, 8), 108);
  put(octal(0, 8), 116);
  put(octal(size, 12), 124);
  put(octal(mtime, 12), 136);
  put('        ', 148);
  put('0', 156);
  put('ustar\0', 257);
  put('00', 263);
  let sum = 0;
  for (const b of bytes) sum += b;
  put(octal(sum, 7) + ' ', 148);
  return bytes;
}

export interface TarEntry { name: string; data: Uint8Array | string }

export function makeTar(entries: TarEntry[]): Blob {
  const parts: Uint8Array[] = [];
  const mtime = Math.floor(Date.now() / 1000);
  for (const entry of entries) {
    const data = typeof entry.data === 'string' ? encoder.encode(entry.data) : entry.data;
    parts.push(header(entry.name, data.length, mtime), data);
    const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
    if (pad) parts.push(new Uint8Array(pad));
  }
  parts.push(new Uint8Array(BLOCK * 2));
  return new Blob(parts as BlobPart[], { type: 'application/x-tar' });
}
