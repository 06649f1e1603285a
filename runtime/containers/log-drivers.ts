/**
 * Each container's log driver at work: where its log is, what conmon is told, the json-file
 * conversion while it runs, and `docker logs` reading the driver's files.
 *
 * conmon always writes its k8s-file `ctr.log`: it is what `attach` follows, and for `k8s-file`
 * and `local` it is the log itself. For `json-file` the engine converts it into Docker's format
 * (json-converter.ts explains why there); for `none` the engine keeps it small for attach
 * (attach-buffer.ts) and `docker logs` refuses, as dockerd does. Attach readers are followers
 * (attach-readers.ts): neither keeping `none` small nor giving converted bytes back moves the file
 * under one of them.
 */
import type { EventEmitter } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NotImplementedError } from '../errors.ts';
import { ChangeWaiter } from '../tasks/logs/follow.ts';
import { ConvertThread, type ConvertBackend } from '../tasks/logs/convert-thread.ts';
import { Ticker } from '../util/ticker.ts';
import { JsonLogConversion } from '../tasks/logs/json-conversion.ts';
import { rotatedPaths } from '../tasks/logs/json-writer.ts';
import { LogFile } from '../tasks/logs/file.ts';
import { JSON_FILE } from '../tasks/logs/formats.ts';
import { readLogs, type LogChunk, type LogReadOptions } from '../tasks/logs/index.ts';
import { keepAttachBuffer } from './attach-buffer.ts';
import { AttachReaders } from './attach-readers.ts';
import { parseLogConfig, type LogSettings } from './log-config.ts';
import type { ContainerRecord } from './types.ts';

/** Fallback poll of a running container's ctr.log (inotify does the usual waking). */
const POLL_MS = 1000;

export class LogDrivers {
  private readonly converters = new Map<string, JsonLogConversion>();
  /** The watch of each running container (a restart may begin before the last run's watch ended). */
  private readonly watching = new Map<string, ChangeWaiter>();
  /** What a reader leaving held back of a json-file container's log may be given back now. */
  private readonly readers = new AttachReaders((id) => void this.converters.get(id)?.sync().catch(() => undefined));
  /** Ends every watch when the engine closes (the containers keep running; the next boot catches up). */
  private readonly closing = new AbortController();
  /**
   * The fallback poll of every running container on one clock: a tick wakes them all in one
   * turn, so their conversions go to the worker in one message rather than one each.
   */
  private readonly poll = new Ticker(POLL_MS);

  /**
   * @param reopen has the container's conmon start a new `ctr.log`
   * @param backend runs the json-file conversions (a worker thread)
   */
  constructor(private readonly containersDir: string, private readonly signals: EventEmitter, private readonly reopen: (id: string) => Promise<void>,
    private readonly backend: ConvertBackend = new ConvertThread()) {}

  settings(rec: ContainerRecord): LogSettings {
    return parseLogConfig(rec.HostConfig.LogConfig);
  }

  /** conmon's k8s-file: attach's source, and the log itself for `k8s-file` and `local`. */
  conmonLog(id: string): string {
    return join(this.containersDir, id, 'ctr.log');
  }

  /** The `--log-size-max` conmon gets, if any. */
  conmonLimit(rec: ContainerRecord): number | undefined {
    const s = this.settings(rec);
    // `none`: the engine starts new files, only behind attach readers (attach-buffer.ts).
    if (s.driver === 'none' || s.driver === 'json-file') return undefined;
    return s.maxSize > 0 ? s.maxSize : undefined;
  }

  /** `LogPath` of inspect: the file a log shipper reads ('' when no log is kept). */
  logPath(id: string, rec: ContainerRecord): string {
    const { driver } = this.settings(rec);
    if (driver === 'none') return '';
    return driver === 'json-file' ? this.jsonPath(id) : this.conmonLog(id);
  }

  /** Before a start: the driver's file exists from the start on, as dockerd's does (inspect's LogPath). */
  async prepare(id: string, rec: ContainerRecord): Promise<void> {
    if (this.settings(rec).driver === 'json-file') await writeFile(this.jsonPath(id), '', { flag: 'a', mode: 0o640 });
  }

