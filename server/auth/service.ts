import type { IncomingMessage } from 'node:http';
import { AlreadyExistsError, PermissionDeniedError, ResourceExhaustedError, UnauthenticatedError } from '../../runtime/index.ts';
import { MIN_PASSWORD_LENGTH, type SessionUser } from '../protocol/index.ts';
import { sessionToken } from './cookies.ts';
import type { DashboardDb } from './db.ts';
import { verifyPassword } from './passwords.ts';
import { Backoff } from './backoff.ts';
import { RateLimiter } from './rate-limit.ts';
import { SessionStore, type Session } from './sessions.ts';
import { SetupToken } from './setup-token.ts';
import { UserStore } from './users.ts';

/** A new session; failed sign-ins throw (Unauthenticated, PermissionDenied, AlreadyExists, ResourceExhausted). */
export interface SignIn { token: string; user: SessionUser; expiresAt: number }

const LIMIT_WINDOW_MS = 60_000;

/**
 * Accounts, sessions and sign-in. Failed sign-ins back off per username *and* client address
 * (5 free, then 1 s doubling to 15 min), so guessing one account from one place slows to a
 * crawl while the real user, signing in from elsewhere, is never locked out by someone else's
 * failures; and they are limited per client address (20 a minute), so one place cannot spray
 * many accounts.
 */
export class AuthService {
  readonly users: UserStore;
  readonly sessions: SessionStore;
  private readonly setupToken = new SetupToken();
  private readonly byUserAndAddress: Backoff;
  private readonly byAddress: RateLimiter;

  constructor(db: DashboardDb, now: () => number = Date.now) {
    this.byUserAndAddress = new Backoff({ free: 5, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: 60 * 60_000 }, now);
    this.byAddress = new RateLimiter(20, LIMIT_WINDOW_MS, now);
    this.users = new UserStore(db);
    this.sessions = new SessionStore(db);
  }

  /**
   * First start: the `admin` account from WHARF_ADMIN_PASSWORD(_FILE) when given, otherwise a
   * setup token in the log for whoever reads it to create the first admin.
   */
  async bootstrap(adminPassword: string | undefined, log: (line: string) => void): Promise<void> {
    if (this.users.count() > 0) return;
    if (adminPassword !== undefined) {
      if (adminPassword.length < MIN_PASSWORD_LENGTH) log(`wharf: warning: WHARF_ADMIN_PASSWORD is shorter than ${MIN_PASSWORD_LENGTH} characters`);
      await this.users.createFirst('admin', adminPassword, 'admin');
      log('wharf: created user admin from WHARF_ADMIN_PASSWORD');
      return;
    }
    log(`wharf: setup token: ${this.setupToken.issue()}`);
  }

  setupRequired(): boolean {
    return this.users.count() === 0;
  }

  /** The session of the request's cookie, if it is live. */
  authenticate(req: IncomingMessage): Session | undefined {
    return this.sessions.resolve(sessionToken(req));
  }

  async login(username: string, password: string, address: string): Promise<SignIn> {
    const pairKey = `${username.toLowerCase()}\0${address}`;
    this.checkLimits(address, pairKey);
    // Counted as failed until proven right, so parallel guesses cannot all slip under the limit.
    this.byAddress.fail(address);
    this.byUserAndAddress.fail(pairKey);
    const user = this.users.get(username);
    // Unknown users cost a verification too, so timing does not tell which names exist.
    const good = await verifyPassword(user && this.users.passwordHash(username), password);
    if (!good || !user) throw new UnauthenticatedError('invalid username or password');
    this.byAddress.forgiveOne(address);
    this.byUserAndAddress.reset(pairKey);
    return this.signIn(user);
  }

  async setup(req: { username: string; password: string; token: string }, address: string): Promise<SignIn> {
    this.checkLimits(address);
    if (!this.setupRequired()) throw new AlreadyExistsError('setup is already done: sign in instead');
    if (!this.setupToken.matches(req.token)) {
      this.byAddress.fail(address);
      throw new PermissionDeniedError('invalid setup token (it is printed in the server log as "wharf: setup token: …")');
    }
    const user = await this.users.createFirst(req.username, req.password, 'admin');
    if (!user) throw new AlreadyExistsError('setup is already done: sign in instead');
    this.setupToken.consume();
    return this.signIn(user);
  }

  private signIn(user: SessionUser): SignIn {
    const token = this.sessions.create(user.username);
    const session = this.sessions.resolve(token)!;
    return { token, user: session.user, expiresAt: session.expiresAt };
  }

  private checkLimits(address: string, pairKey?: string): void {
    const waitMs = Math.max(this.byAddress.retryAfterMs(address), pairKey === undefined ? 0 : this.byUserAndAddress.retryAfterMs(pairKey));
    if (waitMs <= 0) return;
    const retryAfterS = Math.ceil(waitMs / 1000);
    throw new ResourceExhaustedError(`too many failed attempts: try again in ${retryAfterS} s`, retryAfterS);
  }
}
