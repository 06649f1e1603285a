import type { IncomingMessage } from 'node:http';
import { loginRequestSchema, setupRequestSchema, type AuthStatus, type LoginResponse } from '../protocol/index.ts';
import { sessionCookie, sessionToken } from '../auth/cookies.ts';
import { isHttps } from '../auth/origin.ts';
import type { AuthService, SignIn } from '../auth/service.ts';
import { SESSION_MAX_MS } from '../auth/sessions.ts';
import { readJson } from './body.ts';
import type { Reply, Route } from './router.ts';

function address(req: IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

function signedIn(req: IncomingMessage, result: SignIn): Reply {
  const body: LoginResponse = { user: result.user };
  // The cookie lives as long as the session can; the server ends it sooner after 12 h unused.
  const cookie = sessionCookie(result.token, { secure: isHttps(req), maxAgeMs: SESSION_MAX_MS });
  return { status: 200, body, headers: { 'Set-Cookie': cookie } };
}

/** Sign-in, first-run setup and sign-out (the contract's "Auth" section). */
export function authRoutes(auth: AuthService): Route[] {
  return [
    {
      method: 'GET', path: '/api/auth/status', access: 'public',
      handler: async ({ req }) => {
        const body: AuthStatus = { setupRequired: auth.setupRequired(), user: auth.authenticate(req)?.user ?? null };
        return { status: 200, body };
      },
    },
    {
      method: 'POST', path: '/api/auth/setup', access: 'public',
      handler: async ({ req }) => signedIn(req, await auth.setup(await readJson(req, setupRequestSchema), address(req))),
    },
    {
      method: 'POST', path: '/api/auth/login', access: 'public',
      handler: async ({ req, audit }) => {
        const { username, password } = await readJson(req, loginRequestSchema);
        audit.actor = { username, role: 'anonymous' };
        return signedIn(req, await auth.login(username, password, address(req)));
      },
    },
    {
      // Public so that a stale cookie can always be cleared.
      method: 'POST', path: '/api/auth/logout', access: 'public',
      handler: async ({ req }) => {
        const token = sessionToken(req);
        if (token) auth.sessions.revoke(token);
        return { status: 204, headers: { 'Set-Cookie': sessionCookie('', { secure: isHttps(req), maxAgeMs: 0 }) } };
      },
    },
  ];
}
