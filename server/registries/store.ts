import { randomBytes } from 'node:crypto';
import { AlreadyExistsError, NotFoundError, type Credentials } from '../../runtime/index.ts';
import type { DashboardDb } from '../auth/db.ts';
import type { Registry } from '../protocol/index.ts';
import type { SecretBox } from './secret-box.ts';

interface Row { id: string; name: string; address: string; username: string; password_sealed: Buffer | null }

export interface RegistryInput { name: string; address: string; username: string; password: string }

/** `https://host:port/v1/` → `host:port`; Docker Hub's addresses all mean the one registry `docker.io`. */
export function normalizeAddress(address: string): string {
  const a = address.trim().toLowerCase().replace(/^https?:\/\//, '').replace(/\/.*$/, '');
  return ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'].includes(a) ? 'docker.io' : a;
}

/**
 * Registries and their credentials in dashboard.db; passwords sealed by the SecretBox and
 * opened only to be handed to the engine in X-Registry-Auth, never returned or logged.
 */
export class RegistryStore {
  constructor(private readonly db: DashboardDb, private readonly box: SecretBox) {}

  list(): Registry[] {
    return (this.db.prepare('SELECT * FROM registries ORDER BY name').all() as Row[]).map(toDTO);
  }

  get(id: string): Registry {
    return toDTO(this.row(id));
  }

  add(input: RegistryInput): Registry {
    const id = randomBytes(6).toString('hex');
    const address = normalizeAddress(input.address);
    try {
      this.db.prepare('INSERT INTO registries (id, name, address, username, password_sealed, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(id, input.name, address, input.username, this.seal(input.password, id), new Date().toISOString());
    } catch (e) {
      throw unique(e, input.name, address);
    }
    return this.get(id);
  }

  update(id: string, change: Partial<RegistryInput>): Registry {
    const row = this.row(id);
    const next = {
      name: change.name ?? row.name,
      address: change.address !== undefined ? normalizeAddress(change.address) : row.address,
      username: change.username ?? row.username,
      sealed: change.password !== undefined ? this.seal(change.password, id) : row.password_sealed,
    };
    try {
      this.db.prepare('UPDATE registries SET name = ?, address = ?, username = ?, password_sealed = ? WHERE id = ?')
        .run(next.name, next.address, next.username, next.sealed, id);
    } catch (e) {
      throw unique(e, next.name, next.address);
    }
    return this.get(id);
  }

  remove(id: string): void {
    if (this.db.prepare('DELETE FROM registries WHERE id = ?').run(id).changes === 0) throw new NotFoundError(`no such registry: ${id}`);
  }

  /** The stored credentials of a registry by id. */
  credentials(id: string): Credentials {
    return this.open(this.row(id));
  }

  /** Every registry's stored credentials, for a build whose base images may come from any of them. */
  allCredentials(): Credentials[] {
    return (this.db.prepare('SELECT * FROM registries ORDER BY name').all() as Row[]).map((row) => this.open(row));
  }

  /** The stored credentials for the registry an image reference names, if any. */
  credentialsFor(domain: string): Credentials | undefined {
    const row = this.db.prepare('SELECT * FROM registries WHERE address = ?').get(normalizeAddress(domain)) as Row | undefined;
    return row && this.open(row);
  }

  private row(id: string): Row {
    const row = this.db.prepare('SELECT * FROM registries WHERE id = ?').get(id) as Row | undefined;
    if (!row) throw new NotFoundError(`no such registry: ${id}`);
    return row;
  }

  private seal(password: string, id: string): Buffer | null {
    return password ? this.box.seal(password, `registry:${id}`) : null;
  }

  private open(row: Row): Credentials {
    const password = row.password_sealed ? this.box.open(row.password_sealed, `registry:${row.id}`) : '';
    return { username: row.username, password, serveraddress: row.address };
  }
}

function toDTO(row: Row): Registry {
  return { id: row.id, name: row.name, address: row.address, username: row.username, hasPassword: row.password_sealed !== null };
}

function unique(e: unknown, name: string, address: string): Error {
  const msg = (e as Error).message;
  if (/UNIQUE.*registries\.name/.test(msg)) return new AlreadyExistsError(`a registry named ${name} exists already`);
  if (/UNIQUE.*registries\.address/.test(msg)) return new AlreadyExistsError(`registry ${address} has credentials already`);
  return e as Error;
}
