import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** TLS material for one registry, as Docker reads it from `certs.d/<host>/`. */
export interface RegistryTLS { ca: Buffer[]; cert?: Buffer; key?: Buffer }

/**
 * Read `<dir>/<host>/` in every certs directory: `*.crt` are extra CAs, `client.cert` and
 * `client.key` a client certificate (Docker's layout). Undefined when no directory names the host.
 */
export async function readRegistryTLS(certDirs: readonly string[], host: string): Promise<RegistryTLS | undefined> {
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host) || host.includes('..')) return undefined;
  let found = false;
  const tls: RegistryTLS = { ca: [] };
  for (const base of certDirs) {
    const dir = join(base, host);
    let names: string[];
    try { names = await readdir(dir); } catch { continue; }
    found = true;
    for (const name of names.sort()) {
      if (name.endsWith('.crt')) tls.ca.push(await readFile(join(dir, name)));
      else if (name === 'client.cert') tls.cert = await readFile(join(dir, name));
      else if (name === 'client.key') tls.key = await readFile(join(dir, name));
    }
  }
  return found ? tls : undefined;
}
