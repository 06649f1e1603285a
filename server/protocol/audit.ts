import { z } from 'zod';

/** One recorded action (GET /api/audit). Times are unix milliseconds. */
export interface AuditEntry {
  id: number;
  time: number;
  /** The signed-in user, or the name a failed sign-in tried. */
  username: string;
  /** admin, operator, readonly; `anonymous` when nobody was signed in. */
  role: string;
  /** A short name such as `container.create`, `image.pull`, `auth.login`. */
  action: string;
  method: string;
  /** The route pattern, e.g. `/containers/:id/start`, never a raw path with its query. */
  route: string;
  target: string | null;
  environment: string | null;
  source: string;
  status: number;
  /** The failure's message when `status` is 400 or more. */
  error: string | null;
}

/** GET /api/audit → 200; `next` is the `before` cursor of the next (older) page. */
export interface AuditPage { entries: AuditEntry[]; next: number | null }

/** A time as unix milliseconds or an ISO 8601 date. */
const timeSchema = z.string().trim().min(1).transform((s, ctx) => {
  const t = /^\d+$/.test(s) ? Number(s) : Date.parse(s);
  if (!Number.isFinite(t)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'not a time: give unix milliseconds or an ISO 8601 date' });
    return z.NEVER;
  }
  return t;
});

/** The query string of GET /api/audit and /api/audit/export. */
export const auditQuerySchema = z.object({
  user: z.string().trim().min(1).max(128).optional(),
  /** An exact action, or a resource (`container`) for all its actions. */
  action: z.string().trim().min(1).max(64).optional(),
  environment: z.string().trim().min(1).max(128).optional(),
  result: z.enum(['success', 'failure']).optional(),
  since: timeSchema.optional(),
  until: timeSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});
export type AuditQuery = z.infer<typeof auditQuerySchema>;
