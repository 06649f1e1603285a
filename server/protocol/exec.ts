import { z } from 'zod';
import { containerTargetSchema } from './ack.ts';

const cols = z.number().int().min(1).max(1000);
const rows = z.number().int().min(1).max(1000);

/** `exec:start`: a TTY process in a running container. */
export const execStartSchema = containerTargetSchema.extend({
  cmd: z.array(z.string()).min(1, 'cmd must name a program'),
  user: z.string().optional(),
  cols,
  rows,
});
export type ExecStart = z.infer<typeof execStartSchema>;

/** Client → server keystrokes (UTF-8). */
export const execInputSchema = z.object({ id: z.string().min(1), data: z.string() });
export type ExecInput = z.infer<typeof execInputSchema>;

export const execResizeSchema = z.object({ id: z.string().min(1), cols, rows });
export type ExecResize = z.infer<typeof execResizeSchema>;

/** Server → client TTY output, decoded as UTF-8 (a character split across reads is kept whole). */
export const execDataSchema = z.object({ id: z.string(), data: z.string() });
export type ExecData = z.infer<typeof execDataSchema>;

/**
 * The session is over. `exitCode` is the process's exit code, or null when it is unknown
 * (closed by the client, idle timeout, engine unreachable); `reason` says which, for humans.
 */
export const execExitSchema = z.object({ id: z.string(), exitCode: z.number().int().nullable(), reason: z.string() });
export type ExecExit = z.infer<typeof execExitSchema>;

/** Sessions without input or output for this long are closed. */
export const EXEC_IDLE_TIMEOUT_MS = 30 * 60 * 1000;
