import type { ServerResponse } from 'node:http';
import type { Duplex, Writable } from 'node:stream';

/** stdcopy framing: [stream, 0, 0, 0, size(4, big-endian)] + payload, for non-TTY streams. */
export function frame(stream: 0 | 1 | 2, data: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header[0] = stream;
  header.writeUInt32BE(data.length, 4);
  return Buffer.concat([header, data]);
}

/**
 * Switch the connection to a raw stream (`101 UPGRADED`, as dockerd answers a hijack).
 * Without an upgrade request the ordinary response carries the same bytes.
 */
/** Sockets that already answered `101 UPGRADED`: errors after that can only close them. */
export const upgraded = new WeakSet<Duplex>();

export function beginRawStream(res: ServerResponse, upgrade: { socket: Duplex } | undefined, tty: boolean): Writable {
  const contentType = tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream';
  if (upgrade) {
    upgraded.add(upgrade.socket);
    // The peer may vanish mid-write (a detach, a killed CLI): the write fails with EPIPE or
    // ECONNRESET, which ends this stream (its 'close' does the rest), never the process.
    upgrade.socket.on('error', () => upgrade.socket.destroy());
    upgrade.socket.write(`HTTP/1.1 101 UPGRADED\r\nContent-Type: ${contentType}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`);
    return upgrade.socket;
  }
  res.writeHead(200, { 'Content-Type': contentType });
  return res;
}

/** Newline-delimited JSON messages (pull, push, load, build progress). Errors go inside the stream. */
export class JSONStream {
  private started = false;
  constructor(private readonly res: ServerResponse) {}

  write(msg: object): void {
    if (!this.started) {
      this.res.writeHead(200, { 'Content-Type': 'application/json' });
      this.started = true;
    }
    this.res.write(`${JSON.stringify(msg)}\n`);
  }

  error(message: string): void {
    this.write({ errorDetail: { message }, error: message });
  }

  end(): void {
    if (!this.started) this.res.writeHead(200, { 'Content-Type': 'application/json' });
    this.res.end();
  }
}
