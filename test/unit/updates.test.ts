import { test } from 'node:test';
import assert from 'node:assert/strict';
import { followedTag } from '../../server/updates/checker.ts';
import { recreateBody, type ContainerInspect } from '../../server/updates/recreate.ts';
import { previousTag } from '../../server/updates/updater.ts';
import { ConfigError, loadConfig } from '../../server/config.ts';

const ID = `sha256:${'ab'.repeat(32)}`;

test('a container follows the tag it names, never an image id or digest', () => {
  assert.equal(followedTag('host:5000/app:1', ID), 'host:5000/app:1');
  assert.equal(followedTag('busybox', ID), 'busybox');
  assert.equal(followedTag(ID, ID), undefined);
  assert.equal(followedTag('abab', ID), undefined);
  assert.equal(followedTag(`app@sha256:${'cd'.repeat(32)}`, ID), undefined);
  assert.equal(followedTag('Not A Reference', ID), undefined);
});

test('a recreate keeps config, host config and endpoints, but not the generated hostname or id alias', () => {
  const c: ContainerInspect = {
    Id: 'f'.repeat(64), Name: '/web', Image: ID, State: { Running: true },
    Config: { Image: 'app:1', Hostname: 'f'.repeat(12), Env: ['A=1'], Labels: { l: 'v' } },
    HostConfig: { Memory: 1024, NetworkMode: 'front' },
    NetworkSettings: { Networks: { front: { Aliases: ['f'.repeat(12), 'web-alias'], IPAMConfig: { IPv4Address: '10.9.0.5' } } } },
  };
  const body = recreateBody(c, 'app:1');
  assert.equal(body.Hostname, undefined);
  assert.deepEqual(body.Env, ['A=1']);
  assert.deepEqual(body.HostConfig, { Memory: 1024, NetworkMode: 'front' });
  assert.deepEqual(body.NetworkingConfig, { EndpointsConfig: { front: { IPAMConfig: { IPv4Address: '10.9.0.5' }, Links: null, Aliases: ['web-alias'], DriverOpts: null } } });
  assert.equal(recreateBody({ ...c, Config: { ...c.Config, Hostname: 'chosen' } }, ID).Hostname, 'chosen');
  assert.equal(recreateBody(c, ID).Image, ID);
});

test('the kept image tag stays within the 128 characters a tag may have', () => {
  assert.equal(previousTag('1'), '1-wharf-previous');
  assert.equal(previousTag('x'.repeat(128)), `${'x'.repeat(113)}-wharf-previous`);
});

test('WHARF_UPDATE_INTERVAL: seconds (default 6 h) or off; nonsense names the variable', () => {
  assert.equal(loadConfig({}).updateIntervalMs, 6 * 3600 * 1000);
  assert.equal(loadConfig({ WHARF_UPDATE_INTERVAL: '600' }).updateIntervalMs, 600_000);
  assert.equal(loadConfig({ WHARF_UPDATE_INTERVAL: 'off' }).updateIntervalMs, null);
  assert.throws(() => loadConfig({ WHARF_UPDATE_INTERVAL: '5' }), (e: Error) => e instanceof ConfigError && /WHARF_UPDATE_INTERVAL/.test(e.message));
});
