import type { Session } from './types.ts';

/**
 * The sessions of one client connection. Several clients (or tabs) can follow the same
 * container: each has its own sessions and engine streams. Everything is disposed when the
 * connection goes.
 */
export class SessionSet {
  private readonly sessions = new Map<string, Session>();
  private closed = false;

  /** False (and the session disposed) when the connection closed while the session was opening. */
  add(session: Session): boolean {
    if (this.closed) {
      session.dispose();
      return false;
    }
    this.sessions.set(session.id, session);
    return true;
  }

  get<K extends Session['kind']>(id: string, kind: K): Session | undefined {
    const session = this.sessions.get(id);
    return session?.kind === kind ? session : undefined;
  }

  /** Disposes one session; false when there is no such session of that kind. */
  remove(id: string, kind: Session['kind']): boolean {
    const session = this.get(id, kind);
    if (!session) return false;
    this.sessions.delete(id);
    session.dispose();
    return true;
  }

  /** Forgets a session that ended by itself (its engine stream is already closed). */
  forget(id: string): void {
    this.sessions.delete(id);
  }

  disposeAll(): void {
    this.closed = true;
    for (const session of this.sessions.values()) session.dispose();
    this.sessions.clear();
  }
}
