/** An open log file read by position, with the identity needed to notice rotation. */
import { open, type FileHandle } from 'node:fs/promises';
import { UnavailableError } from '../../errors.ts';
import { parseRecord, type LogRecord } from './format.ts';

/** Parses one line of a log file (without its newline) into a record, or undefined to skip it. */
export type RecordParser = (line: Buffer) => LogRecord | undefined;

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
    readonly parse: RecordParser = parseRecord,
  ) {}

  /** Opens `path`, or returns undefined when it does not exist (a container that never ran). */
  static async open(path: string, onRead?: (bytes: number) => void, parse?: RecordParser): Promise<LogFile | undefined> {
    let fh: FileHandle;
    try {
      fh = await open(path, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new UnavailableError(`cannot open log file ${path}: ${(e as Error).message}`, { cause: e });
    }
    try {
      const st = await fh.stat();
      return new LogFile(fh, path, st.dev, st.ino, st.size, onRead, parse);
    } catch (e) {
      await fh.close();
      throw new UnavailableError(`cannot stat log file ${path}: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Up to `length` bytes at `position`; shorter (or empty) at end of file. */
  async readAt(position: number, length: number = READ_CHUNK): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
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
