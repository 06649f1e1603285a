import { z } from 'zod';

/** `events:subscribe`: Docker's `/events` filters, e.g. `{ type: ['container'], event: ['start'] }`. */
export const eventsSubscribeSchema = z.object({
  env: z.string().min(1, 'env is required'),
  filters: z.record(z.array(z.string())).optional(),
});
export type EventsSubscribe = z.infer<typeof eventsSubscribeSchema>;

/** A Docker event message exactly as the engine's `/events` sends it. */
export const dockerEventSchema = z.object({
  Type: z.string(),
  Action: z.string(),
  Actor: z.object({ ID: z.string(), Attributes: z.record(z.string()).optional() }),
  scope: z.string().optional(),
  time: z.number(),
  timeNano: z.number(),
  /** Deprecated fields older clients read. */
  status: z.string().optional(),
  id: z.string().optional(),
  from: z.string().optional(),
}).passthrough();
export type DockerEvent = z.infer<typeof dockerEventSchema>;

export const eventsEventSchema = z.object({ id: z.string(), event: dockerEventSchema });
export type EventsEvent = z.infer<typeof eventsEventSchema>;

/** The event stream ended (engine unreachable or restarted); subscribe again to resume. */
export const eventsEndSchema = z.object({ id: z.string(), reason: z.string().optional() });
export type EventsEnd = z.infer<typeof eventsEndSchema>;
