import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { eventually, uniqueSubnet } from '../helpers/engine.ts';
import { httpGet } from '../helpers/http-get.ts';
import { freeLoopbackPort as freePort } from '../helpers/registry.ts';

/** Container networking through the stock docker CLI: published ports, -P, user networks, modes. */

let h: ApiHarness;
before(async () => { h = await startApiServer('netports'); });
after(async () => {
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] }, 'no netns, veth, bridge, rule or reservation is left');
});

const HTTPD = ['sh', '-c', 'mkdir -p /www && echo "served by $(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'];

const get = httpGet;


const answers = (url: string): Promise<{ status: number; body: string }> => eventually(() => get(url).catch(() => undefined), `${url} answering`, 30_000);

test('-p host:80 serves httpd on 127.0.0.1; the same host port again is 409 and creates nothing', async () => {
  const port = await freePort();
  await h.ok(['run', '-d', '--name', 'web', '-p', `${port}:80`, 'busybox', ...HTTPD]);
  const page = await answers(`http://127.0.0.1:${port}/`);
  assert.equal(page.status, 200);
  assert.match(page.body, /served by/);
  const ps = await h.ok(['ps', '--format', '{{.Names}} {{.Ports}}']);
  assert.match(ps, new RegExp(`web 0\\.0\\.0\\.0:${port}->80/tcp`));
  const inspect = JSON.parse(await h.ok(['inspect', 'web']))[0] as { NetworkSettings: { IPAddress: string; Gateway: string; MacAddress: string; Ports: Record<string, unknown>; Networks: Record<string, { IPAddress: string; IPPrefixLen: number; NetworkID: string; EndpointID: string; Gateway: string }> } };
  const ns = inspect.NetworkSettings;
  assert.deepEqual(ns.Ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(port) }] });
  assert.equal(ns.IPAddress, ns.Networks.bridge!.IPAddress);
  assert.match(ns.IPAddress, /^10\./);
  assert.equal(ns.Gateway, ns.Networks.bridge!.Gateway);
  assert.match(ns.MacAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  assert.equal(ns.Networks.bridge!.EndpointID.length, 64);
  // From another container, through the host's address on the bridge (hairpin through DNAT).
  const gw = ns.Gateway;
  const via = await h.docker(['run', '--rm', 'busybox', 'timeout', '10', 'wget', '-q', '-O-', `http://${gw}:${port}/`]);
  assert.match(via.stdout, /served by/, via.stderr);

  const before = (await h.ok(['ps', '-aq'])).trim().split('\n').length;
  const taken = await h.docker(['run', '-d', '--name', 'web2', '-p', `${port}:80`, 'busybox', ...HTTPD]);
  assert.notEqual(taken.code, 0);
  assert.match(taken.stderr, /port is already allocated/);
  assert.equal((await h.ok(['ps', '-aq'])).trim().split('\n').length, before, 'nothing was created');
  await h.ok(['rm', '-f', 'web']);
  await assert.rejects(get(`http://127.0.0.1:${port}/`), 'the port is released with the container');
});

test('-P publishes every EXPOSEd port from 32768 up; -p 80 gets an ephemeral port too', async () => {
  await h.ok(['run', '-d', '--name', 'pub', '-P', '--expose', '80', '--expose', '81/udp', 'busybox', ...HTTPD]);
  const out = (await h.ok(['port', 'pub'])).trim().split('\n').sort();
  assert.equal(out.length, 2, out.join('\n'));
  for (const line of out) {
    const m = /^(80\/tcp|81\/udp) -> 0\.0\.0\.0:(\d+)$/.exec(line);
    assert.ok(m, line);
    assert.ok(Number(m[2]) >= 32768, line);
  }
  const tcp = Number(/80\/tcp -> 0\.0\.0\.0:(\d+)/.exec(out.join('\n'))![1]);
  assert.match((await answers(`http://127.0.0.1:${tcp}/`)).body, /served by/);
  await h.ok(['run', '-d', '--name', 'eph', '-p', '80', 'busybox', ...HTTPD]);
  const eph = Number(/:(\d+)$/.exec((await h.ok(['port', 'eph', '80'])).trim().split('\n')[0]!)![1]);
  assert.ok(eph >= 32768 && eph !== tcp);
  assert.match((await answers(`http://127.0.0.1:${eph}/`)).body, /served by/);
  await h.ok(['rm', '-f', 'pub', 'eph']);
});

