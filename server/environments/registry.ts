import { randomBytes } from 'node:crypto';
import { AlreadyExistsError, ConflictError, NotFoundError } from '../../runtime/index.ts';
import { LOCAL_ENVIRONMENT_ID, type Environment } from '../protocol/index.ts';
import type { DashboardDb } from '../auth/db.ts';
import { DockerClient } from './client.ts';
import { parseEndpointUrl } from './endpoint.ts';

export type EnvironmentRecord = Omit<Environment, 'status'>;

interface Row { id: string; name: string; url: string }

/**
 * The engines the dashboard manages: the embedded one (`local`), reached over its own
 * Docker API socket so that it takes the same code path as every remote engine, and the
 * remote endpoints stored in dashboard.db.
 */
export class EnvironmentRegistry {
  private readonly clients = new Map<string, DockerClient>();

  constructor(private readonly db: DashboardDb, localSocketPath: string) {
    this.clients.set(LOCAL_ENVIRONMENT_ID, new DockerClient({ kind: 'unix', socketPath: localSocketPath }));
  }

  records(): EnvironmentRecord[] {
    const rows = this.db.prepare('SELECT id, name, url FROM environments ORDER BY name').all() as Row[];
    return [{ id: LOCAL_ENVIRONMENT_ID, name: LOCAL_ENVIRONMENT_ID, type: 'embedded' }, ...rows.map(toRecord)];
  }

  record(id: string): EnvironmentRecord | undefined {
    if (id === LOCAL_ENVIRONMENT_ID) return this.records()[0];
    const row = this.db.prepare('SELECT id, name, url FROM environments WHERE id = ?').get(id) as Row | undefined;
    return row && toRecord(row);
  }

  /** Every environment with its status, pinged in parallel. */
  list(): Promise<Environment[]> {
    return Promise.all(this.records().map((r) => this.withStatus(r)));
  }

  async get(id: string): Promise<Environment> {
    const record = this.record(id);
    if (!record) throw new NotFoundError(`no such environment: ${id}`);
    return this.withStatus(record);
  }

  /** The Docker API client of an environment; undefined when there is no such environment. */
  client(id: string): DockerClient | undefined {
    const cached = this.clients.get(id);
    if (cached) return cached;
    const record = this.record(id);
    if (!record?.url) return undefined;
    const client = new DockerClient(parseEndpointUrl(record.url));
    this.clients.set(id, client);
    return client;
  }

  add(name: string, url: string): Promise<Environment> {
    parseEndpointUrl(url);
    if (name.toLowerCase() === LOCAL_ENVIRONMENT_ID) throw new AlreadyExistsError(`environment name ${name} is taken by the embedded engine`);
    const id = randomBytes(6).toString('hex');
    try {
      this.db.prepare('INSERT INTO environments (id, name, url, created_at) VALUES (?, ?, ?, ?)').run(id, name, url, new Date().toISOString());
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new AlreadyExistsError(`an environment named ${name} already exists`);
      throw err;
    }
    return this.get(id);
  }

  remove(id: string): void {
    if (id === LOCAL_ENVIRONMENT_ID) throw new ConflictError('the embedded environment cannot be removed');
    const { changes } = this.db.prepare('DELETE FROM environments WHERE id = ?').run(id);
    if (changes === 0) throw new NotFoundError(`no such environment: ${id}`);
    this.clients.get(id)?.close();
    this.clients.delete(id);
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private async withStatus(record: EnvironmentRecord): Promise<Environment> {
    const up = await this.client(record.id)?.ping() ?? false;
    return { ...record, status: up ? 'up' : 'down' };
  }
}

function toRecord(row: Row): EnvironmentRecord {
  return { id: row.id, name: row.name, type: 'docker', url: row.url };
}
