import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../../runtime/errors.ts';
import { decodeRegistryConfig, registryDomain } from '../../runtime/registry/registry-config.ts';
import { importURL } from '../../runtime/imageops/import-url.ts';

const encode = (v: unknown, url = true): string => Buffer.from(JSON.stringify(v)).toString(url ? 'base64url' : 'base64');

test('X-Registry-Config: keyed by registry domain, Docker Hub\'s addresses as docker.io, anonymous entries dropped', () => {
  const config = decodeRegistryConfig(encode({
    'https://index.docker.io/v1/': { username: 'hub', password: 'p1' },
    '127.0.0.1:5000': { username: 'local', password: 'p2' },
    'https://Registry.Example.com:8443/': { identitytoken: 'tok' },
    'anonymous.example.com': {},
    'junk.example.com': 'not an object',
  }));
  assert.deepEqual([...config.keys()].sort(), ['127.0.0.1:5000', 'docker.io', 'registry.example.com:8443']);
  assert.deepEqual(config.get('docker.io'), { username: 'hub', password: 'p1', serveraddress: 'https://index.docker.io/v1/' });
  assert.deepEqual(config.get('registry.example.com:8443'), { identitytoken: 'tok', serveraddress: 'https://Registry.Example.com:8443/' });
  // Plain base64 (what older clients send) reads the same.
  assert.equal(decodeRegistryConfig(encode({ '127.0.0.1:5000': { username: 'u', password: 'p' } }, false)).get('127.0.0.1:5000')?.username, 'u');
  assert.equal(decodeRegistryConfig(undefined).size, 0);
  assert.throws(() => decodeRegistryConfig('%%%'), InvalidArgumentError);
  assert.throws(() => decodeRegistryConfig(encode(['a'])), /not a JSON object/);
  assert.equal(registryDomain('registry-1.docker.io'), 'docker.io');
});

test('docker import <url>: http and https only, a bare host means http, credentials in the URL refused', () => {
  assert.equal(importURL('https://example.com/rootfs.tar.gz').href, 'https://example.com/rootfs.tar.gz');
  assert.equal(importURL('example.com/rootfs.tar').href, 'http://example.com/rootfs.tar');
  for (const bad of ['file:///etc/passwd', 'ftp://example.com/x.tar', 'unix:///run/docker.sock', 'http://user:pw@example.com/x.tar', 'http://']) {
    assert.throws(() => importURL(bad), (e: unknown) => e instanceof InvalidArgumentError && /\(fromSrc\)/.test(e.message), bad);
  }
});
