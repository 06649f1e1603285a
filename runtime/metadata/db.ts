import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations.ts';
import { FailedPreconditionError } from '../errors.ts';

export type DB = Database.Database;

/**
 * Open the metadata database in WAL mode and bring its schema up to date.
 * Each migration runs in its own transaction together with the user_version bump,
 * so a crash mid-migration leaves the previous version intact.
 */
export function openDatabase(path: string): DB {
  mkdirSync(dirname(path), { recursive: true });
  const db = cacheStatements(new Database(path));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  try {
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function schemaVersion(db: DB): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: DB): void {
  const current = schemaVersion(db);
  if (current > MIGRATIONS.length) {
    throw new FailedPreconditionError(`metadata schema version ${current} is newer than this Wharf understands (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/**
 * Prepare each SQL text once. Compiling a statement costs more than running it, and list
 * views run the same few queries for every row. Safe because no caller changes a statement's
 * mode (pluck, raw, expand) or iterates it.
 */
export function cacheStatements(db: DB): DB {
  const cache = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = prepare(sql)));
    return stmt;
  }) as DB['prepare'];
  return db;
}
