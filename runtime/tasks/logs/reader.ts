/**
 * Reads a container's k8s-file log (written by conmon) the way `docker logs` presents it:
 * stream selection, `tail`, `since`/`until` and `follow`, with bytes passed through untouched.
 *
 * Semantics:
 * - `since` and `until` are inclusive (`time >= since`, `time <= until`), as Docker compares
 *   them, and apply to each record (a line split into `P` records is filtered piece by piece).
 * - `tail` counts lines of the selected streams within the time window: the last N lines
 *   at or before `until`, not the last N lines of the file filtered afterwards.
 * - A missing log file reads as empty (a container that never started has no log yet).
 * - Aborting the signal ends the iteration quietly.
 */
import { stat } from 'node:fs/promises';
import { InvalidArgumentError } from '../../errors.ts';
import { Cursor, type LogChunk } from './cursor.ts';
import { LogFile } from './file.ts';
import type { LogFormat } from './formats.ts';
import type { RecordFilter } from './filter.ts';
import { ChangeWaiter } from './follow.ts';
import { Ticker } from '../../util/ticker.ts';
import type { LogFollower } from './followers.ts';
import { findSince } from './seek.ts';
import { findTailStart } from './tail.ts';
import { nowNs } from './time.ts';

export type { LogChunk } from './cursor.ts';

export interface LogReadOptions {
  follow?: boolean;
  /** Number of lines from the end; undefined means all. */
  tail?: number;
  sinceNs?: bigint;
  untilNs?: bigint;
  /** Both streams are read unless one is set to false. */
  stdout?: boolean;
  stderr?: boolean;
  /** Checked each time a following read reaches the end: false means no more output will come. */
  isRunning?: () => boolean | Promise<boolean>;
  /** Resolves when the container exits; a following read stops once it has read to the end. */
  exited?: Promise<void>;
  /** Called with the byte count of every read from the file (instrumentation for tests). */
  onRead?: (bytes: number) => void;
  /**
   * Consecutive records of one stream may come as one chunk, carrying the first one's time:
   * for readers that show no per-line timestamps, a million lines are then a few hundred chunks.
   */
  merge?: boolean;
  /** The file format: conmon's k8s-file unless given (json-file). */
  format?: LogFormat;
  /**
   * Opens the rotated files of the log (oldest first) with the current one, in one step the
   * writer does not rotate in between; without it only the file at `path` is read.
   */
  openFiles?: () => Promise<OpenedLog>;
  /**
   * Where this follower has read to is reported here, so the writer's side never moves the
   * log under it (followers.ts); a file handed over there is where it continues.
   */
  follower?: LogFollower;
}

export interface OpenedLog {
  older: LogFile[];
  current: LogFile | undefined;
}

/** Fallback poll while following, for filesystems where inotify misses writes (one clock for every follower). */
const POLL = new Ticker(250);

