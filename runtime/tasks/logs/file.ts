/** An open log file read by position, with the identity needed to notice rotation. */
import { open, type FileHandle } from 'node:fs/promises';
import { UnavailableError } from '../../errors.ts';
import type { LogRecord } from './format.ts';
import { K8S_FILE, type LogFormat } from './formats.ts';

export const READ_CHUNK = 64 * 1024;

export class LogFile {
  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    readonly dev: number,
    readonly ino: number,
    /** Size when opened: the end of a non-follow read and where backward scans start. */
    readonly size: number,
    private readonly onRead?: (bytes: number) => void,
    /** The file's format: conmon's k8s-file records unless told otherwise (json-file). */
    readonly format: LogFormat = K8S_FILE,
  ) {}

  /** One line (without its newline) as a record, or undefined to skip it. */
  parse(line: Buffer): LogRecord | undefined {
    return this.format.parse(line);
  }

  /** Opens `path`, or returns undefined when it does not exist (a container that never ran). */
  static async open(path: string, onRead?: (bytes: number) => void, format?: LogFormat): Promise<LogFile | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new UnavailableError(`cannot open log file ${path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      const st = await fh.stat();
      return new LogFile(fh, path, st.dev, st.ino, st.size, onRead, format);
    } catch (e) {
      await fh.close();
      throw new UnavailableError(`cannot stat log file ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /**
   * Up to `length` bytes at `position`; shorter (or empty) at end of file. With `into`, the
   * bytes land there (a reader that copies out what it keeps reuses one buffer for every read).
   */
  async readAt(position: number, length: number = READ_CHUNK, into?: Buffer): Promise<Buffer> {
    const buf = into && into.length >= length ? into : Buffer.allocUnsafe(length);
    const { bytesRead } = await this.fh.read(buf, 0, length, position);
    this.onRead?.(bytesRead);
    return buf.subarray(0, bytesRead);
  }

  async currentSize(): Promise<number> {
    return (await this.fh.stat()).size;
  }

  async close(): Promise<void> {
    await this.fh.close().catch(() => { /* already closed */ });
  }
}
