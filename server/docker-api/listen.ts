import type http from 'node:http';
import { chmod, chown, mkdir, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { connect } from 'node:net';

/**
 * Listen on the Docker API unix socket: mode 0660, owned by root (and the `docker` group's
 * convention is left to the administrator). A stale socket from a crash is replaced; one
 * that still answers belongs to a running engine and is an error.
 */
export async function listenUnix(server: http.Server, path: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o711 });
  if (await exists(path)) {
    if (await answers(path)) throw new Error(`${path} is in use by another engine`);
    await rm(path, { force: true });
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => { server.off('error', reject); resolve(); });
  });
  await chmod(path, 0o660);
  await chown(path, 0, 0);
}

async function exists(p: string): Promise<boolean> {
  try { await stat(p); return true; } catch { return false; }
}

function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(path);
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}
