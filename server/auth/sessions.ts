import { createHash, randomBytes } from 'node:crypto';
import type { SessionUser } from '../protocol/index.ts';
import type { DashboardDb } from './db.ts';

export const SESSION_IDLE_MS = 12 * 60 * 60 * 1000;
export const SESSION_MAX_MS = 7 * 24 * 60 * 60 * 1000;
/** last_seen is rewritten at most this often, so reading pages does not mean writing the database. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface Session { idHash: string; user: SessionUser; expiresAt: number }

type RevokeListener = (idHashes: string[]) => void;

/**
 * Sign-in sessions: the cookie carries 32 random bytes; the database keeps only their
 * sha256, so a leaked database cannot be replayed as cookies. Sessions expire after 12 h
 * without use and 7 days after sign-in, whichever comes first.
 */
export class SessionStore {
  private readonly listeners = new Set<RevokeListener>();

  constructor(private readonly db: DashboardDb, private readonly now: () => number = Date.now) {}

  /** Returns the cookie value; it is never stored. */
  create(username: string): string {
    const token = randomBytes(32).toString('base64url');
    const now = this.now();
    this.prune(now);
    this.db.prepare('INSERT INTO sessions (id_hash, username, created_at, last_seen) VALUES (?, ?, ?, ?)').run(hashToken(token), username, now, now);
    return token;
  }

  /** The live session of a cookie value, sliding its idle expiry; undefined when unknown or expired. */
  resolve(token: string | undefined): Session | undefined {
    if (!token || token.length > 128) return undefined;
    const idHash = hashToken(token);
    const row = this.db.prepare(`
      SELECT s.created_at, s.last_seen, u.username, u.role FROM sessions s JOIN users u ON u.username = s.username
      WHERE s.id_hash = ?`).get(idHash) as { created_at: number; last_seen: number; username: string; role: SessionUser['role'] } | undefined;
    if (!row) return undefined;
    const now = this.now();
    if (now - row.last_seen > SESSION_IDLE_MS || now - row.created_at > SESSION_MAX_MS) {
      this.revokeHashes([idHash]);
      return undefined;
    }
    if (now - row.last_seen > TOUCH_EVERY_MS) this.db.prepare('UPDATE sessions SET last_seen = ? WHERE id_hash = ?').run(now, idHash);
    const expiresAt = Math.min(now + SESSION_IDLE_MS, row.created_at + SESSION_MAX_MS);
    return { idHash, user: { username: row.username, role: row.role }, expiresAt };
  }

  revoke(token: string): void {
    this.revokeHashes([hashToken(token)]);
  }

  /** Ends every session of a user (password changed, user deleted), except `keep`. */
  revokeUser(username: string, keep?: string): void {
    this.revokeHashes(this.idHashesOf(username).filter((h) => h !== keep));
  }

  idHashesOf(username: string): string[] {
    return (this.db.prepare('SELECT id_hash FROM sessions WHERE username = ?').all(username) as { id_hash: string }[]).map((r) => r.id_hash);
  }

  /** Called with the hashes of ended sessions, so open websockets of those sessions can be closed. */
  onRevoke(listener: RevokeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Ends sessions by stored id (sha256 of the cookie value). */
  revokeHashes(idHashes: string[]): void {
    if (idHashes.length === 0) return;
    const del = this.db.prepare('DELETE FROM sessions WHERE id_hash = ?');
    this.db.transaction(() => { for (const h of idHashes) del.run(h); })();
    for (const listener of this.listeners) listener(idHashes);
  }

  private prune(now: number): void {
    this.db.prepare('DELETE FROM sessions WHERE last_seen < ? OR created_at < ?').run(now - SESSION_IDLE_MS, now - SESSION_MAX_MS);
  }
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
