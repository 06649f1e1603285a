/**
 * The dashboard's page thread gives its memory back: Next loads only the build's resolved
 * configuration (never the build machinery), and a thread that has served nothing for
 * WHARF_PAGES_IDLE is stopped, then started again by the next page request.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';

let wharf: Wharf;

before(async () => {
  wharf = await startWharf('pages-idle', { WHARF_ADMIN_PASSWORD: 'pages-idle-password', WHARF_PAGES_IDLE: '1' });
});

after(async () => {
  const left = await wharf.stop();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

async function pagesState(): Promise<string> {
  return ((await (await fetch(`${wharf.url}/api/health`)).json()) as { pages: string }).pages;
}

async function page(path: string): Promise<number> {
  const res = await fetch(`${wharf.url}${path}`);
  await res.text();
  return res.status;
}

async function until(state: string): Promise<void> {
  for (let i = 0; i < 600 && (await pagesState()) !== state; i++) await sleep(100);
  assert.equal(await pagesState(), state);
}

/** The page thread's sockets; a stopped thread's goes once the thread has exited. */
async function socketsLeft(): Promise<string[]> {
  const dir = join(wharf.runRoot, 'pages');
  for (let i = 0; i < 300 && (await readdir(dir)).length > 0; i++) await sleep(100);
  return readdir(dir);
}

test("Next runs on the build's resolved configuration, without loading SWC's native binding", async () => {
  assert.equal(await page('/login'), 200);
  // The build machinery's SWC binding is tens of megabytes mapped into the process.
  const maps = await readFile(`/proc/${wharf.pid}/maps`, 'utf8');
  assert.ok(maps.includes('better_sqlite3'), 'the maps list the native modules the server loaded');
  assert.ok(!/next-swc|@next\/swc/.test(maps), 'no SWC binding is loaded to serve pages');
});

test('what the page thread sets for Next stays in the thread, out of the processes the engine starts', async () => {
  assert.equal(await page('/login'), 200);
  const c = await wharf.docker.createContainer({ Image: 'busybox:latest', Cmd: ['sleep', '60'], HostConfig: { NetworkMode: 'none' } });
  try {
    await c.start();
    const conmon = (await readFile(join(wharf.runRoot, 'tasks', c.id, 'conmon.pid'), 'utf8')).trim();
    const environ = (await readFile(`/proc/${conmon}/environ`, 'utf8')).split('\0');
    assert.ok(environ.some((v) => v.startsWith('_OCI_SYNCPIPE=')), 'the monitor got the environment the engine gives it');
    assert.ok(!environ.some((v) => v.startsWith('__NEXT_PRIVATE')), 'no Next setting reached the monitor');
  } finally {
    await c.remove({ force: true });
  }
});

test('an idle page thread is stopped, its socket removed, and the next page starts it again', async () => {
  assert.equal(await page('/login'), 200);
  await until('unloaded');
  assert.deepEqual(await socketsLeft(), [], 'the stopped thread left no socket');
  // Only a running page thread can answer this: it was started again.
  assert.equal(await page('/login'), 200);
  await until('unloaded');
  assert.deepEqual(await socketsLeft(), []);
});
