/**
 * Wakes a following log reader when there may be something new to read: the log file changed
 * (inotify through fs.watch), a poll tick passed (inotify misses writes on some filesystems,
 * e.g. overlay or network mounts), the container exited, or the reader was aborted.
 * The directory is watched rather than the file so a rotated (renamed-over) file is noticed.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Ticker } from '../../util/ticker.ts';

export interface ChangeWaiterOptions {
  exited?: Promise<void>;
  signal?: AbortSignal;
  /** The poll's clock, shared by the waiters of one kind: they all wake in one turn. */
  poll: Ticker;
}

export class ChangeWaiter {
  private watcher: FSWatcher | undefined;
  private readonly polling = new AbortController();
  private pending = false;
  private wake: (() => void) | undefined;
  private hasExited = false;
  private closed = false;
  private readonly onAbort = (): void => this.notify();

  constructor(path: string, private readonly opts: ChangeWaiterOptions) {
    const name = basename(path);
    try {
      this.watcher = watch(dirname(path), { persistent: false }, (_event, file) => {
        if (!file || file === name) this.notify();
      });
      this.watcher.on('error', () => this.stopWatching());
    } catch {
      // Out of inotify watches or the directory is missing: the poll still finds new lines.
      this.watcher = undefined;
    }
    void this.poll(opts.poll);
    const exitedNow = (): void => {
      this.hasExited = true;
      this.notify();
    };
    opts.exited?.then(exitedNow, exitedNow);
    opts.signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** The container's exit has been reported; whatever is in the file now is all there will be. */
  get exited(): boolean {
    return this.hasExited;
  }

  /** Resolves at the next wake-up, or at once if one happened since the last call. */
  wait(): Promise<void> {
    if (this.pending || this.closed || this.opts.signal?.aborted) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => { this.wake = resolve; });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.polling.abort();
    this.stopWatching();
    this.opts.signal?.removeEventListener('abort', this.onAbort);
    this.notify();
  }

  private async poll(ticker: Ticker): Promise<void> {
    while (await ticker.next(this.polling.signal)) this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    if (wake) {
      this.wake = undefined;
      wake();
    } else {
      this.pending = true;
    }
  }

  private stopWatching(): void {
    this.watcher?.close();
    this.watcher = undefined;
  }
}
