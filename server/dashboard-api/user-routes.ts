import { createUserRequestSchema, updateUserRequestSchema, type UserSummary } from '../protocol/index.ts';
import type { AuthService } from '../auth/service.ts';
import { readJson } from './body.ts';
import type { Route } from './router.ts';

/** Account management, for admins. */
export function userRoutes(auth: AuthService): Route[] {
  return [
    {
      method: 'GET', path: '/api/users', access: 'admin',
      handler: async () => ({ status: 200, body: auth.users.list() satisfies UserSummary[] }),
    },
    {
      method: 'POST', path: '/api/users', access: 'admin',
      handler: async ({ req }) => {
        const { username, password, role } = await readJson(req, createUserRequestSchema);
        return { status: 201, body: await auth.users.create(username, password, role) };
      },
    },
    {
      method: 'PATCH', path: '/api/users/:username', access: 'admin',
      handler: async ({ req, params, session }) => {
        const change = await readJson(req, updateUserRequestSchema);
        const user = await auth.users.update(params.username!, change);
        // A new password signs the account out everywhere but here.
        if (change.password !== undefined) auth.sessions.revokeUser(user.username, session!.idHash);
        return { status: 200, body: user };
      },
    },
    {
      method: 'DELETE', path: '/api/users/:username', access: 'admin',
      handler: async ({ params, session }) => {
        const sessions = auth.sessions.idHashesOf(params.username!);
        auth.users.remove(params.username!, session!.user);
        auth.sessions.revokeHashes(sessions);
        return { status: 204 };
      },
    },
  ];
}
