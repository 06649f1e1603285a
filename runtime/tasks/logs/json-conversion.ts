import type { ConvertBackend } from './convert-thread.ts';
import { ConvertedSpace } from './converted-space.ts';
import type { ConverterPaths } from './json-converter.ts';
import type { RotationLimits } from './json-writer.ts';

/**
 * One json-file container's conversion as the engine drives it: converted by the backend
 * (a worker thread), then what no attach reader still needs given back (converted-space.ts).
 */
export class JsonLogConversion {
  private running: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly space: ConvertedSpace;

  /** @param readTo offset of the source (by inode) below which its attach readers have all read */
  constructor(private readonly key: string, private readonly paths: ConverterPaths, private readonly limits: RotationLimits,
    private readonly backend: ConvertBackend, readTo: (ino: number) => number) {
    this.space = new ConvertedSpace(paths.source, readTo);
  }

  /**
   * Convert everything conmon has written so far. Calls are serialised; `fn` runs after the
   * conversion and before the next one (readers open the rotated set there, so no rotation
   * falls between their opens).
   */
  sync<T>(fn?: () => Promise<T>): Promise<T | undefined> {
    const next = this.running.then(async () => {
      if (!this.closed) {
        const { converted } = await this.backend.convert(this.key, this.paths, this.limits);
        if (converted) await this.space.release(converted.srcIno, converted.srcOffset);
      }
      return fn?.();
    });
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Stop converting (the container is being removed); a conversion under way finishes first. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    await this.backend.close(this.key);
  }
}
