import type { Readable, Writable } from 'node:stream';

/** A helper process to start. */
export interface SpawnRequest {
  /** A path, or a name looked up in the PATH of `env`. */
  file: string;
  args: readonly string[];
  cwd?: string;
  /** The whole environment of the process. */
  env: Record<string, string | undefined>;
  input?: string | Uint8Array;
  /**
   * The process is a monitor that outlives the engine and reports on fd 3 (conmon's sync
   * pipe): it runs in its own session and the answer is its first line there, not its exit.
   */
  syncLine?: boolean;
}

/** Why a process could not start. */
export interface SpawnFailure { error: { message: string; code?: string } }

/** How it ended: its exit (or first sync line) and its output, or why it could not start. */
export type Spawned = { code: number; stdout: string; stderr: string; line?: string } | SpawnFailure;

/** A process started to run alongside the engine, its stdio piped as asked. */
export type StartRequest = Omit<SpawnRequest, 'input' | 'syncLine'>;

/** Which of a started process's stdio are pipes (the others are /dev/null). */
export interface StdioPipes { stdin: boolean; output: boolean }

/** How a process ended: its exit code, or the number of the signal that killed it. */
export interface Exit { code: number | null; signal: number | null }

/** A started process with the pipes asked for. */
export interface LiveProcess {
  pid: number;
  stdin: Writable | null;
  stdout: Readable | null;
  stderr: Readable | null;
  exited: Promise<Exit>;
}

/** 128 for a process killed by a signal, as the shell reports none. */
export function exitCode(code: number | null, signal: unknown): number {
  return code ?? (signal ? 128 : 1);
}
