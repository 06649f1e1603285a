/**
 * Every container's attach readers as followers of its conmon log (followers.ts), kept while it
 * has some: what keeping a `none` log small and giving back a json-file log's converted bytes
 * wait for.
 */
import { LogFollowers } from '../tasks/logs/followers.ts';
import { readLogs, type LogChunk, type LogReadOptions } from '../tasks/logs/index.ts';

export class AttachReaders {
  private readonly groups = new Map<string, LogFollowers>();

  /** @param onLeave a reader of `id` stopped following: what it held back may go now */
  constructor(private readonly onLeave: (id: string) => void) {}

  of(id: string): LogFollowers | undefined {
    return this.groups.get(id);
  }

  /**
   * Follows `path` for an attach to `id`. The reader counts from now (not from its first
   * read), so nothing moves the file between an attach and its first read.
   */
  follow(id: string, path: string, opts: LogReadOptions, signal: AbortSignal): AsyncGenerator<LogChunk> {
    let group = this.groups.get(id);
    if (!group) {
      const created = new LogFollowers(() => {
        if (created.size === 0 && this.groups.get(id) === created) this.groups.delete(id);
        this.onLeave(id);
      });
      this.groups.set(id, (group = created));
    }
    const follower = group.join();
    // A reader never iterated (its client went at once) leaves with the attach.
    const leave = (): void => follower.leave();
    signal.addEventListener('abort', leave, { once: true });
    return (async function* () {
      try {
        yield* readLogs(path, { ...opts, follower }, signal);
      } finally {
        signal.removeEventListener('abort', leave);
        follower.leave();
      }
    })();
  }
}
