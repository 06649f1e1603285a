import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { FailedPreconditionError } from '../../runtime/index.ts';

export type DashboardDb = Database.Database;

/** Schema migrations of dashboard.db, applied in order; never edit a shipped entry, append one. */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE users (
    username TEXT PRIMARY KEY COLLATE NOCASE,
    password_hash TEXT NOT NULL,        -- argon2id PHC string
    role TEXT NOT NULL CHECK (role IN ('admin','operator','readonly')),
    created_at TEXT NOT NULL            -- ISO 8601
  );
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,           -- sha256 of the cookie value; the value itself is never stored
    username TEXT NOT NULL REFERENCES users(username) ON DELETE CASCADE ON UPDATE CASCADE,
    created_at INTEGER NOT NULL,        -- unix ms
    last_seen INTEGER NOT NULL          -- unix ms
  );
  CREATE INDEX sessions_username ON sessions(username);
  CREATE TABLE environments (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    url TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE registries (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    address TEXT NOT NULL UNIQUE COLLATE NOCASE, -- as image references name it: docker.io, host:port
    username TEXT NOT NULL,
    password_sealed BLOB,                        -- AES-256-GCM (server/registries/secret-box.ts); NULL when none
    created_at TEXT NOT NULL
  );
  `,
  `
  -- Every mutating action through the dashboard (server/audit/); never a body, a password or a credential.
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,  -- AUTOINCREMENT: ids never reused, so they order entries and page them
    time INTEGER NOT NULL,                 -- unix ms
    username TEXT NOT NULL,
    role TEXT NOT NULL,
    action TEXT NOT NULL,
    method TEXT NOT NULL,
    route TEXT NOT NULL,
    target TEXT,
    environment TEXT,
    source TEXT NOT NULL,
    status INTEGER NOT NULL,
    error TEXT
  );
  CREATE INDEX audit_time ON audit(time);
  CREATE INDEX audit_username ON audit(username COLLATE NOCASE, id);
  CREATE INDEX audit_action ON audit(action, id);
  `,
  `
  CREATE TABLE image_updates (
    reference TEXT NOT NULL,            -- the tag a container runs, e.g. host:5000/app:1
    image_id TEXT NOT NULL,             -- the local image the check compared
    local_digest TEXT,                  -- its repo digest for that repository; NULL when never pulled
    remote_digest TEXT,                 -- what a HEAD on the registry's manifest named
    status TEXT NOT NULL CHECK (status IN ('current','available','unknown','error')),
    error TEXT,
    checked_at TEXT NOT NULL,           -- ISO 8601
    PRIMARY KEY (reference, image_id)
  );
  CREATE TABLE container_rollbacks (
    container_name TEXT PRIMARY KEY,
    reference TEXT NOT NULL,            -- the tag the container followed before the update
    previous_image TEXT NOT NULL,       -- image id it ran before; kept under <repo>:<tag>-wharf-previous
    updated_at TEXT NOT NULL
  );
  `,
  `
  CREATE TABLE environment_security (
    environment TEXT PRIMARY KEY,       -- 'local' or an environments.id
    settings TEXT NOT NULL,             -- JSON: the rules relaxed for non-administrators
    updated_at TEXT NOT NULL
  );
  `,
];

/**
 * The dashboard's own database (users, sessions, environments), separate from the engine's
 * metadata so that either can be reset or migrated without the other.
 */
export function openDashboardDb(path: string): DashboardDb {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    db.close();
    throw new FailedPreconditionError(`${path}: schema version ${current} is newer than this Wharf understands (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
  return db;
}
