import { z } from 'zod';
import { containerTargetSchema } from './ack.ts';

export const statsSubscribeSchema = containerTargetSchema;
export type StatsSubscribe = z.infer<typeof statsSubscribeSchema>;

/** One sample per second, computed as `docker stats` does. Sizes in bytes. */
export const statsSampleSchema = z.object({
  id: z.string(),
  /** Percent of one CPU (200 = two CPUs busy), like `docker stats`. */
  cpuPercent: z.number(),
  /** Usage minus page cache (inactive_file on cgroup v2, total_inactive_file/cache on v1). */
  memUsage: z.number(),
  memLimit: z.number(),
  memPercent: z.number(),
  netRx: z.number(),
  netTx: z.number(),
  blockRead: z.number(),
  blockWrite: z.number(),
  pids: z.number(),
  /** RFC 3339 time of the sample. */
  time: z.string(),
});
export type StatsSample = z.infer<typeof statsSampleSchema>;

/** The sample stream ended (container gone, engine unreachable). */
export const statsEndSchema = z.object({ id: z.string(), reason: z.string().optional() });
export type StatsEnd = z.infer<typeof statsEndSchema>;
