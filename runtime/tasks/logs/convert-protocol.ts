import type { ConverterPaths, Converted } from './json-converter.ts';
import type { RotationLimits } from './json-writer.ts';

/** Convert what conmon has written to a container's log (`key`), or stop converting it. */
export type ConvertRequest =
  | { op: 'convert'; key: string; paths: ConverterPaths; limits: RotationLimits }
  | { op: 'close'; key: string };

/** A conversion's position (undefined: no source yet), or why it failed. */
export type ConvertReply =
  | { id: number; converted?: Converted; threadId: number }
  | { id: number; error: { message: string; code?: string } };
