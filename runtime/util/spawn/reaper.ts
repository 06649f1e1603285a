import type { Exit } from './types.ts';

type Reap = (pid: number) => Exit | null;

/** Backstop for a SIGCHLD that arrived before its process was registered here. */
const POLL_MS = 200;

/**
 * Collects the exits of the processes the engine starts with posix_spawn. libuv reaps only
 * the children it started itself, each by its pid, so these are ours to wait for: at every
 * SIGCHLD, each one still waited for is asked with a non-blocking waitpid.
 */
export class Reaper {
  private readonly waiting = new Map<number, { resolve: (e: Exit) => void; hold: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private listening = false;

  constructor(private readonly reap: Reap) {}

  /**
   * The exit of `pid`. While a process with `hold` runs, the engine's process stays alive to
   * collect it; a monitor that outlives us is only cleaned up if it exits while we run.
   */
  exit(pid: number, hold = true): Promise<Exit> {
    if (!this.listening) {
      this.listening = true;
      process.on('SIGCHLD', () => this.check());
    }
    return new Promise((resolve) => {
      this.waiting.set(pid, { resolve, hold });
      this.check();
    });
  }

  private check(): void {
    for (const [pid, w] of this.waiting) {
      let exit: Exit | null;
      try { exit = this.reap(pid); } catch { exit = { code: null, signal: null }; }
      if (!exit) continue;
      this.waiting.delete(pid);
      w.resolve(exit);
    }
    if (this.waiting.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
      return;
    }
    this.timer ??= setInterval(() => this.check(), POLL_MS);
    if ([...this.waiting.values()].some((w) => w.hold)) this.timer.ref(); else this.timer.unref();
  }
}
