import { z } from 'zod';

export const ROLES = ['admin', 'operator', 'readonly'] as const;
export const roleSchema = z.enum(ROLES);
/** admin: everything; operator: containers without host access; readonly: GET/HEAD only. */
export type Role = z.infer<typeof roleSchema>;

/** The session cookie set by setup and login. */
export const SESSION_COOKIE = 'wharf_session';
export const MIN_PASSWORD_LENGTH = 12;

export const usernameSchema = z.string().min(1, 'username is required').max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'username may contain letters, digits, ".", "_" and "-"');
export const passwordSchema = z.string()
  .min(MIN_PASSWORD_LENGTH, `password must be at least ${MIN_PASSWORD_LENGTH} characters`).max(1024);

export const sessionUserSchema = z.object({ username: z.string(), role: roleSchema });
export type SessionUser = z.infer<typeof sessionUserSchema>;

/** GET /api/auth/status (no session needed). */
export const authStatusSchema = z.object({
  setupRequired: z.boolean(),
  user: sessionUserSchema.nullable(),
});
export type AuthStatus = z.infer<typeof authStatusSchema>;

/** POST /api/auth/setup: only while no user exists; `token` is printed in the server log. */
export const setupRequestSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  token: z.string().min(1, 'token is required'),
});
export type SetupRequest = z.infer<typeof setupRequestSchema>;

/** POST /api/auth/login. Passwords are not length-checked here: a wrong one is just wrong. */
export const loginRequestSchema = z.object({
  username: z.string().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** The 200 answer of setup and login. */
export const loginResponseSchema = z.object({ user: sessionUserSchema });
export type LoginResponse = z.infer<typeof loginResponseSchema>;
