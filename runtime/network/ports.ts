import { createServer, isIP } from 'node:net';
import { createSocket } from 'node:dgram';
import { ConflictError, InvalidArgumentError } from '../errors.ts';
import { run } from '../util/exec.ts';
import type { NetworkedContainer, PortMap } from './types.ts';

/** One published port as the portmap plugin takes it (its portMappings capability). */
export interface PortMapping { hostPort: number; containerPort: number; protocol: 'tcp' | 'udp' | 'sctp'; hostIP: string }

/** dockerd's ephemeral range (net.ipv4.ip_local_port_range's default). */
export const EPHEMERAL_FIRST = 32768;
export const EPHEMERAL_LAST = 60999;

interface Wanted { key: string; containerPort: number; protocol: PortMapping['protocol']; hostIP: string; hostPort: number }

/** The ports a container asks to publish: its bindings, and with -P every exposed port; 0 = ephemeral. */
export function wantedPorts(c: Pick<NetworkedContainer, 'portBindings' | 'publishAll' | 'exposedPorts'>): Wanted[] {
  const out: Wanted[] = [];
  const keys = new Set([...Object.keys(c.portBindings), ...(c.publishAll ? c.exposedPorts : [])]);
  for (const key of keys) {
    const [portText, proto = 'tcp'] = key.split('/') as [string, string?];
    const [first, last = first] = portText.split('-').map(Number) as [number, number?];
    const bindings = c.portBindings[key]?.length ? c.portBindings[key]! : c.publishAll ? [{}] : [];
    for (let p = first; p <= last!; p++) {
      for (const b of bindings) {
        const [hostFirst] = (b.HostPort ?? '').split('-');
        const hostPort = hostFirst ? Number(hostFirst) + (p - first) : 0;
        if (hostPort > 65535) throw new InvalidArgumentError(`invalid port specification: "${b.HostPort}" (HostConfig.PortBindings)`);
        // Checked before any probe: a name here would be looked up in DNS, and shown as a link.
        if (b.HostIp && isIP(b.HostIp.replace(/^\[(.*)\]$/, '$1')) === 0) throw new InvalidArgumentError(`HostConfig.PortBindings["${key}"].HostIp: "${b.HostIp}" is not an IP address`, { field: 'HostIp' });
        out.push({ key: `${p}/${proto}`, containerPort: p, protocol: proto as Wanted['protocol'], hostIP: b.HostIp ?? '', hostPort });
      }
    }
  }
  return out;
}

/** `tcp:0.0.0.0:8080`-style keys of a published-port map, for conflict checks. */
export function takenKeys(ports: PortMap): string[] {
  const out: string[] = [];
  for (const [key, list] of Object.entries(ports)) {
    const proto = key.split('/')[1] ?? 'tcp';
    for (const b of list ?? []) out.push(`${proto}:${b.HostPort}`);
  }
  return out;
}

/**
 * Host ports the portmap plugin forwards already, for any CNI user of this host (another Wharf
 * among them): `proto:port` keys from the dports of CNI-HOSTPORT-DNAT. Nobody listens on those,
 * so a bind probe alone would not see them.
 */
export async function forwardedPorts(): Promise<Set<string>> {
  const out = new Set<string>();
  const r = await run('iptables', ['-w', '-t', 'nat', '-S', 'CNI-HOSTPORT-DNAT'], { allowFail: true });
  for (const line of r.stdout.split('\n')) {
    const proto = /-p (\w+)/.exec(line)?.[1];
    const ports = /--dports? ([\d,:]+)/.exec(line)?.[1];
    if (!proto || !ports) continue;
    for (const p of ports.split(',')) out.add(`${proto}:${p}`);
  }
  return out;
}

function probe(protocol: string, ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    if (protocol === 'udp') {
      const s = createSocket(ip.includes(':') ? 'udp6' : 'udp4');
      s.once('error', () => { s.close(); resolve(false); });
      s.bind({ port, address: ip || '0.0.0.0', exclusive: true }, () => s.close(() => resolve(true)));
      return;
    }
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: ip || '0.0.0.0', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/**
 * Host ports for the wanted ones: a fixed port must be free of Wharf's other containers and
 * bindable on the host (a listener there would never see its connections once DNAT wins);
 * an ephemeral one is the first such port from 32768 up.
 */
export async function allocatePorts(wanted: Wanted[], owned: Set<string>): Promise<{ mappings: PortMapping[]; ports: PortMap }> {
  const mine = new Set<string>();
  const taken = wanted.length ? new Set([...owned, ...await forwardedPorts()]) : owned;
  const mappings: PortMapping[] = [];
  for (const w of wanted) {
    const free = async (port: number): Promise<boolean> => {
      const k = `${w.protocol}:${port}`;
      return !taken.has(k) && !mine.has(k) && (w.protocol === 'sctp' || await probe(w.protocol, w.hostIP, port));
    };
    let port = w.hostPort;
    if (port) {
      if (!(await free(port))) throw new ConflictError(`driver failed programming external connectivity: Bind for ${w.hostIP || '0.0.0.0'}:${port} failed: port is already allocated`);
    } else {
      for (port = EPHEMERAL_FIRST; port <= EPHEMERAL_LAST && !(await free(port)); port++) { /* next */ }
      if (port > EPHEMERAL_LAST) throw new ConflictError('no free host port in the ephemeral range: port is already allocated');
    }
    mine.add(`${w.protocol}:${port}`);
    mappings.push({ hostPort: port, containerPort: w.containerPort, protocol: w.protocol, hostIP: w.hostIP });
  }
  const ports: PortMap = {};
  for (const m of mappings) (ports[`${m.containerPort}/${m.protocol}`] ??= [])!.push({ HostIp: m.hostIP || '0.0.0.0', HostPort: String(m.hostPort) });
  return { mappings, ports };
}
