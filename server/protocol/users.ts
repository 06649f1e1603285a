import { z } from 'zod';
import { passwordSchema, roleSchema, usernameSchema } from './auth.ts';

/** One row of GET /api/users (admin only). `createdAt` is an ISO 8601 time. */
export const userSummarySchema = z.object({
  username: z.string(),
  role: roleSchema,
  createdAt: z.string(),
});
export type UserSummary = z.infer<typeof userSummarySchema>;
export const userListSchema = z.array(userSummarySchema);

/** POST /api/users → 201 UserSummary. */
export const createUserRequestSchema = z.object({
  username: usernameSchema,
  password: passwordSchema,
  role: roleSchema,
});
export type CreateUserRequest = z.infer<typeof createUserRequestSchema>;

/** PATCH /api/users/:username → 200 UserSummary. */
export const updateUserRequestSchema = z.object({
  role: roleSchema.optional(),
  password: passwordSchema.optional(),
}).refine((b) => b.role !== undefined || b.password !== undefined, { message: 'nothing to change: give role or password' });
export type UpdateUserRequest = z.infer<typeof updateUserRequestSchema>;
