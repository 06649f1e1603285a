/**
 * Docker multiplexes stdout and stderr of containers without a TTY into frames:
 * [stream, 0, 0, 0, size (4 bytes big-endian)] + payload. Containers with a TTY send raw bytes.
 */
export function demultiplex(bytes: Uint8Array): Uint8Array {
  const out: Uint8Array[] = [];
  let offset = 0;
  while (offset + 8 <= bytes.length) {
    const kind = bytes[offset]!;
    if (kind > 2 || bytes[offset + 1] !== 0 || bytes[offset + 2] !== 0 || bytes[offset + 3] !== 0) {
      // Not a frame header: the stream was not multiplexed after all.
      return offset === 0 ? bytes : concat([...out, bytes.subarray(offset)]);
    }
    const size = new DataView(bytes.buffer, bytes.byteOffset + offset + 4, 4).getUint32(0);
    out.push(bytes.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return concat(out);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const joined = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return joined;
}
