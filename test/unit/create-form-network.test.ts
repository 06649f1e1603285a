/** The create form's network section and ports: refused at the right field, and turned into Docker's body. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchema, emptyValues, type CreateValues, type PortRow } from '../../components/containers/create/schema.ts';
import { toCreateRequest } from '../../components/containers/create/to-body.ts';

const values = (patch: Partial<CreateValues>): CreateValues => ({ ...emptyValues(), image: 'busybox', ...patch });
const port = (p: Partial<PortRow>): PortRow => ({ hostIp: '', host: '', container: '80', protocol: 'tcp', ...p });

function errorsOf(v: CreateValues): Record<string, string> {
  const r = createSchema.safeParse(v);
  return r.success ? {} : Object.fromEntries(r.error.issues.map((i) => [i.path.join('.'), i.message]));
}

test('ports: each bad value is refused at its own field', () => {
  assert.match(errorsOf(values({ ports: [port({ host: '70000' })] }))['ports.0.host']!, /1 to 65535/);
  assert.match(errorsOf(values({ ports: [port({ host: '0' })] }))['ports.0.host']!, /1 to 65535/);
  assert.match(errorsOf(values({ ports: [port({ container: '' })] }))['ports.0.container']!, /required/);
  assert.match(errorsOf(values({ ports: [port({ hostIp: '999.1.1.1' })] }))['ports.0.hostIp']!, /IPv4 or IPv6/);
  assert.match(errorsOf(values({ ports: [port({ hostIp: 'localhost' })] }))['ports.0.hostIp']!, /IPv4 or IPv6/);
  assert.match(errorsOf(values({ ports: [port({ host: '8010-8000', container: '80' })] }))['ports.0.host']!, /reversed/);
  assert.match(errorsOf(values({ ports: [port({ host: '8000-8001', container: '80-82' })] }))['ports.0.host']!, /3 ports/);
  assert.match(errorsOf(values({ ports: [port({ host: '8000-8002', container: '1' }), port({ host: '8002', container: '2' })] }))['ports.1.host']!, /8002 is already used/);
  assert.deepEqual(errorsOf(values({ ports: [port({ host: '', container: '53', protocol: 'udp' }), port({ hostIp: '::1', host: '8080' })] })), {});
});

test('ports: ranges map port by port, an empty host port asks for an ephemeral one', () => {
  const { body } = toCreateRequest(values({ ports: [port({ host: '8000-8001', container: '80-81' }), port({ host: '', container: '53', protocol: 'udp' })] }));
  assert.deepEqual(body.HostConfig.PortBindings, {
    '80/tcp': [{ HostIp: '', HostPort: '8000' }], '81/tcp': [{ HostIp: '', HostPort: '8001' }], '53/udp': [{ HostIp: '', HostPort: '' }],
  });
  assert.deepEqual(Object.keys(body.ExposedPorts ?? {}), ['80/tcp', '81/tcp', '53/udp']);
});

test('network section: address and aliases only on user networks; DNS and extra hosts checked', () => {
  assert.match(errorsOf(values({ network: 'bridge', networkIp: '10.0.0.5' })).networkIp!, /user-defined network/);
  assert.match(errorsOf(values({ network: 'bridge', aliases: 'web' })).aliases!, /user-defined network/);
  assert.match(errorsOf(values({ network: 'appnet', networkIp: '10.0.0.300' })).networkIp!, /IP address/);
  assert.match(errorsOf(values({ dns: '1.1.1.1 resolver' })).dns!, /IP addresses/);
  assert.match(errorsOf(values({ extraHosts: 'db=10.0.0.5' })).extraHosts!, /name:address/);
  assert.match(errorsOf(values({ network: 'appnet', aliases: 'a b/c' })).aliases!, /letters/);

  const v = values({ network: 'appnet', networkIp: '172.30.0.9', aliases: 'web, api', dns: '10.0.0.2', dnsSearch: 'corp.example', extraHosts: 'db:10.0.0.5 gw:host-gateway v6:::1' });
  assert.deepEqual(errorsOf(v), {});
  const { body } = toCreateRequest(v);
  assert.deepEqual(body.NetworkingConfig, { EndpointsConfig: { appnet: { Aliases: ['web', 'api'], IPAMConfig: { IPv4Address: '172.30.0.9' } } } });
  assert.equal(body.HostConfig.NetworkMode, 'appnet');
  assert.deepEqual(body.HostConfig.Dns, ['10.0.0.2']);
  assert.deepEqual(body.HostConfig.DnsSearch, ['corp.example']);
  assert.deepEqual(body.HostConfig.ExtraHosts, ['db:10.0.0.5', 'gw:host-gateway', 'v6:::1']);
  assert.equal(toCreateRequest(values({})).body.NetworkingConfig, undefined, 'nothing to say: no NetworkingConfig');
});
