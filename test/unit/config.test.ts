import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../server/config.ts';

test('defaults follow the documented contracts', () => {
  const config = loadConfig({});
  assert.equal(config.port, 9000);
  assert.equal(config.host, '0.0.0.0');
  assert.equal(config.socketPath, '/run/wharf/docker.sock');
  assert.equal(config.dev, false);
  assert.equal(config.adminPassword, undefined);
  assert.equal(config.engine.root, '/var/lib/wharf');
  assert.equal(config.engine.runRoot, '/run/wharf');
  assert.equal(config.engine.runtime, 'runc');
});

test('environment variables override the defaults', () => {
  const config = loadConfig({
    PORT: '9443',
    WHARF_HOST: '127.0.0.1',
    WHARF_SOCKET: '/tmp/w/docker.sock',
    WHARF_ROOT: '/srv/wharf',
    WHARF_RUN: '/run/wharf-2',
    WHARF_RUNTIME: 'crun',
    WHARF_CGROUP_PARENT: '/wharf-test',
    WHARF_ADMIN_PASSWORD: 'correct horse battery staple',
    NODE_ENV: 'development',
  });
  assert.equal(config.port, 9443);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.socketPath, '/tmp/w/docker.sock');
  assert.equal(config.dev, true);
  assert.equal(config.adminPassword, 'correct horse battery staple');
  assert.equal(config.engine.root, '/srv/wharf');
  assert.equal(config.engine.runRoot, '/run/wharf-2');
  assert.equal(config.engine.runtime, 'crun');
  assert.equal(config.engine.cgroupParent, '/wharf-test');
});

test('empty values count as unset', () => {
  const config = loadConfig({ PORT: '', WHARF_ROOT: '', WHARF_ADMIN_PASSWORD: '' });
  assert.equal(config.port, 9000);
  assert.equal(config.engine.root, '/var/lib/wharf');
  assert.equal(config.adminPassword, undefined);
});

test('PORT 0 is accepted so that the kernel can pick a free port', () => {
  assert.equal(loadConfig({ PORT: '0' }).port, 0);
});

const invalid: Array<[string, Record<string, string>]> = [
  ['PORT', { PORT: 'http' }],
  ['PORT', { PORT: '65536' }],
  ['PORT', { PORT: '-1' }],
  ['WHARF_HOST', { WHARF_HOST: 'http://example.com' }],
  ['WHARF_SOCKET', { WHARF_SOCKET: 'docker.sock' }],
  ['WHARF_ROOT', { WHARF_ROOT: 'var/lib/wharf' }],
  ['WHARF_RUN', { WHARF_RUN: './run' }],
  ['WHARF_RUNTIME', { WHARF_RUNTIME: 'runc --debug' }],
  ['WHARF_CGROUP_PARENT', { WHARF_CGROUP_PARENT: 'wharf' }],
  ['NODE_ENV', { NODE_ENV: 'staging' }],
  ['WHARF_BRIDGE_SUBNET', { WHARF_BRIDGE_SUBNET: '10.210.0.1/16' }],
  ['WHARF_BRIDGE_SUBNET', { WHARF_BRIDGE_SUBNET: '10.210.0.0' }],
  ['WHARF_BRIDGE_SUBNET', { WHARF_BRIDGE_SUBNET: '300.1.0.0/16' }],
  ['WHARF_BRIDGE_NAME', { WHARF_BRIDGE_NAME: 'a-bridge-name-too-long0' }],
];

test('the default bridge subnet and device can be chosen', () => {
  const config = loadConfig({ WHARF_BRIDGE_SUBNET: '10.210.0.0/16', WHARF_BRIDGE_NAME: 'wharf1' });
  assert.equal(config.engine.bridgeSubnet, '10.210.0.0/16');
  assert.equal(config.engine.bridgeName, 'wharf1');
  assert.equal(loadConfig({}).engine.bridgeSubnet, undefined, 'unset: a free one is picked at first boot');
  assert.equal(loadConfig({}).engine.bridgeName, 'wharf0');
});

for (const [name, env] of invalid) {
  test(`a bad ${name} (${JSON.stringify(env[name])}) is rejected with an error naming it`, () => {
    assert.throws(() => loadConfig(env), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.match(err.message, new RegExp(`\\b${name}=`));
      return true;
    });
  });
}

test('every bad variable is reported at once', () => {
  assert.throws(() => loadConfig({ PORT: 'x', WHARF_ROOT: 'y' }), /PORT=.*WHARF_ROOT=|WHARF_ROOT=.*PORT=/);
});

test('WHARF_ADMIN_PASSWORD_FILE is read, without its trailing newline', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wharf-config-test-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'password');
  writeFileSync(file, 's3cret pass\n');
  assert.equal(loadConfig({ WHARF_ADMIN_PASSWORD_FILE: file }).adminPassword, 's3cret pass');

  writeFileSync(file, '\n');
  assert.throws(() => loadConfig({ WHARF_ADMIN_PASSWORD_FILE: file }), /WHARF_ADMIN_PASSWORD_FILE=.*empty/);

  const absent = path.join(dir, 'absent');
  assert.throws(() => loadConfig({ WHARF_ADMIN_PASSWORD_FILE: absent }), /WHARF_ADMIN_PASSWORD_FILE=.*cannot read/);
});

