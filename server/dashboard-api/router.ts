import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuditNote } from '../audit/trail.ts';
import type { Session } from '../auth/sessions.ts';
import type { RouteSpec } from '../http/router.ts';

export interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Set on every route but the public ones. */
  session: Session | undefined;
  /** What the audit log should know that only the handler learns (who tried to sign in). */
  audit: AuditNote;
}

/** A success answer; failures are thrown as error classes and answered by `server/http/errors.ts`. */
export interface Reply { status: number; body?: unknown; headers?: Record<string, string | string[]> }

/** Resolves to the answer, or to nothing when the handler wrote the response itself (proxy). */
export type Handler = (ctx: Context) => Promise<Reply | void>;

/** public: no session; user: any signed-in user; admin: admins only. */
export type Access = 'public' | 'user' | 'admin';

/** A dashboard API route: served by `server/http/router.ts` like every route of the server. */
export interface Route extends RouteSpec { access: Access; handler: Handler }
