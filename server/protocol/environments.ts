import { z } from 'zod';

/** The embedded engine's environment id. */
export const LOCAL_ENVIRONMENT_ID = 'local';

export const environmentTypeSchema = z.enum(['embedded', 'docker']);
export const environmentStatusSchema = z.enum(['up', 'down']);

/** One row of GET /api/environments; `status` comes from the engine's `/_ping`. */
export const environmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: environmentTypeSchema,
  /** Remote endpoints only: `unix:///path.sock`, `tcp://host:port`, `http(s)://host:port`. */
  url: z.string().optional(),
  status: environmentStatusSchema,
});
export type Environment = z.infer<typeof environmentSchema>;
export const environmentListSchema = z.array(environmentSchema);

export const environmentUrlSchema = z.string().refine((value) => {
  try {
    const url = new URL(value);
    if (url.protocol === 'unix:') return url.pathname.startsWith('/') && url.pathname.length > 1;
    return ['tcp:', 'http:', 'https:'].includes(url.protocol) && url.hostname !== '';
  } catch {
    return false;
  }
}, 'url must be unix:///path.sock, tcp://host:port, http://host:port or https://host:port');

/** POST /api/environments (admin) → 201 Environment. */
export const createEnvironmentRequestSchema = z.object({
  name: z.string().trim().min(1, 'name is required').max(64),
  url: environmentUrlSchema,
});
export type CreateEnvironmentRequest = z.infer<typeof createEnvironmentRequestSchema>;

/** Where the UI reaches an environment's Docker Engine API: `dockerPath('local', '/containers/json')`. */
export function dockerPath(env: string, path: string): string {
  return `/api/environments/${encodeURIComponent(env)}/docker${path.startsWith('/') ? path : `/${path}`}`;
}
