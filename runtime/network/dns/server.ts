import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as TcpSocket } from 'node:net';
import { answer, parseQuery, RCODE_SERVFAIL, TYPE_A, TYPE_AAAA } from './packet.ts';

/** Addresses of a name for the container at `source`; undefined when none of its networks knows it. */
export type Lookup = (name: string, source: string) => string[] | undefined;

const FORWARD_TIMEOUT_MS = 3000;

/**
 * The name server of one user network, on its gateway address, port 53, UDP and TCP (Docker's
 * embedded DNS listens on 127.0.0.11 inside each container; a socket in every container's
 * namespace isn't to be had from one Node process, so the gateway stands in). Names of the
 * network's containers are answered from `lookup`; others go to the host's resolvers.
 */
export class NameServer {
  private udp?: Socket;
  private tcp?: Server;
  private readonly conns = new Set<TcpSocket>();

  constructor(private readonly address: string, private readonly lookup: Lookup, private readonly upstreams: () => string[]) {}

  async start(): Promise<void> {
    const udp = createSocket({ type: 'udp4' });
    udp.on('message', (msg, rinfo) => {
      void this.resolve(msg, rinfo.address).then((r) => { if (r) udp.send(r, rinfo.port, rinfo.address); });
    });
    await new Promise<void>((resolve, reject) => { udp.once('error', reject); udp.bind(53, this.address, () => { udp.off('error', reject); resolve(); }); });
    udp.on('error', () => undefined);
    this.udp = udp;
    const tcp = createServer((c) => this.serveTcp(c));
    await new Promise<void>((resolve, reject) => { tcp.once('error', reject); tcp.listen(53, this.address, () => { tcp.off('error', reject); resolve(); }); });
    this.tcp = tcp;
  }

  async stop(): Promise<void> {
    for (const c of this.conns) c.destroy();
    await Promise.all([
      new Promise<void>((r) => (this.udp ? this.udp.close(() => r()) : r())),
      new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : r())),
    ]);
  }

  private serveTcp(c: TcpSocket): void {
    this.conns.add(c);
    c.on('close', () => this.conns.delete(c));
    c.on('error', () => c.destroy());
    c.setTimeout(10_000, () => c.destroy());
    let buf = Buffer.alloc(0);
    c.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
        const msg = buf.subarray(2, 2 + buf.readUInt16BE(0));
        buf = buf.subarray(2 + msg.length);
        void this.resolve(msg, c.remoteAddress?.replace(/^::ffff:/, '') ?? '').then((r) => {
          if (!r || c.destroyed) return;
          const len = Buffer.alloc(2);
          len.writeUInt16BE(r.length);
          c.write(Buffer.concat([len, r]));
        });
      }
    });
  }

  private async resolve(msg: Buffer, source: string): Promise<Buffer | undefined> {
    const q = parseQuery(msg);
    if (!q) return undefined;
    const ips = q.cls === 1 ? this.lookup(q.name, source) : undefined;
    // A name of the network: its A records; its AAAA (no IPv6 here) an empty answer, so
    // resolvers don't go looking for it elsewhere.
    if (ips && q.type === TYPE_A) return answer(msg, q, ips);
    if (ips && q.type === TYPE_AAAA) return answer(msg, q, []);
    return (await this.forward(msg)) ?? answer(msg, q, [], RCODE_SERVFAIL);
  }

  private async forward(msg: Buffer): Promise<Buffer | undefined> {
    for (const server of this.upstreams()) {
      const r = await forwardUdp(msg, server);
      if (r) return r;
    }
    return undefined;
  }
}

function forwardUdp(msg: Buffer, server: string): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    const s = createSocket(server.includes(':') ? 'udp6' : 'udp4');
    const done = (r: Buffer | undefined): void => { clearTimeout(timer); s.close(); resolve(r); };
    const timer = setTimeout(() => done(undefined), FORWARD_TIMEOUT_MS);
    s.on('error', () => done(undefined));
    s.on('message', (r) => { if (r.length >= 2 && r.readUInt16BE(0) === msg.readUInt16BE(0)) done(r); });
    s.send(msg, 53, server);
  });
}
