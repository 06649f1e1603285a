import { z } from 'zod';

/** What every client → server socket event answers through its ack callback. */
export const ackSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), id: z.string() }),
  z.object({ ok: z.literal(false), message: z.string() }),
]);
export type Ack = z.infer<typeof ackSchema>;
export type AckCallback = (res: Ack) => void;

/** The payload of every `*:unsubscribe` / `exec:close`. */
export const sessionRefSchema = z.object({ id: z.string().min(1) });
export type SessionRef = z.infer<typeof sessionRefSchema>;

/** The environment and container a session is about. `container` is an id, id prefix or name. */
export const containerTargetSchema = z.object({
  env: z.string().min(1, 'env is required'),
  container: z.string().min(1, 'container is required'),
});
