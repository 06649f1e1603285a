import { AlreadyExistsError, ConflictError, NotFoundError } from '../../runtime/index.ts';
import type { Role, SessionUser, UserSummary } from '../protocol/index.ts';
import type { DashboardDb } from './db.ts';
import { hashPassword } from './passwords.ts';

interface UserRow { username: string; password_hash: string; role: Role; created_at: string }

/** Dashboard accounts. Usernames are unique without regard to case. */
export class UserStore {
  constructor(private readonly db: DashboardDb) {}

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM users').get() as { n: number }).n;
  }

  list(): UserSummary[] {
    return (this.db.prepare('SELECT * FROM users ORDER BY username').all() as UserRow[]).map(summary);
  }

  get(username: string): UserSummary | undefined {
    const row = this.row(username);
    return row && summary(row);
  }

  /** The stored argon2id hash, for login. */
  passwordHash(username: string): string | undefined {
    return this.row(username)?.password_hash;
  }

  async create(username: string, password: string, role: Role): Promise<UserSummary> {
    const passwordHash = await hashPassword(password);
    const createdAt = new Date().toISOString();
    try {
      this.db.prepare('INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)').run(username, passwordHash, role, createdAt);
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') throw new AlreadyExistsError(`user ${username} already exists`);
      throw err;
    }
    return { username, role, createdAt };
  }

  /**
   * Creates the first account only while there is none, in one transaction, so two
   * concurrent setups cannot both succeed.
   */
  async createFirst(username: string, password: string, role: Role): Promise<UserSummary | undefined> {
    const passwordHash = await hashPassword(password);
    const createdAt = new Date().toISOString();
    const created = this.db.transaction(() => {
      if (this.count() > 0) return false;
      this.db.prepare('INSERT INTO users (username, password_hash, role, created_at) VALUES (?, ?, ?, ?)').run(username, passwordHash, role, createdAt);
      return true;
    }).immediate();
    return created ? { username, role, createdAt } : undefined;
  }

  async update(username: string, change: { role?: Role; password?: string }): Promise<UserSummary> {
    const passwordHash = change.password === undefined ? undefined : await hashPassword(change.password);
    return this.db.transaction(() => {
      const row = this.row(username);
      if (!row) throw new NotFoundError(`no such user: ${username}`);
      if (change.role !== undefined && change.role !== 'admin' && row.role === 'admin' && this.admins() === 1) {
        throw new ConflictError(`${row.username} is the last admin: make another user admin first`);
      }
      if (change.role !== undefined) this.db.prepare('UPDATE users SET role = ? WHERE username = ?').run(change.role, row.username);
      if (passwordHash !== undefined) this.db.prepare('UPDATE users SET password_hash = ? WHERE username = ?').run(passwordHash, row.username);
      return summary(this.row(row.username)!);
    }).immediate();
  }

  /** Removes a user and, through the foreign key, their sessions. */
  remove(username: string, actor: SessionUser): void {
    this.db.transaction(() => {
      const row = this.row(username);
      if (!row) throw new NotFoundError(`no such user: ${username}`);
      if (row.username.toLowerCase() === actor.username.toLowerCase()) throw new ConflictError('you cannot delete your own account');
      if (row.role === 'admin' && this.admins() === 1) throw new ConflictError(`${row.username} is the last admin`);
      this.db.prepare('DELETE FROM users WHERE username = ?').run(row.username);
    }).immediate();
  }

  private admins(): number {
    return (this.db.prepare("SELECT count(*) AS n FROM users WHERE role = 'admin'").get() as { n: number }).n;
  }

  private row(username: string): UserRow | undefined {
    return this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
  }
}

function summary(row: UserRow): UserSummary {
  return { username: row.username, role: row.role, createdAt: row.created_at };
}