test('-p 127.0.0.1:port:80 binds the loopback address only', async () => {
  const port = await freePort();
  await h.ok(['run', '-d', '--name', 'local', '-p', `127.0.0.1:${port}:80`, 'busybox', ...HTTPD]);
  assert.equal((await h.ok(['port', 'local', '80'])).trim(), `127.0.0.1:${port}`);
  assert.match((await answers(`http://127.0.0.1:${port}/`)).body, /served by/);
  await h.ok(['rm', '-f', 'local']);
});

test('user networks: name, alias and --ip; another network neither resolves nor reaches; connect and disconnect', async () => {
  const subnet = uniqueSubnet();
  const prefix = subnet.split('.').slice(0, 3).join('.');
  await h.ok(['network', 'create', '--subnet', subnet, '--gateway', `${prefix}.1`, '--label', 'app=test', 'front']);
  await h.ok(['network', 'create', '--subnet', uniqueSubnet(), 'back']);
  await h.ok(['run', '-d', '--name', 'api', '--network', 'front', '--network-alias', 'svc', '--ip', `${prefix}.50`, 'busybox', ...HTTPD]);
  const net = JSON.parse(await h.ok(['network', 'inspect', 'front']))[0] as { Labels: Record<string, string>; IPAM: { Config: { Subnet: string; Gateway: string }[] }; Containers: Record<string, { Name: string; IPv4Address: string; MacAddress: string }> };
  assert.deepEqual(net.Labels, { app: 'test' });
  assert.deepEqual(net.IPAM.Config, [{ Subnet: subnet, Gateway: `${prefix}.1` }]);
  const eps = Object.values(net.Containers);
  assert.equal(eps.length, 1);
  assert.equal(eps[0]!.Name, 'api');
  assert.equal(eps[0]!.IPv4Address, `${prefix}.50/24`);
  const settings = JSON.parse(await h.ok(['inspect', '-f', '{{json .NetworkSettings.Networks.front}}', 'api'])) as { Aliases: string[]; DNSNames: string[]; IPAddress: string; IPPrefixLen: number; Gateway: string };
  assert.deepEqual(settings.Aliases, ['svc']);
  assert.ok(settings.DNSNames.includes('api') && settings.DNSNames.includes('svc'));
  assert.equal(settings.IPAddress, `${prefix}.50`);
  assert.equal(settings.IPPrefixLen, 24);

  const byName = await h.docker(['run', '--rm', '--network', 'front', 'busybox', 'sh', '-c', 'timeout 10 wget -q -O- http://api/ && timeout 10 wget -q -O- http://svc/']);
  assert.equal(byName.code, 0, byName.stderr);
  assert.equal(byName.stdout.match(/served by/g)?.length, 2);
  const other = await h.docker(['run', '--rm', '--network', 'back', 'busybox', 'sh', '-c', `nslookup api || echo NONAME; timeout 5 wget -q -O- http://${prefix}.50/ && echo REACHED`]);
  assert.match(other.stdout, /NONAME|can't find/);
  assert.doesNotMatch(other.stdout, /REACHED/);

  const rm = await h.docker(['network', 'rm', 'front']);
  assert.notEqual(rm.code, 0);
  assert.match(rm.stderr, /active endpoints/);

  await h.ok(['run', '-d', '--name', 'worker', '--network', 'back', 'busybox', 'sleep', '300']);
  await h.ok(['network', 'connect', '--alias', 'wk', 'front', 'worker']);
  const ifaces = await h.ok(['exec', 'worker', 'ls', '/sys/class/net']);
  assert.deepEqual(ifaces.trim().split(/\s+/).sort(), ['eth0', 'eth1', 'lo']);
  const reach = await h.docker(['exec', 'worker', 'timeout', '10', 'wget', '-q', '-O-', 'http://api/']);
  assert.match(reach.stdout, /served by/, reach.stderr);
  const seen = await h.docker(['run', '--rm', '--network', 'front', 'busybox', 'nslookup', 'wk']);
  assert.match(seen.stdout, new RegExp(`Address:\\s+${prefix.replace(/\./g, '\\.')}\\.`));
  await h.ok(['network', 'disconnect', 'front', 'worker']);
  assert.deepEqual((await h.ok(['exec', 'worker', 'ls', '/sys/class/net'])).trim().split(/\s+/).sort(), ['eth0', 'lo']);
  const gone = await h.docker(['run', '--rm', '--network', 'front', 'busybox', 'sh', '-c', 'nslookup wk || echo NONAME']);
  assert.match(gone.stdout, /NONAME|can't find/);
  await h.ok(['rm', '-f', 'api', 'worker']);
  await h.ok(['network', 'rm', 'front', 'back']);
});

test('--internal has no way out; none has loopback only; container: shares a namespace; host shares the host', async () => {
  await h.ok(['network', 'create', '--internal', '--subnet', uniqueSubnet(), 'sealed']);
  const gw = JSON.parse(await h.ok(['network', 'inspect', 'bridge']))[0].IPAM.Config[0].Gateway as string;
  const server = createServer((_q, res) => res.end('host'));
  const keeper = await h.ok(['run', '-d', '--name', 'keeper', 'busybox', 'sleep', '300']);
  await new Promise<void>((r) => server.listen(0, gw, () => r()));
  try {
    const port = (server.address() as { port: number }).port;
    const fromBridge = await h.docker(['run', '--rm', 'busybox', 'timeout', '10', 'wget', '-q', '-O-', `http://${gw}:${port}/`]);
    assert.equal(fromBridge.stdout, 'host', fromBridge.stderr);
    const sealed = await h.docker(['run', '--rm', '--network', 'sealed', 'busybox', 'sh', '-c', `ip route; timeout 5 wget -q -O- http://${gw}:${port}/ && echo REACHED`]);
    assert.doesNotMatch(sealed.stdout, /default/);
    assert.doesNotMatch(sealed.stdout, /REACHED/);
  } finally {
    server.close();
  }
  assert.equal((await h.ok(['run', '--rm', '--network', 'none', 'busybox', 'ls', '/sys/class/net'])).trim(), 'lo');
  const own = (await h.ok(['exec', 'keeper', 'cat', '/sys/class/net/eth0/address'])).trim();
  const shared = (await h.ok(['run', '--rm', '--network', `container:keeper`, 'busybox', 'cat', '/sys/class/net/eth0/address'])).trim();
  assert.equal(shared, own);
  const hostIfaces = (await h.ok(['run', '--rm', '--network', 'host', 'busybox', 'ls', '/sys/class/net'])).trim().split(/\s+/);
  assert.ok(hostIfaces.includes('eth0') && hostIfaces.length > 2, hostIfaces.join(' '));
  await h.ok(['rm', '-f', keeper.trim()]);
  await h.ok(['network', 'rm', 'sealed']);
});

test('NetworkingConfig naming an unknown network is refused with 404 and creates nothing', async () => {
  const r = await h.docker(['create', '--name', 'lost', '--network', 'nowhere', 'busybox']);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /network nowhere not found/);
  assert.equal((await h.docker(['inspect', 'lost'])).code, 1);
});

test('stats report the container network counters', async () => {
  await h.ok(['run', '-d', '--name', 'counted', 'busybox', 'sleep', '300']);
  const out = await h.ok(['stats', '--no-stream', '--format', '{{.NetIO}}', 'counted']);
  assert.match(out.trim(), /^\d+(\.\d+)?k?B \/ \d+(\.\d+)?k?B$/);
  await h.ok(['rm', '-f', 'counted']);
});

test('/etc/hosts, resolv.conf and hostname as Docker writes them: --link, --add-host, --dns, --dns-search, --hostname, --mac-address', async () => {
  await h.ok(['run', '-d', '--name', 'db', 'busybox', 'sleep', '300']);
  const dbIp = (await h.ok(['inspect', '-f', '{{.NetworkSettings.IPAddress}}', 'db'])).trim();
  const out = await h.ok(['run', '--rm', '--link', 'db:database', '--add-host', 'extra.example:192.0.2.7', '--dns', '192.0.2.53', '--dns-search', 'corp.example',
    '--dns-option', 'ndots:3', '--hostname', 'box', '--mac-address', '02:42:0a:00:00:99', 'busybox', 'sh', '-c',
    'cat /etc/hosts; echo ---; cat /etc/resolv.conf; echo ---; hostname; cat /sys/class/net/eth0/address']);
  const [hosts, resolv, rest] = out.split('---\n') as [string, string, string];
  assert.match(hosts, /^127\.0\.0\.1\tlocalhost$/m);
  assert.match(hosts, /^192\.0\.2\.7\textra\.example$/m);
  assert.match(hosts, new RegExp(`^${dbIp.replace(/\./g, '\\.')}\\tdatabase db$`, 'm'));
  assert.match(hosts, /^10\.\S+\tbox$/m);
  assert.equal(resolv, 'search corp.example\nnameserver 192.0.2.53\noptions ndots:3\n');
  assert.equal(rest, 'box\n02:42:0a:00:00:99\n');
  await h.ok(['rm', '-f', 'db']);
});
