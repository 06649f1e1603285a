import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answer, parseQuery, TYPE_A } from '../../runtime/network/dns/packet.ts';
import { wantedPorts } from '../../runtime/network/ports.ts';
import { hostsLines, resolvConf } from '../../runtime/network/resolv.ts';
import { LEGACY_PLUGINS, confList, egressOf, pluginsFor } from '../../runtime/network/conflist.ts';
import { pickBridgeSubnet } from '../../runtime/network/host-routes.ts';
import { parsePrefix } from '../../runtime/network/ip.ts';
import type { NetworkRecord } from '../../runtime/network/types.ts';

/** A query for `name` as a stub resolver sends it (RFC 1035 §4.1). */
function query(name: string, type = TYPE_A): Buffer {
  const labels = name.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)]));
  const header = Buffer.from([0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, ...labels, Buffer.from([0]), tail]);
}

test('a DNS query is parsed and answered with A records pointing at its question', () => {
  const q = query('Web.Example');
  const parsed = parseQuery(q)!;
  assert.equal(parsed.name, 'web.example');
  assert.equal(parsed.type, TYPE_A);
  const r = answer(q, parsed, ['10.1.2.3', '10.1.2.4']);
  assert.equal(r.readUInt16BE(0), 0x1234, 'same id');
  assert.equal(r.readUInt16BE(2) & 0x8000, 0x8000, 'a response');
  assert.equal(r.readUInt16BE(2) & 0x0100, 0x0100, 'recursion desired is echoed');
  assert.equal(r.readUInt16BE(6), 2, 'two answers');
  const first = parsed.end;
  assert.equal(r.readUInt16BE(first), 0xc00c);
  assert.deepEqual([...r.subarray(first + 12, first + 16)], [10, 1, 2, 3]);
  assert.equal(parseQuery(r), undefined, 'a response is not a query');
  assert.equal(parseQuery(Buffer.alloc(5)), undefined, 'a short packet is ignored');
});

test('published ports: bindings, ranges, -P over exposed ports, ephemeral as 0', () => {
  assert.deepEqual(wantedPorts({ portBindings: { '80/tcp': [{ HostPort: '8080' }, { HostIp: '127.0.0.1', HostPort: '' }] }, publishAll: false, exposedPorts: ['443/tcp'] }), [
    { key: '80/tcp', containerPort: 80, protocol: 'tcp', hostIP: '', hostPort: 8080 },
    { key: '80/tcp', containerPort: 80, protocol: 'tcp', hostIP: '127.0.0.1', hostPort: 0 },
  ]);
  assert.deepEqual(wantedPorts({ portBindings: { '53-54/udp': [{ HostPort: '1053-1054' }] }, publishAll: false, exposedPorts: [] }).map((w) => `${w.hostPort}->${w.key}`), ['1053->53/udp', '1054->54/udp']);
  assert.deepEqual(wantedPorts({ portBindings: {}, publishAll: true, exposedPorts: ['80/tcp', '81/udp'] }).map((w) => `${w.hostPort}->${w.key}`), ['0->80/tcp', '0->81/udp']);
});

test('resolv.conf: the network name server on user networks, host resolvers without loopback elsewhere', () => {
  const host = { nameservers: ['127.0.0.53', '192.0.2.53'], search: ['corp.example'], options: ['edns0'] };
  assert.equal(resolvConf(host, { hostNetwork: false, nameServer: '10.9.0.1', dns: [], search: [], options: [] }), 'search corp.example\nnameserver 10.9.0.1\noptions edns0 ndots:0\n');
  assert.equal(resolvConf(host, { hostNetwork: false, dns: [], search: [], options: [] }), 'search corp.example\nnameserver 192.0.2.53\noptions edns0\n');
  assert.equal(resolvConf(host, { hostNetwork: true, dns: [], search: [], options: [] }), 'search corp.example\nnameserver 127.0.0.53\nnameserver 192.0.2.53\noptions edns0\n');
  assert.equal(resolvConf(host, { hostNetwork: false, dns: ['9.9.9.9'], search: ['a.example'], options: ['ndots:2'] }), 'search a.example\nnameserver 9.9.9.9\noptions ndots:2\n');
  assert.equal(resolvConf({ nameservers: ['127.0.0.1'], search: [], options: [] }, { hostNetwork: false, dns: [], search: [], options: [] }), 'nameserver 8.8.8.8\nnameserver 8.8.4.4\n');
});

