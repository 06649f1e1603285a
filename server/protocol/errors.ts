import { z } from 'zod';

/** The body of every 4xx/5xx answer of the dashboard API (and of the Docker API it proxies). */
export const errorBodySchema = z.object({
  message: z.string(),
  /** The request field that was refused, as a dotted path (`HostConfig.Binds[0]`). */
  field: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
