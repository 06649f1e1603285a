/**
 * `--log-driver none` keeps no log, but conmon still writes its k8s-file: attach follows it.
 *
 * conmon is given no `--log-size-max` for it. With one, conmon starts a new file whenever the
 * limit is reached, whoever is reading: an attached client that reads slower than the
 * container writes falls more than one file behind, and the files in between are lost to it
 * (dockerd's attach never loses output: a slow client holds the container back instead).
 *
 * The engine bounds the file instead: past ATTACH_BUFFER, once every attach reader reads the
 * current file, it has conmon start a new one through its control fifo. conmon then closes the
 * old file and renames a fresh one over the path, so no byte falls between the two; a reader
 * reads the old file to its end and continues at the path; no second new file is started
 * before it got there (followers.ts). Nothing is ever truncated under conmon's feet: cutting
 * the file from outside would race its appends (bytes written between "everyone has read to
 * here" and the truncate would be lost), which no check from this side can close.
 *
 * Bounds: with nobody attached the file is ATTACH_BUFFER plus what conmon writes before the
 * engine looks again (each write wakes it). A slow reader keeps its file open, and the current
 * one grows by as much as it lags, up to LAG_LIMIT: past that a new file is started anyway (and
 * that reader loses the one in between). While the engine is down nothing starts new files;
 * the first look after its boot does.
 */
import { stat } from 'node:fs/promises';
import type { ChangeWaiter } from '../tasks/logs/follow.ts';
import { LAG_LIMIT, type LogFollowers } from '../tasks/logs/followers.ts';

export const ATTACH_BUFFER = 1024 * 1024;

/** Keeps a running `none` container's conmon log near ATTACH_BUFFER until the waiter reports its exit. */
export async function keepAttachBuffer(path: string, followers: () => LogFollowers | undefined, reopen: () => Promise<void>, waiter: ChangeWaiter, signal: AbortSignal): Promise<void> {
  // The file a new one was asked after: asked once (conmon answers by renaming over the path).
  let asked: number | undefined;
  while (!waiter.exited && !signal.aborted) {
    const st = await stat(path).catch(() => undefined);
    if (st && st.size > ATTACH_BUFFER && st.ino !== asked && (st.size > LAG_LIMIT || (followers()?.allIn(st.ino) ?? true))) {
      asked = st.ino;
      // conmon gone: the container exited, and the waiter says so next.
      await reopen().catch(() => undefined);
    }
    await waiter.wait();
  }
}
