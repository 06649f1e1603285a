import type { ConverterPaths, Converted } from './json-converter.ts';
import type { RotationLimits } from './json-writer.ts';

/** One container's conversion: what conmon wrote to its log (`key`) so far. */
export interface ConvertItem { key: string; paths: ConverterPaths; limits: RotationLimits }

/**
 * Convert the containers asked for in one turn of the event loop (one message for all the
 * containers a poll tick wakes), or stop converting one.
 */
export type ConvertRequest =
  | { op: 'convert'; items: ConvertItem[] }
  | { op: 'close'; key: string };

/** Each item's position (undefined: no source yet) or why it failed, in the request's order. */
export type ConvertResult = { converted?: Converted } | { error: { message: string; code?: string } };

export type ConvertReply =
  | { id: number; results: ConvertResult[]; threadId: number }
  | { id: number; threadId: number };
