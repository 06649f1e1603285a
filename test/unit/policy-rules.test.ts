import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MASKED_PATHS, type HostConfig } from '../../runtime/index.ts';
import { allRoutes } from '../../server/docker-api/routes.ts';
import { CHECKED_VERBS, DEFAULT_SECURITY_SETTINGS, PolicyService, ROUTE_RULES, routeKey, type PolicyLookup, type Principal, type SecuritySettingsStore } from '../../server/policy/index.ts';
import type { ContainerFacts } from '../../server/policy/lookup.ts';

const routes = allRoutes();
const operator: Principal = { username: 'op', role: 'operator', environment: 'local', settings: { ...DEFAULT_SECURITY_SETTINGS } };
const readonly: Principal = { ...operator, username: 'viewer', role: 'readonly' };
const policy = new PolicyService({ get: () => ({ ...DEFAULT_SECURITY_SETTINGS }) } as unknown as SecuritySettingsStore);

/** An engine that knows a few objects by name: the lookups the rules make. */
function lookup(containers: Record<string, Partial<HostConfig> & Record<string, unknown>>, volumes: Record<string, Record<string, string>> = {}, networks: Record<string, string> = {}): PolicyLookup {
  return {
    container: async (id) => (containers[id] ? { id, HostConfig: containers[id]!, Mounts: [] } as ContainerFacts : undefined),
    volumeOptions: async (name) => volumes[name],
    networkDriver: async (id) => networks[id],
    exec: async () => undefined,
  };
}

async function fieldOf(hostConfig: Record<string, unknown>, l: PolicyLookup = lookup({}), networks: string[] = []): Promise<string | undefined> {
  try {
    await policy.bind(operator, l).check({ kind: 'container.create', hostConfig: hostConfig as HostConfig, networks });
    return undefined;
  } catch (err) {
    return (err as { field?: string }).field;
  }
}

test('every route the Docker API serves has a rule or is for administrators only, and every rule names a route', () => {
  const keys = new Set(routes.map(routeKey));
  for (const key of ROUTE_RULES.keys()) assert.ok(keys.has(key), `rule for a route that does not exist: ${key}`);
  for (const key of CHECKED_VERBS) assert.ok(keys.has(key), `checked verb that does not exist: ${key}`);
  // Reads are reads: nothing that changes state is open to readonly users.
  for (const [key, rule] of ROUTE_RULES) if (rule.startsWith('read')) assert.match(key, /^(GET|HEAD) /, key);
});

test('the verbs whose options reach the host hand them to the policy before executing', () => {
  for (const route of routes.filter((r) => CHECKED_VERBS.has(routeKey(r)))) {
    assert.match(String(route.handler).replace(/\s/g, ''), /\.policy\?\.check\(\{kind:/, routeKey(route));
  }
});

test('deny by default: a route without a rule is refused to operators and readonly users', async () => {
  const unlisted = routes.filter((r) => !ROUTE_RULES.has(routeKey(r)));
  assert.ok(unlisted.some((r) => routeKey(r) === 'POST /swarm/init'));
  for (const route of unlisted) {
    for (const who of [operator, readonly]) {
      await assert.rejects(policy.authorizeRoute(who, route, {}, lookup({})), { code: 'PermissionDenied', message: `only administrators can use ${routeKey(route)}` });
    }
    await policy.authorizeRoute({ ...operator, role: 'admin' }, route, {}, lookup({}));
  }
});

test('named objects are looked up on the engine: volumes that bind, borrowed namespaces, volumes-from, host-attached networks', async () => {
  const l = lookup(
    { hostpid: { PidMode: 'host' }, chained: { NetworkMode: 'container:hostpid' }, plain: { NetworkMode: 'bridge' }, binder: { Binds: ['/etc:/x'] } },
    { etc: { type: 'none', o: 'bind', device: '/etc' }, disk: { type: 'ext4', device: '/dev/sda1' }, ram: { type: 'tmpfs', device: 'tmpfs' }, fresh: {} },
    { '4f2a': 'macvlan', mybridge: 'bridge' },
  );
  assert.equal(await fieldOf({ Binds: ['etc:/x'] }, l), 'HostConfig.Binds[0]');
  assert.equal(await fieldOf({ Binds: ['disk:/x'] }, l), 'HostConfig.Binds[0]');
  assert.equal(await fieldOf({ Binds: ['ram:/x', 'fresh:/y', 'missing:/z', '/anonymous'] }, l), undefined);
  assert.equal(await fieldOf({ Mounts: [{ Type: 'volume', Source: 'etc', Target: '/x' }] }, l), 'HostConfig.Mounts[0].Source');
  assert.equal(await fieldOf({ Mounts: [{ Type: 'npipe', Source: 'x', Target: '/x' }] }, l), 'HostConfig.Mounts[0]');
  assert.equal(await fieldOf({ PidMode: 'container:hostpid' }, l), 'HostConfig.PidMode');
  assert.equal(await fieldOf({ NetworkMode: 'container:chained' }, l), 'HostConfig.NetworkMode');
  assert.equal(await fieldOf({ NetworkMode: 'container:plain' }, l), undefined);
  assert.equal(await fieldOf({ VolumesFrom: ['plain', 'binder:ro'] }, l), 'HostConfig.VolumesFrom[1]');
  assert.equal(await fieldOf({ NetworkMode: '4f2a' }, l), 'HostConfig.NetworkMode');
  assert.equal(await fieldOf({ NetworkMode: 'mybridge' }, l, ['4f2a']), 'NetworkingConfig.EndpointsConfig.4f2a');
  assert.equal(await fieldOf({ MaskedPaths: [...DEFAULT_MASKED_PATHS, '/proc/extra'] }, l), undefined);
  assert.equal(await fieldOf({ MaskedPaths: DEFAULT_MASKED_PATHS.slice(1) }, l), 'HostConfig.MaskedPaths');
  assert.equal(await fieldOf({ SecurityOpt: ['no-new-privileges', 'no-new-privileges:true'] }, l), undefined);
  assert.equal(await fieldOf({ SecurityOpt: ['label=disable'] }, l), 'HostConfig.SecurityOpt[0]');
  assert.equal(await fieldOf({ CgroupParent: '/' }, l), 'HostConfig.CgroupParent');
});

test('a relaxed rule lets its own settings through and no other', async () => {
  const relaxed: Principal = { ...operator, settings: { ...DEFAULT_SECURITY_SETTINGS, hostNamespaces: true } };
  const check = (hostConfig: Record<string, unknown>) => policy.bind(relaxed, lookup({})).check({ kind: 'container.create', hostConfig: hostConfig as HostConfig, networks: [] });
  await check({ PidMode: 'host', NetworkMode: 'host' });
  await assert.rejects(check({ PidMode: 'host', CapAdd: ['NET_ADMIN'] }), { field: 'HostConfig.CapAdd' });
});
