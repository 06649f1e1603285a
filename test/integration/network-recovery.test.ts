import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startTestEngine, collect, eventually, uniqueSubnet } from '../helpers/engine.ts';
import { httpGet } from '../helpers/http-get.ts';
import { freeLoopbackPort as freePort } from '../helpers/registry.ts';

const get = async (url: string): Promise<string> => (await httpGet(url)).body;


test('published ports keep answering after SIGKILL of the engine; the next boot reconciles and repairs', { timeout: 300_000 }, async () => {
  const t = await startTestEngine('netrec');
  await t.engine.close();
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '../helpers/network-engine-process.ts')], {
    env: { ...process.env, WHARF_TEST_CONFIG: JSON.stringify(t.config), WHARF_TEST_PORT: String(port), WHARF_TEST_SUBNET: uniqueSubnet() },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const [web] = await eventually(() => {
    const m = /ready (\[.*\])/.exec(out);
    return m ? (JSON.parse(m[1]!) as string[]) : undefined;
  }, 'the engine process to start its containers', 120_000);
  assert.equal(await eventually(() => get(`http://127.0.0.1:${port}/`).catch(() => undefined), 'httpd', 30_000), 'survived\n');
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGKILL');
  await exited;

  // The kernel forwards without the engine.
  assert.equal(await get(`http://127.0.0.1:${port}/`), 'survived\n');

  // What a SIGKILL half-way through a start can leave: a namespace nobody runs in, and an
  // address reservation without an endpoint.
  const orphan = join(t.config.runRoot, 'netns', 'f'.repeat(64));
  await writeFile(orphan, '');
  execFileSync('unshare', [`--net=${orphan}`, 'true']);
  const ipamDirs = await readdir(join(t.config.runRoot, 'ipam'));
  assert.ok(ipamDirs.length > 0);
  const stale = join(t.config.runRoot, 'ipam', ipamDirs[0]!, '10.255.255.254');
  await mkdir(join(t.config.runRoot, 'ipam', ipamDirs[0]!), { recursive: true });
  await writeFile(stale, `${'e'.repeat(64)}\neth0`);

  const engine = await t.reopen();
  assert.ok(!(await readdir(join(t.config.runRoot, 'netns'))).includes('f'.repeat(64)), 'the orphan namespace is gone');
  assert.ok(!(await readdir(join(t.config.runRoot, 'ipam', ipamDirs[0]!))).includes('10.255.255.254'), 'the stale reservation is released');
  assert.equal(engine.containers.get(web!).state.Status, 'running');
  assert.equal(await get(`http://127.0.0.1:${port}/`), 'survived\n');

  // The user network's name server is back: a new container finds `named` by name.
  const c = await engine.containers.create({ config: { Image: 'busybox', Cmd: ['timeout', '10', 'wget', '-q', '-O-', 'http://named/'] }, hostConfig: { NetworkMode: 'kept' } });
  const waited = engine.containers.wait(c.id, 'next-exit');
  await engine.containers.start(c.id);
  await waited;
  assert.equal(await collect(engine.containers.logs(c.id, {})), 'survived\n');

  // Stop releases the port; a restart publishes it again.
  await engine.containers.stop(web!, 1);
  await assert.rejects(get(`http://127.0.0.1:${port}/`));
  await engine.containers.start(web!);
  assert.equal(await eventually(() => get(`http://127.0.0.1:${port}/`).catch(() => undefined), 'httpd after restart', 30_000), 'survived\n');

  const left = await t.cleanup();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});
