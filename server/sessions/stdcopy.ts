/**
 * Demultiplexes Docker's stdcopy framing ([stream, 0, 0, 0, size u32 BE] + payload) as bytes
 * arrive; frames split across reads are reassembled.
 */
export class StdcopyDemuxer {
  private pending = Buffer.alloc(0);

  constructor(private readonly onFrame: (stream: 'stdout' | 'stderr', payload: Buffer) => void) {}

  push(data: Buffer): void {
    let buf = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    while (buf.length >= 8) {
      const size = buf.readUInt32BE(4);
      if (buf.length < 8 + size) break;
      // Stream 0 (stdin) never carries output; treat anything but stderr as stdout, as the docker CLI does.
      this.onFrame(buf[0] === 2 ? 'stderr' : 'stdout', buf.subarray(8, 8 + size));
      buf = buf.subarray(8 + size);
    }
    this.pending = Buffer.from(buf);
  }
}
