import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterNatRules } from '../../runtime/tasks/kernel/netns.ts';
import { parseProcCgroup } from '../../runtime/tasks/kernel/cgroup.ts';

const ID = 'a'.repeat(64);
const NAT = `-P PREROUTING ACCEPT
-N CNI-HOSTPORT-DNAT
-N CNI-DN-1f2e
-N CNI-DN-9999
-N DOCKER
-A PREROUTING -m addrtype --dst-type LOCAL -j CNI-HOSTPORT-DNAT
-A DOCKER -d 10.88.0.5/32 -p tcp -m tcp --dport 80 -j DNAT --to-destination 10.88.0.5:80
-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"wharf\\" id: \\"${ID}\\"" -m multiport --dports 18080 -j CNI-DN-1f2e
-A CNI-DN-1f2e -s 10.88.0.0/16 -p tcp -m tcp --dport 18080 -j CNI-HOSTPORT-SETMARK
-A CNI-DN-1f2e -p tcp -m tcp --dport 18080 -j DNAT --to-destination 10.88.0.5:80
-A CNI-DN-9999 -p tcp -m tcp --dport 18081 -j DNAT --to-destination 10.88.0.55:80
-A WHARF-POSTROUTING -s 10.88.0.5/32 -j MASQUERADE`;

test('NAT rules: only Wharf and CNI chains, the ones naming the container, and the chains they jump to', () => {
  assert.deepEqual(filterNatRules(NAT, ['10.88.0.5'], ID), [
    `-A CNI-HOSTPORT-DNAT -p tcp -m comment --comment "dnat name: \\"wharf\\" id: \\"${ID}\\"" -m multiport --dports 18080 -j CNI-DN-1f2e`,
    '-A CNI-DN-1f2e -s 10.88.0.0/16 -p tcp -m tcp --dport 18080 -j CNI-HOSTPORT-SETMARK',
    '-A CNI-DN-1f2e -p tcp -m tcp --dport 18080 -j DNAT --to-destination 10.88.0.5:80',
    '-A WHARF-POSTROUTING -s 10.88.0.5/32 -j MASQUERADE',
  ], 'dockerd\'s DOCKER chain and 10.88.0.55 stay out');
  assert.deepEqual(filterNatRules(NAT, [], 'b'.repeat(64)), []);
});

test('/proc/<pid>/cgroup: v1 controllers (joined ones split) and the v2 tree', () => {
  assert.deepEqual(parseProcCgroup('12:cpu,cpuacct:/wharf/x\n4:memory:/wharf/x\n0::/wharf/x\n'), { cpu: '/wharf/x', cpuacct: '/wharf/x', memory: '/wharf/x', '': '/wharf/x' });
});
