import { z } from 'zod';
import { containerTargetSchema } from './ack.ts';

/**
 * `logs:subscribe`: follows a container's logs. Without `tail`, the last 500 lines are sent
 * first (`tail: 0` sends only new lines, `tail: -1` everything).
 */
export const logsSubscribeSchema = containerTargetSchema.extend({
  tail: z.number().int().min(-1).optional(),
  /** Unix seconds; only lines at or after this time. */
  since: z.number().nonnegative().optional(),
  /** Default true. When false the lines' `time` is the empty string. */
  timestamps: z.boolean().optional(),
  /** Both default true. */
  stdout: z.boolean().optional(),
  stderr: z.boolean().optional(),
});
export type LogsSubscribe = z.infer<typeof logsSubscribeSchema>;
export const DEFAULT_LOG_TAIL = 500;

export const logLineSchema = z.object({
  stream: z.enum(['stdout', 'stderr']),
  /** RFC 3339 with nanoseconds, as the engine recorded it. */
  time: z.string(),
  /** One line without its trailing newline; ANSI escapes kept as text. */
  text: z.string(),
});
export type LogLine = z.infer<typeof logLineSchema>;

/** Lines are batched: at most one chunk per subscription every 50 ms. */
export const logsChunkSchema = z.object({ id: z.string(), lines: z.array(logLineSchema) });
export type LogsChunk = z.infer<typeof logsChunkSchema>;

/** The stream ended: the container exited, was removed, or the engine went away (`reason`). */
export const logsEndSchema = z.object({ id: z.string(), reason: z.string().optional() });
export type LogsEnd = z.infer<typeof logsEndSchema>;
