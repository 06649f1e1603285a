import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

/*
 * Bad numbers, ports, addresses, env entries and mount paths are refused at create (and update)
 * with a 400 that names the field, and leave nothing behind: no container, no snapshot, no
 * directory.
 */

let h: ApiHarness;

before(async () => {
  h = await startApiServer('valid');
  await h.ok(['create', '--name', 'valid-base', 'busybox', 'sleep', '1000']);
});

after(async () => {
  await h.docker(['rm', '-f', 'valid-base']);
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function post(path: string, body: unknown): Promise<{ status: number; message: string }> {
  const data = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method: 'POST', path, headers: { 'Content-Type': 'application/json', 'Content-Length': data.length } }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (d: Buffer) => parts.push(d));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString();
        let message = text;
        try { message = (JSON.parse(text) as { message?: string }).message ?? text; } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, message });
      });
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** What a refused create must leave untouched: the container list and the data root's containers and snapshots. */
async function state(): Promise<string> {
  const ps = await h.ok(['ps', '-a', '--no-trunc', '--format', '{{.ID}} {{.Names}}']);
  const dirs = async (d: string) => (await readdir(join(h.config.root, d)).catch(() => [])).sort().join(',');
  return JSON.stringify({ ps, containers: await dirs('containers'), snapshots: await dirs('snapshots') });
}

const cases: Array<[string, Record<string, unknown>, Record<string, unknown>, RegExp]> = [
  ['a memory limit beyond any integer', {}, { Memory: 1e30 }, /HostConfig\.Memory/],
  ['a pids limit beyond any integer', {}, { PidsLimit: 1e30 }, /HostConfig\.PidsLimit/],
  ['more CPUs than any machine has', {}, { NanoCpus: 1e20 }, /HostConfig\.NanoCpus/],
  ['negative CPU shares', {}, { CpuShares: -5 }, /HostConfig\.CpuShares/],
  ['swap below memory', {}, { Memory: 64 * 1024 * 1024, MemorySwap: 32 * 1024 * 1024 }, /HostConfig\.MemorySwap/],
  ['container port 0', {}, { PortBindings: { '0/tcp': [{ HostPort: '8080' }] } }, /HostConfig\.PortBindings\["0\/tcp"\]/],
  ['host port 65536', {}, { PortBindings: { '80/tcp': [{ HostPort: '65536' }] } }, /PortBindings/],
  ['a reversed port range', { ExposedPorts: { '90-80/tcp': {} } }, {}, /Config\.ExposedPorts\["90-80\/tcp"\]/],
  ['a host port that is not a number', {}, { PortBindings: { '80/tcp': [{ HostPort: 'http' }] } }, /PortBindings/],
  ['a host address that is not an IP address', {}, { PortBindings: { '80/tcp': [{ HostIp: 'evil.example', HostPort: '8080' }] } }, /HostIp/],
  ['an env entry without a name', { Env: ['=value'] }, {}, /Config\.Env\[0\]/],
  ['a relative bind destination', {}, { Binds: ['/tmp:relative'] }, /HostConfig\.Binds\[0\]/],
  ['a relative mount target', {}, { Mounts: [{ Type: 'tmpfs', Target: 'relative' }] }, /HostConfig\.Mounts\[0\]/],
];

test('create refuses bad values with a 400 naming the field and stores nothing', async () => {
  const before = await state();
  for (const [what, config, hostConfig, field] of cases) {
    const r = await post('/containers/create?name=valid-bad', { Image: 'busybox', Cmd: ['true'], ...config, HostConfig: hostConfig });
    assert.equal(r.status, 400, `${what}: ${r.status} ${r.message}`);
    assert.match(r.message, field, what);
  }
  for (const name of ['-leading-dash', 'a', 'has space', 'slash/inside']) {
    const r = await post(`/containers/create?name=${encodeURIComponent(name)}`, { Image: 'busybox' });
    assert.equal(r.status, 400, `name ${name}: ${r.status} ${r.message}`);
    assert.match(r.message, /name/i);
  }
  assert.equal(await state(), before, 'no container, snapshot or directory was left by a refused create');
});

test('update refuses the same numbers and changes nothing', async () => {
  const inspect = () => h.ok(['inspect', '-f', '{{.HostConfig.Memory}} {{.HostConfig.PidsLimit}} {{.HostConfig.CpuShares}}', 'valid-base']);
  const was = await inspect();
  for (const [body, field] of [[{ Memory: 1e30 }, /Memory/], [{ PidsLimit: 1e30 }, /PidsLimit/], [{ CpuShares: -1 }, /CpuShares|CPU shares/], [{ NanoCpus: 1e20 }, /NanoCpus|CPUs/]] as const) {
    const r = await post('/containers/valid-base/update', body);
    assert.equal(r.status, 400, `${JSON.stringify(body)}: ${r.status} ${r.message}`);
    assert.match(r.message, field);
  }
  assert.equal(await inspect(), was);
});
