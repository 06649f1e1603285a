import { test } from 'node:test';
import assert from 'node:assert/strict';
import { portUrl } from '../../components/containers/port-url.ts';

test('a published TCP port links to the dashboard host, never to the binding address', () => {
  assert.equal(portUrl('wharf.example', '18080', 'tcp'), 'http://wharf.example:18080/');
  assert.equal(portUrl('127.0.0.1', 80, undefined), 'http://127.0.0.1/', 'port 80 is the URL default');
  assert.equal(portUrl('::1', '8080', 'tcp'), 'http://[::1]:8080/');
  assert.equal(portUrl('[fe80::1]', '8080', 'tcp'), 'http://[fe80::1]:8080/');
});

test('UDP, missing or out-of-range ports, and hosts that are not hostnames get no link', () => {
  assert.equal(portUrl('localhost', '53', 'udp'), undefined);
  assert.equal(portUrl('localhost', '', 'tcp'), undefined);
  assert.equal(portUrl('localhost', '0', 'tcp'), undefined);
  assert.equal(portUrl('localhost', '70000', 'tcp'), undefined);
  assert.equal(portUrl('localhost', '80/x', 'tcp'), undefined);
  assert.equal(portUrl('javascript:alert(1)//', '80', 'tcp'), undefined);
  assert.equal(portUrl('evil.com/@x', '80', 'tcp'), undefined);
});
