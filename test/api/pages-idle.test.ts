/**
 * The dashboard's page thread keeps its memory small: Next loads only the build's resolved
 * configuration, never the build machinery.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';

let wharf: Wharf;

before(async () => {
  wharf = await startWharf('pages-idle', { WHARF_ADMIN_PASSWORD: 'pages-idle-password' });
});

after(async () => {
  const left = await wharf.stop();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

async function page(path: string): Promise<number> {
  const res = await fetch(`${wharf.url}${path}`);
  await res.text();
  return res.status;
}

test("Next runs on the build's resolved configuration, without loading SWC's native binding", async () => {
  assert.equal(await page('/login'), 200);
  // The build machinery's SWC binding is tens of megabytes mapped into the process.
  const maps = await readFile(`/proc/${wharf.pid}/maps`, 'utf8');
  assert.ok(maps.includes('better_sqlite3'), 'the maps list the native modules the server loaded');
  assert.ok(!/next-swc|@next\/swc/.test(maps), 'no SWC binding is loaded to serve pages');
});
