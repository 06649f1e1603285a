import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { readCgroup } from '../../runtime/tasks/cgroup-stats.ts';
import { readTextAsync } from '../../runtime/util/workers/text-reader.ts';
import { parseNetDev } from '../../runtime/tasks/stats.ts';

let root: string;
const path = '/wharf/abc';

async function put(file: string, body: string): Promise<void> {
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, body);
}

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'wharf-unit-cgstats-'));
});

after(async () => {
  await rm(root, { recursive: true, force: true });
});

test('cgroup v1 files become Docker\'s stats fields', async () => {
  const v1 = join(root, 'v1');
  const at = (ctl: string, f: string) => join(v1, ctl, path, f);
  await put(at('cpuacct', 'cpuacct.usage'), '123456789\n');
  await put(at('cpuacct', 'cpuacct.usage_percpu'), '100000000 23456789 \n');
  await put(at('cpuacct', 'cpuacct.stat'), 'user 7\nsystem 3\n');
  await put(at('cpu', 'cpu.stat'), 'nr_periods 10\nnr_throttled 2\nthrottled_time 5000\n');
  await put(at('memory', 'memory.usage_in_bytes'), '4096000\n');
  await put(at('memory', 'memory.max_usage_in_bytes'), '5000000\n');
  await put(at('memory', 'memory.limit_in_bytes'), '67108864\n');
  await put(at('memory', 'memory.failcnt'), '0\n');
  await put(at('memory', 'memory.stat'), 'cache 8192\nrss 4000000\ntotal_inactive_file 4096\nunknown_key 1\n');
  await put(at('pids', 'pids.current'), '3\n');
  await put(at('pids', 'pids.max'), 'max\n');
  await put(at('blkio', 'blkio.io_service_bytes_recursive'), 'Total 0\n');
  await put(at('blkio', 'blkio.throttle.io_service_bytes_recursive'), '8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n');
  await put(at('blkio', 'blkio.throttle.io_serviced_recursive'), '8:0 Read 1\n8:0 Write 2\nTotal 3\n');
  const s = await readCgroup(readTextAsync, path, { root: v1, v2: false });
  assert.deepEqual(s.cpu_stats.cpu_usage, { total_usage: 123456789, percpu_usage: [100000000, 23456789], usage_in_kernelmode: 30_000_000, usage_in_usermode: 70_000_000 });
  assert.deepEqual(s.cpu_stats.throttling_data, { periods: 10, throttled_periods: 2, throttled_time: 5000 });
  assert.equal(s.memory_stats.usage, 4096000);
  assert.equal(s.memory_stats.max_usage, 5000000);
  assert.equal(s.memory_stats.limit, 67108864);
  assert.equal(s.memory_stats.stats?.cache, 8192);
  assert.equal(s.memory_stats.stats?.total_inactive_file, 4096);
  assert.equal(s.memory_stats.stats?.unknown_key, undefined);
  assert.deepEqual(s.pids_stats, { current: 3 });
  assert.deepEqual(s.blkio_stats.io_service_bytes_recursive, [
    { major: 8, minor: 0, op: 'Read', value: 4096 }, { major: 8, minor: 0, op: 'Write', value: 8192 }, { major: 8, minor: 0, op: 'Total', value: 12288 },
  ]);
  assert.equal(s.blkio_stats.io_serviced_recursive?.length, 2);
  assert.deepEqual(s.blkio_stats.sectors_recursive, []);
});

test('cgroup v2 files become Docker\'s stats fields; an unlimited cgroup shows the machine\'s memory', async () => {
  const v2 = join(root, 'v2');
  const at = (f: string) => join(v2, path, f);
  await put(at('cpu.stat'), 'usage_usec 2000\nuser_usec 1500\nsystem_usec 500\nnr_periods 4\nnr_throttled 1\nthrottled_usec 30\n');
  await put(at('memory.current'), '1048576\n');
  await put(at('memory.max'), 'max\n');
  await put(at('memory.stat'), 'anon 4096\nfile 8192\ninactive_file 100\n');
  await put(at('memory.events'), 'low 0\nhigh 0\nmax 0\noom 2\noom_kill 1\n');
  await put(at('pids.current'), '2\n');
  await put(at('pids.max'), '50\n');
  await put(at('io.stat'), '8:0 rbytes=100 wbytes=200 rios=1 wios=2 dbytes=0 dios=0\n');
  const s = await readCgroup(readTextAsync, path, { root: v2, v2: true });
  assert.deepEqual(s.cpu_stats.cpu_usage, { total_usage: 2_000_000, usage_in_kernelmode: 500_000, usage_in_usermode: 1_500_000 });
  assert.deepEqual(s.cpu_stats.throttling_data, { periods: 4, throttled_periods: 1, throttled_time: 30_000 });
  assert.equal(s.memory_stats.usage, 1048576);
  assert.equal(s.memory_stats.limit, totalmem());
  assert.equal(s.memory_stats.failcnt, 2);
  assert.equal(s.memory_stats.max_usage, undefined);
  assert.equal(s.memory_stats.stats?.inactive_file, 100);
  assert.deepEqual(s.pids_stats, { current: 2, limit: 50 });
  assert.deepEqual(s.blkio_stats.io_service_bytes_recursive, [{ major: 8, minor: 0, op: 'read', value: 100 }, { major: 8, minor: 0, op: 'write', value: 200 }]);
  assert.equal(s.blkio_stats.io_serviced_recursive, null);
});

test('network counters leave loopback out', () => {
  const text = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
  eth0:    5338      36    1    2    0     0          0         0      648       8    3    4    0     0       0          0
`;
  assert.deepEqual(parseNetDev(text), { eth0: { rx_bytes: 5338, rx_packets: 36, rx_errors: 1, rx_dropped: 2, tx_bytes: 648, tx_packets: 8, tx_errors: 3, tx_dropped: 4 } });
  assert.equal(parseNetDev(text.split('\n').slice(0, 3).join('\n')), undefined);
});
