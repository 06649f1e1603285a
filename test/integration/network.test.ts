import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { startTestEngine, collect, eventually, uniqueSubnet, type TestEngine } from '../helpers/engine.ts';
import { httpGet } from '../helpers/http-get.ts';
import { freeLoopbackPort as freePort } from '../helpers/registry.ts';

let t: TestEngine;

before(async () => {
  t = await startTestEngine('net');
});

after(async () => {
  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] }, 'no namespace, link, rule or reservation is left');
});

/** Run to completion and return exit code and output. */
async function run(cmd: string[], hostConfig: Record<string, unknown> = {}, name?: string): Promise<{ id: string; code: number; out: string }> {
  const c = await t.engine.containers.create({ name, config: { Image: 'busybox', Cmd: cmd }, hostConfig });
  const waited = t.engine.containers.wait(c.id, 'next-exit');
  await t.engine.containers.start(c.id);
  const { StatusCode } = await waited;
  const out = await collect(t.engine.containers.logs(c.id, {}));
  await t.engine.containers.remove(c.id);
  return { id: c.id, code: StatusCode, out };
}

async function daemon(name: string, cmd: string[], hostConfig: Record<string, unknown> = {}, exposed?: Record<string, object>): Promise<string> {
  const c = await t.engine.containers.create({ name, config: { Image: 'busybox', Cmd: cmd, ...(exposed ? { ExposedPorts: exposed } : {}) }, hostConfig });
  await t.engine.containers.start(c.id);
  return c.id;
}



const HTTPD = ['sh', '-c', 'mkdir -p /www && echo "hello from $(hostname)" > /www/index.html && exec httpd -f -p 80 -h /www'];

test('the default bridge gives an address in its own subnet, a gateway and outbound routing', async () => {
  const bridge = t.engine.networks.get('bridge');
  assert.equal(bridge.IPAM.Config[0]!.Subnet, t.config.bridgeSubnet);
  assert.notEqual(bridge.IPAM.Config[0]!.Subnet, '172.17.0.0/16');
  const r = await run(['sh', '-c', 'ip -4 -o addr show eth0; ip route']);
  assert.equal(r.code, 0, r.out);
  const prefix = t.config.bridgeSubnet!.split('.').slice(0, 3).join('.');
  assert.match(r.out, new RegExp(`inet ${prefix.replace(/\./g, '\\.')}\\.\\d+/24`));
  assert.match(r.out, new RegExp(`default via ${prefix.replace(/\./g, '\\.')}\\.1`));
});