  /** Convert a running json-file container's output as it comes (keep a `none` one's small), until it exits. */
  watch(id: string, rec: ContainerRecord): void {
    const { driver } = this.settings(rec);
    if ((driver !== 'json-file' && driver !== 'none') || this.watching.get(id)?.exited === false) return;
    const exited = new Promise<void>((resolve) => this.signals.once(`exit:${id}`, () => resolve()));
    const signal = this.closing.signal;
    const waiter = new ChangeWaiter(this.conmonLog(id), { exited, poll: this.poll, signal });
    this.watching.set(id, waiter);
    const done = (): void => {
      waiter.close();
      if (this.watching.get(id) === waiter) this.watching.delete(id);
    };
    if (driver === 'none') {
      void keepAttachBuffer(this.conmonLog(id), () => this.readers.of(id), () => this.reopen(id), waiter, signal).catch(() => undefined).finally(done);
      return;
    }
    const converter = this.converter(id, rec);
    void (async () => {
      try {
        while (!waiter.exited && !signal.aborted) {
          await converter.sync().catch(() => undefined);
          await waiter.wait();
        }
        if (!signal.aborted) await converter.sync().catch(() => undefined);
      } finally {
        done();
      }
    })();
  }

  /** Bring a stopped json-file container's log up to date (output written while the engine was down). */
  async catchUp(id: string, rec: ContainerRecord): Promise<void> {
    if (this.settings(rec).driver === 'json-file') await this.converter(id, rec).sync();
  }

  /** dockerd's answer to `docker logs` of a container whose driver keeps nothing. */
  checkReadable(rec: ContainerRecord): void {
    if (this.settings(rec).driver === 'none') throw new NotImplementedError('configured logging driver does not support reading');
  }

  /** `docker logs` from the driver's files. `exited` resolves when the container's run ended. */
  async *read(id: string, rec: ContainerRecord, opts: LogReadOptions, signal?: AbortSignal): AsyncGenerator<LogChunk> {
    this.checkReadable(rec);
    const s = this.settings(rec);
    if (s.driver !== 'json-file') {
      yield* readLogs(this.conmonLog(id), opts, signal);
      return;
    }
    const converter = this.converter(id, rec);
    const path = this.jsonPath(id);
    // After the exit, the follower's last read must come after the last conversion.
    const exited = opts.exited?.then(async () => { await converter.sync(); });
    yield* readLogs(path, {
      ...opts,
      exited,
      format: JSON_FILE,
      openFiles: async () => (await converter.sync(async () => {
        const older = await Promise.all((await rotatedPaths(path, s.maxFiles)).map((p) => LogFile.open(p, opts.onRead, JSON_FILE)));
        return { older: older.filter((f) => f !== undefined), current: await LogFile.open(path, opts.onRead, JSON_FILE) };
      }))!,
    }, signal);
  }

  /** What attach reads: conmon's log, followed (attach-readers.ts). */
  follow(id: string, opts: LogReadOptions, signal: AbortSignal): AsyncGenerator<LogChunk> {
    return this.readers.follow(id, this.conmonLog(id), opts, signal);
  }

  /** The container is being removed: stop converting before its files go. */
  async forget(id: string): Promise<void> {
    // Attach readers still in an older file keep the current one to read on.
    await this.readers.of(id)?.handOver(() => LogFile.open(this.conmonLog(id)));
    const converter = this.converters.get(id);
    this.converters.delete(id);
    await converter?.close();
  }

  async close(): Promise<void> {
    this.closing.abort();
    await Promise.all([...this.converters.keys()].map((id) => this.forget(id)));
    await this.backend.shutdown();
  }

  private jsonPath(id: string): string {
    return join(this.containersDir, id, `${id}-json.log`);
  }

  private converter(id: string, rec: ContainerRecord): JsonLogConversion {
    let c = this.converters.get(id);
    if (!c) {
      const s = this.settings(rec);
      const dir = join(this.containersDir, id);
      const readTo = (ino: number): number => this.readers.of(id)?.readTo(ino) ?? Infinity;
      const paths = { source: this.conmonLog(id), target: this.jsonPath(id), state: join(dir, 'json-log.state') };
      c = new JsonLogConversion(id, paths, { maxSize: s.maxSize, maxFiles: s.maxFiles }, this.backend, readTo);
      this.converters.set(id, c);
    }
    return c;
  }
}
