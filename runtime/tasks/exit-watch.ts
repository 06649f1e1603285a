import { watch, type FSWatcher } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface ExitStatus { code: number; finishedAt: Date }

/**
 * conmon writes `<exitDir>/<id>` with the exit code when a container's init exits.
 * One inotify watch on the directory tells every waiter; a slow poll covers the rare
 * case of a missed event so that no exit goes unnoticed. The poll lists the directory once
 * rather than trying each running container's file: its cost stays flat however many run.
 */
export class ExitWatcher {
  private watcher?: FSWatcher;
  private poll?: NodeJS.Timeout;
  private readonly pending = new Map<string, ((s: ExitStatus) => void)[]>();

  constructor(private readonly dir: string, private readonly onExit: (id: string, s: ExitStatus) => void) {}

  start(): void {
    this.watcher = watch(this.dir, (_ev, name) => { if (name) void this.check(name.toString()); });
    this.poll = setInterval(() => void this.sweep(), 1000);
    this.poll.unref();
  }

  stop(): void {
    this.watcher?.close();
    if (this.poll) clearInterval(this.poll);
  }

  /** Track a started container; resolves when its exit file appears. */
  track(id: string): Promise<ExitStatus> {
    return new Promise((resolve) => {
      const list = this.pending.get(id) ?? [];
      list.push(resolve);
      this.pending.set(id, list);
      void this.check(id);
    });
  }

  untrack(id: string): void {
    this.pending.delete(id);
  }

  /** The exit status if the container has exited, without waiting. */
  async read(id: string): Promise<ExitStatus | undefined> {
    const p = join(this.dir, id);
    try {
      const [text, st] = await Promise.all([readFile(p, 'utf8'), stat(p)]);
      // conmon writes the file in one write(2); an empty read means it is still being written.
      if (text.trim() === '') return undefined;
      return { code: Number.parseInt(text.trim(), 10), finishedAt: st.mtime };
    } catch {
      return undefined;
    }
  }

  private async sweep(): Promise<void> {
    if (this.pending.size === 0) return;
    const names = await readdir(this.dir).catch(() => [] as string[]);
    for (const name of names) if (this.pending.has(name)) void this.check(name);
  }

  private async check(id: string): Promise<void> {
    if (!this.pending.has(id)) return;
    const s = await this.read(id);
    if (!s) return;
    const list = this.pending.get(id);
    if (!list) return;
    this.pending.delete(id);
    this.onExit(id, s);
    for (const r of list) r(s);
  }
}