test('a published port serves on 127.0.0.1 and the address is in NetworkSettings', async () => {
  const port = await freePort();
  const id = await daemon('web1', HTTPD, { PortBindings: { '80/tcp': [{ HostPort: String(port) }] } });
  const s = t.engine.networks.settings(t.engine.containers.get(id));
  assert.deepEqual(s.ports, { '80/tcp': [{ HostIp: '0.0.0.0', HostPort: String(port) }] });
  const ep = s.networks.bridge as { IPAddress: string; Gateway: string; IPPrefixLen: number; MacAddress: string; NetworkID: string; EndpointID: string };
  assert.match(ep.IPAddress, /^10\./);
  assert.equal(ep.IPPrefixLen, 24);
  assert.match(ep.MacAddress, /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  assert.equal(ep.NetworkID, t.engine.networks.get('bridge').Id);
  const page = await eventually(() => httpGet(`http://127.0.0.1:${port}/`).catch(() => undefined), 'httpd answering', 20_000);
  assert.equal(page.status, 200);
  assert.match(page.body, /hello from/);
  // The same port again: 409 before anything exists.
  await assert.rejects(t.engine.networks.checkPorts({ PortBindings: { '80/tcp': [{ HostPort: String(port) }] } }), /port is already allocated/);
  await t.engine.containers.remove(id, { force: true });
  // Released with the container.
  await t.engine.networks.checkPorts({ PortBindings: { '80/tcp': [{ HostPort: String(port) }] } });
});

test('--network none has only loopback', async () => {
  const r = await run(['sh', '-c', 'ls /sys/class/net'], { NetworkMode: 'none' });
  assert.equal(r.out.trim(), 'lo');
});

test('a container reaches a server on the host at the bridge gateway', async () => {
  // The bridge (and its gateway address) exists while a container is on it.
  const keeper = await daemon('keeper', ['sleep', '300']);
  const gw = t.engine.networks.get('bridge').IPAM.Config[0]!.Gateway!;
  const server: Server = createServer((_req, res) => res.end('from the host'));
  await new Promise<void>((r) => server.listen(0, gw, () => r()));
  const port = (server.address() as { port: number }).port;
  try {
    const r = await run(['timeout', '10', 'wget', '-q', '-O-', `http://${gw}:${port}/`]);
    assert.equal(r.out, 'from the host');
  } finally {
    server.close();
    await t.engine.containers.remove(keeper, { force: true });
  }
});

test('user networks: names and aliases resolve inside, nothing crosses to another network', async () => {
  await t.engine.networks.create({ Name: 'neta', IPAM: { Config: [{ Subnet: uniqueSubnet() }] } });
  await t.engine.networks.create({ Name: 'netb', IPAM: { Config: [{ Subnet: uniqueSubnet() }] } });
  const c = await t.engine.containers.create({ name: 'srv', config: { Image: 'busybox', Cmd: HTTPD }, hostConfig: { NetworkMode: 'neta' } });
  t.engine.networks.setEndpointConfigs(c.id, { neta: { Aliases: ['web'] } });
  await t.engine.containers.start(c.id);
  const ip = (t.engine.networks.settings(t.engine.containers.get(c.id)).networks.neta as { IPAddress: string }).IPAddress;
  assert.ok(ip, 'srv has an address on neta');
  const inside = await run(['sh', '-c', 'cat /etc/resolv.conf; timeout 10 wget -q -O- http://srv/ && timeout 10 wget -q -O- http://web/'], { NetworkMode: 'neta' });
  assert.equal(inside.code, 0, inside.out);
  assert.match(inside.out, /hello from/);
  const outside = await run(['sh', '-c', `nslookup srv; timeout 5 wget -q -O- http://${ip}/ && echo REACHED`], { NetworkMode: 'netb' });
  assert.doesNotMatch(outside.out, /REACHED/, 'another network cannot reach srv');
  assert.doesNotMatch(outside.out, new RegExp(`Address:\\s+${ip.replace(/\./g, '\\.')}`), 'nor resolve its name');
  // Leaving the network: the name stops resolving.
  await t.engine.networks.connect('netb', 'srv', {});
  const joined = await run(['timeout', '10', 'wget', '-q', '-O-', 'http://srv/'], { NetworkMode: 'netb' });
  assert.match(joined.out, /hello from/, 'after connect, netb reaches srv by name');
  await t.engine.networks.disconnect('netb', 'srv');
  const left = await run(['sh', '-c', 'nslookup srv || echo NXDOMAIN'], { NetworkMode: 'netb' });
  assert.match(left.out, /NXDOMAIN|can't resolve/);
  await assert.rejects(async () => t.engine.networks.remove('neta'), /active endpoints/);
  await t.engine.containers.remove(c.id, { force: true });
  await t.engine.networks.remove('neta');
  await t.engine.networks.remove('netb');
});

test('a stop returns before its endpoint is released, yet the next container gets its port and address at once', async () => {
  // stop answers once the container reads as stopped, as dockerd's; the namespace, address and
  // port rules go after. A container started in the same breath must still find them free.
  const subnet = uniqueSubnet();
  await t.engine.networks.create({ Name: 'reuse', IPAM: { Config: [{ Subnet: subnet }] } });
  const ip = subnet.replace(/0\/24$/, '77');
  const port = await freePort();
  const hostConfig = { NetworkMode: 'reuse', PortBindings: { '80/tcp': [{ HostPort: String(port) }] } };
  const ids: string[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const c = await t.engine.containers.create({ name: `reuse${i}`, config: { Image: 'busybox', Cmd: HTTPD, ExposedPorts: { '80/tcp': {} } }, hostConfig });
      ids.push(c.id);
      t.engine.networks.setEndpointConfigs(c.id, { reuse: { IPAMConfig: { IPv4Address: ip } } });
      if (i > 0) await t.engine.containers.stop(ids[i - 1]!, 1);
      // The API's create checks the host port as this does, before the start allocates it.
      await t.engine.networks.checkPorts(hostConfig);
      await t.engine.containers.start(c.id);
      const ep = t.engine.networks.settings(t.engine.containers.get(c.id)).networks.reuse as { IPAddress: string };
      assert.equal(ep.IPAddress, ip);
      const got = await eventually(() => httpGet(`http://127.0.0.1:${port}/`).catch(() => undefined), `reuse${i} on port ${port}`, 30_000);
      assert.match(got.body, new RegExp(`hello from ${c.id.slice(0, 12)}`));
    }
  } finally {
    for (const id of ids) await t.engine.containers.remove(id, { force: true });
    await t.engine.networks.remove('reuse');
  }
});