test('/etc/hosts: --add-host, links, then the container itself', () => {
  assert.deepEqual(hostsLines({ extraHosts: ['db.local:10.0.0.9'], links: [{ ip: '10.1.0.3', names: ['db', 'postgres'] }], ip: '10.1.0.2', hostname: 'abc' }), [
    '10.0.0.9\tdb.local', '10.1.0.3\tdb postgres', '10.1.0.2\tabc',
  ]);
});

test('a network becomes a CNI config list; an internal one has no default route and no masquerade', () => {
  const n = { Id: 'f'.repeat(64), Name: 'app', Internal: false, Options: {}, IPAM: { Driver: 'default', Options: {}, Config: [{ Subnet: '10.5.0.0/24', IPRange: '10.5.0.128/25', Gateway: '10.5.0.1' }] } } as unknown as NetworkRecord;
  const list = confList(n, { bridge: 'wharf-ffff', ipamDir: '/run/wharf/ipam' }, pluginsFor({ publishes: false, mac: false }));
  assert.equal(list.name, n.Id);
  // A container that publishes nothing runs one plugin (and its IPAM): no per-container iptables.
  assert.deepEqual(list.plugins.map((p) => p.type), ['bridge']);
  const bridge = list.plugins[0] as { ipMasq: boolean; ipam: { ranges: unknown[][]; routes: unknown[] } };
  assert.equal(bridge.ipMasq, false, 'masquerade is per network, in the firewall');
  assert.deepEqual(bridge.ipam.ranges, [[{ subnet: '10.5.0.0/24', rangeStart: '10.5.0.129', rangeEnd: '10.5.0.254', gateway: '10.5.0.1' }]]);
  assert.deepEqual(bridge.ipam.routes, [{ dst: '0.0.0.0/0' }]);
  assert.deepEqual(confList(n, { bridge: 'b', ipamDir: '/x' }, pluginsFor({ publishes: true, mac: true })).plugins.map((p) => p.type), ['bridge', 'portmap', 'tuning']);
  assert.deepEqual(egressOf(n), { subnets: ['10.5.0.0/24'], masquerade: true });
  assert.deepEqual(egressOf({ ...n, Internal: true }), { subnets: ['10.5.0.0/24'], masquerade: false });
  const sealed = confList({ ...n, Internal: true }, { bridge: 'wharf-ffff', ipamDir: '/x' }, ['bridge']).plugins[0] as { ipMasq: boolean; ipam: { routes: unknown[] } };
  assert.deepEqual(sealed.ipam.routes, []);
  // Endpoints attached by an earlier Wharf are removed with what their ADD ran.
  const legacy = confList(n, { bridge: 'b', ipamDir: '/x' }, LEGACY_PLUGINS);
  assert.deepEqual(legacy.plugins.map((p) => p.type), ['bridge', 'portmap', 'firewall', 'tuning']);
  assert.equal((legacy.plugins[0] as { ipMasq: boolean }).ipMasq, true);
});

test('the default bridge subnet avoids docker0 and what the host routes', () => {
  assert.equal(pickBridgeSubnet([])!.Subnet, '172.18.0.0/16');
  assert.deepEqual(pickBridgeSubnet([parsePrefix('172.16.0.0/12')!]), { Subnet: '10.200.0.0/16', Gateway: '10.200.0.1' });
});