test('the password and the password file are mutually exclusive', () => {
  assert.throws(
    () => loadConfig({ WHARF_ADMIN_PASSWORD: 'a', WHARF_ADMIN_PASSWORD_FILE: '/run/secrets/wharf' }),
    (err: unknown) => err instanceof ConfigError && /WHARF_ADMIN_PASSWORD and WHARF_ADMIN_PASSWORD_FILE/.test(err.message),
  );
});

test('HTTPS is on 9443 by default, can move or be turned off, and TLS files go in pairs', () => {
  assert.equal(loadConfig({}).httpsPort, 9443);
  assert.equal(loadConfig({ WHARF_HTTPS_PORT: '8443' }).httpsPort, 8443);
  assert.equal(loadConfig({ WHARF_HTTPS_PORT: 'off' }).httpsPort, null);
  assert.throws(() => loadConfig({ WHARF_HTTPS_PORT: 'on' }), /WHARF_HTTPS_PORT="on": must be a port number or 'off'/);
  assert.deepEqual(loadConfig({ WHARF_TLS_CERT: '/etc/w/c.pem', WHARF_TLS_KEY: '/etc/w/k.pem' }).tls, { cert: '/etc/w/c.pem', key: '/etc/w/k.pem' });
  assert.throws(() => loadConfig({ WHARF_TLS_CERT: '/etc/w/c.pem' }), /WHARF_TLS_CERT and WHARF_TLS_KEY go together/);
});

test('the Docker API over TCP needs a client CA: never without mutual TLS', () => {
  assert.equal(loadConfig({}).dockerTls, undefined);
  assert.throws(() => loadConfig({ WHARF_TLS_LISTEN: '0.0.0.0:2376' }), /needs WHARF_TLS_CA/);
  assert.deepEqual(loadConfig({ WHARF_TLS_LISTEN: '0.0.0.0:2376', WHARF_TLS_CA: '/etc/w/ca.pem' }).dockerTls, { host: '0.0.0.0', port: 2376, ca: '/etc/w/ca.pem' });
  assert.deepEqual(loadConfig({ WHARF_TLS_LISTEN: '[::1]:2376', WHARF_TLS_CA: '/etc/w/ca.pem' }).dockerTls, { host: '::1', port: 2376, ca: '/etc/w/ca.pem' });
  assert.throws(() => loadConfig({ WHARF_TLS_LISTEN: 'nope', WHARF_TLS_CA: '/c' }), /WHARF_TLS_LISTEN="nope": must be host:port/);
});

test('WHARF_TEMPLATES_URL adds one template source; anything but an http(s) URL is refused by name', () => {
  assert.deepEqual(loadConfig({}).templateUrls, []);
  assert.deepEqual(loadConfig({ WHARF_TEMPLATES_URL: 'https://example.test/templates.json' }).templateUrls, ['https://example.test/templates.json']);
  assert.throws(() => loadConfig({ WHARF_TEMPLATES_URL: 'file:///etc/templates.json' }), (err: unknown) => err instanceof ConfigError && /WHARF_TEMPLATES_URL="file:\/\/\/etc\/templates.json": must be an http or https URL/.test(err.message));
});

test('the page thread stops after ten idle minutes unless WHARF_PAGES_IDLE says otherwise', () => {
  assert.equal(loadConfig({}).pagesIdleMs, 600_000);
  assert.equal(loadConfig({ WHARF_PAGES_IDLE: '30' }).pagesIdleMs, 30_000);
  assert.equal(loadConfig({ WHARF_PAGES_IDLE: 'off' }).pagesIdleMs, null);
  for (const bad of ['0', '-5', '1.5', 'soon']) {
    assert.throws(() => loadConfig({ WHARF_PAGES_IDLE: bad }), (err: unknown) => err instanceof ConfigError && err.message.includes(`WHARF_PAGES_IDLE=${JSON.stringify(bad)}: must be a number of seconds`));
  }
});

test('the daemon log driver is json-file unless WHARF_LOG_DRIVER/WHARF_LOG_OPTS say otherwise; bad ones stop the start', () => {
  assert.deepEqual(loadConfig({}).engine.logConfig, { Type: 'json-file', Config: {} });
  assert.deepEqual(loadConfig({ WHARF_LOG_DRIVER: 'local' }).engine.logConfig, { Type: 'local', Config: {} });
  assert.deepEqual(loadConfig({ WHARF_LOG_OPTS: 'max-size=10m, max-file=3' }).engine.logConfig, { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '3' } });
  assert.throws(() => loadConfig({ WHARF_LOG_DRIVER: 'asdf' }), (e: Error) => e instanceof ConfigError && /WHARF_LOG_DRIVER="asdf": logger: no log driver named 'asdf'/.test(e.message));
  assert.throws(() => loadConfig({ WHARF_LOG_OPTS: 'max-sise=1m' }), (e: Error) => e instanceof ConfigError && /WHARF_LOG_OPTS="max-sise=1m": unknown log opt 'max-sise'/.test(e.message));
  assert.throws(() => loadConfig({ WHARF_LOG_OPTS: 'max-size' }), (e: Error) => e instanceof ConfigError && /WHARF_LOG_OPTS=.*is not key=value/.test(e.message));
});
