/** Split a stdcopy stream (8-byte header: stream, 0, 0, 0, big-endian size) into its frames. */
export function demux(buf: Buffer): { stream: number; text: string }[] {
  const out: { stream: number; text: string }[] = [];
  for (let i = 0; i < buf.length;) {
    const size = buf.readUInt32BE(i + 4);
    out.push({ stream: buf[i]!, text: buf.subarray(i + 8, i + 8 + size).toString() });
    i += 8 + size;
  }
  return out;
}