export async function* readLogs(path: string, opts: LogReadOptions = {}, signal?: AbortSignal): AsyncGenerator<LogChunk, void, undefined> {
  checkOptions(opts);
  const filter: RecordFilter = {
    streams: { stdout: opts.stdout ?? true, stderr: opts.stderr ?? true },
    sinceNs: opts.sinceNs,
    untilNs: opts.untilNs,
  };
  if (!filter.streams.stdout && !filter.streams.stderr) return;
  const follow = opts.follow === true;
  // Watch before the first read so a write between reading to the end and waiting is not missed.
  const waiter = follow ? new ChangeWaiter(path, { exited: opts.exited, signal, poll: POLL }) : undefined;
  let cursor: Cursor | undefined;
  let older: Cursor[] = [];
  try {
    const opened = opts.openFiles ? await opts.openFiles() : { older: [], current: await LogFile.open(path, opts.onRead, opts.format) };
    ({ older, cursor } = await startCursors(opened, filter, opts.tail, follow, opts.merge));
    const report = (): void => { if (cursor) opts.follower?.at(cursor.file.ino, cursor.offset); };
    report();
    // Rotated files no longer change: read them through before the current one.
    for (const old of older) {
      for (let batch = await old.next(); batch; batch = await old.next()) {
        for (const chunk of batch) yield chunk;
        if (signal?.aborted) return;
      }
      if (old.ended) return;
    }
    let rotated = false;
    for (;;) {
      if (signal?.aborted) return;
      // Decided before draining: if the container had already stopped, this drain is the last.
      const finished = !waiter || waiter.exited || (opts.isRunning !== undefined && !(await opts.isRunning()));
      for (let batch = await cursor?.next(); batch; batch = await cursor!.next()) {
        report();
        for (const chunk of batch) yield chunk;
        if (signal?.aborted) return;
      }
      if (!follow || cursor?.ended) return;
      if (filter.untilNs !== undefined && nowNs() > filter.untilNs) return;
      if (rotated) {
        // The old file has been read to its end after the rename; continue in the new one.
        rotated = false;
        await cursor?.file.close();
        const next = opts.follower?.takeSuccessor() ?? await LogFile.open(path, opts.onRead, opts.format);
        cursor = next && new Cursor(next, 0, filter, undefined, Infinity, opts.merge);
        report();
        continue;
      }
      const change = await checkFile(path, cursor, opts.follower?.hasSuccessor);
      // Even after the exit: the output may go on in a file started after this one.
      if (change === 'rotated') { rotated = true; continue; }
      if (finished) return;
      if (change === 'truncated') { cursor!.rewind(); continue; }
      if (change === 'appeared') {
        const next = await LogFile.open(path, opts.onRead, opts.format);
        if (next) { cursor = new Cursor(next, 0, filter, undefined, Infinity, opts.merge); report(); continue; }
      }
      await waiter!.wait();
    }
  } finally {
    waiter?.close();
    await cursor?.file.close();
    for (const old of older) await old.file.close();
  }
}

/**
 * Where reading starts in each file. `tail` counts back from the newest file into older ones
 * until it has its lines; files wholly before the tail (or the `since` time) are not read.
 */
async function startCursors(opened: OpenedLog, filter: RecordFilter, tail: number | undefined, follow: boolean, merge = false): Promise<{ older: Cursor[]; cursor: Cursor | undefined }> {
  const files = [...opened.older, ...(opened.current ? [opened.current] : [])];
  const endOf = (f: LogFile): number => (follow && f === opened.current ? Infinity : f.size);
  const cursors: Cursor[] = [];
  if (tail !== undefined) {
    let remaining = tail;
    for (let i = files.length - 1; i >= 0; i--) {
      const f = files[i]!;
      const found = await findTailStart(f, remaining, filter);
      cursors.unshift(new Cursor(f, found.start, filter, found.cutoff, endOf(f), merge));
      remaining -= found.count;
      if (found.done || remaining <= 0) {
        for (const skipped of files.slice(0, i)) await skipped.close();
        break;
      }
    }
  } else {
    for (const f of files) {
      const start = filter.sinceNs !== undefined ? await findSince(f, filter.sinceNs) : 0;
      cursors.push(new Cursor(f, start, filter, undefined, endOf(f), merge));
    }
  }
  const current = opened.current && cursors.at(-1)?.file === opened.current ? cursors.pop() : undefined;
  if (opened.current && !current) await opened.current.close();
  return { older: cursors, cursor: current };
}

/**
 * How the file at `path` differs from the one being read, after reading it to its end.
 * `handedOver`: the path went with its container, but the file after this one was kept.
 */
async function checkFile(path: string, cursor: Cursor | undefined, handedOver = false): Promise<'same' | 'rotated' | 'truncated' | 'appeared'> {
  let st;
  try {
    st = await stat(path);
  } catch {
    return handedOver && cursor ? 'rotated' : 'same';
  }
  if (!cursor) return 'appeared';
  if (st.ino !== cursor.file.ino || st.dev !== cursor.file.dev) return 'rotated';
  if ((await cursor.file.currentSize()) < cursor.offset) return 'truncated';
  return 'same';
}

function checkOptions(opts: LogReadOptions): void {
  if (opts.tail !== undefined && (!Number.isSafeInteger(opts.tail) || opts.tail < 0)) {
    throw new InvalidArgumentError(`logs: tail must be a non-negative integer, got ${opts.tail}`);
  }
  if (opts.sinceNs !== undefined && opts.untilNs !== undefined && opts.untilNs < opts.sinceNs) {
    throw new InvalidArgumentError('logs: until must not be before since');
  }
}
