import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inSubnet, isCidr, isIP, isIPv6, ipv4 } from '../../components/networks/ip.ts';

test('IPv4: four parts of 0..255, nothing else', () => {
  assert.equal(ipv4('10.1.2.3'), 0x0a010203);
  for (const bad of ['999.1.1.1', '1.2.3', '1.2.3.4.5', '01.2.3.4', 'a.b.c.d', '', '1.2.3.4 ']) assert.equal(ipv4(bad), undefined, bad);
});

test('IPv6: full, compressed and IPv4-suffixed forms', () => {
  for (const good of ['::', '::1', 'fe80::1', '2001:db8::', '2001:db8:0:0:0:0:0:1', '::ffff:10.0.0.1']) assert.ok(isIPv6(good), good);
  for (const bad of ['1::2::3', ':::', '12345::', '1:2:3:4:5:6:7', 'g::1', '1:2:3:4:5:6:7:8:9', '::ffff:999.0.0.1']) assert.ok(!isIPv6(bad), bad);
  assert.ok(isIP('127.0.0.1') && isIP('::1') && !isIP('localhost'));
});

test('CIDR and subnet membership', () => {
  assert.ok(isCidr('172.30.0.0/16') && isCidr('fd00::/64'));
  assert.ok(!isCidr('172.30.0.0') && !isCidr('172.30.0.0/33') && !isCidr('x/8'));
  assert.ok(inSubnet('172.30.5.1', '172.30.0.0/16'));
  assert.ok(!inSubnet('172.31.0.1', '172.30.0.0/16'));
});
