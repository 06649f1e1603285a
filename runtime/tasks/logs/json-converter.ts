/**
 * The json-file driver on top of conmon. conmon 2.1.6 writes only k8s-file (or journald,
 * passthrough, none), and it must keep writing while the engine is down or upgraded, so it
 * keeps its k8s-file `ctr.log` and the engine converts that file, record by record, into
 * Docker's `<id>-json.log`. A k8s-file record maps one to one onto a json-file entry (an `F`
 * record is a line with its `\n`, a `P` record a partial message without one), so the
 * conversion needs no state beyond where it is.
 *
 * Where it is lives in `json-log.state` (source inode and offset, the json file's inode and
 * size), written atomically after every flush. After an engine SIGKILL the writer cuts off what
 * was appended past the commit and the conversion resumes at the committed offset: nothing is
 * converted twice and nothing is skipped. Output written while the engine was down is still in
 * `ctr.log` and is converted at the next boot.
 *
 * Each conversion answers how far the source is converted; giving that part back to the
 * filesystem is converted-space.ts's job. The engine runs converters in a worker thread
 * (json-conversion.ts): parsing and re-encoding every line of a chatty container is CPU work
 * the event loop should not carry.
 */
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { LogFile, READ_CHUNK } from './file.ts';
import { K8S_FILE } from './formats.ts';
import { JsonLogWriter, type RotationLimits, type WriterPosition } from './json-writer.ts';
import { LineSplitter } from './lines.ts';
import { RecordScanner } from './scanner.ts';

export interface ConverterPaths {
  /** conmon's k8s-file log. */
  source: string;
  /** `<id>-json.log`. */
  target: string;
  state: string;
}

/** Where the conversion stands in the source: its inode and the offset converted up to. */
export interface Converted { srcIno: number; srcOffset: number }

interface State extends WriterPosition, Converted {}

/** Source bytes converted per read: big enough to amortise a commit, small enough to bound the memory held. */
const BATCH = 4 * READ_CHUNK;

export class JsonLogConverter {
  private writer: JsonLogWriter | undefined;
  private state: State | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(private readonly paths: ConverterPaths, private readonly limits: RotationLimits) {}

  /** Convert everything conmon has written so far; calls are serialised. */
  sync(): Promise<Converted | undefined> {
    const next = this.running.then(() => (this.closed ? undefined : this.convert()));
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Stop converting (the container is being removed); a conversion under way finishes first. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    await this.writer?.close();
    this.writer = undefined;
  }

  private async convert(): Promise<Converted | undefined> {
    const state = this.state ?? await this.load();
    const source = await LogFile.open(this.paths.source);
    if (!source) return undefined;
    try {
      // A new ctr.log (the container was re-created from scratch): start at its beginning.
      if (source.ino !== state.srcIno) {
        state.srcIno = source.ino;
        state.srcOffset = 0;
      }
      const writer = this.writer ??= await JsonLogWriter.open(this.paths.target, this.limits, state.ino >= 0 ? state : undefined);
      const splitter = new LineSplitter(state.srcOffset);
      // A record that would overflow the current file stops the scan; it resumes after the rotation.
      const scanner = new RecordScanner(K8S_FILE, (stream, timeNs, src, from, to, complete) => {
        if (writer.full) return false;
        writer.add(stream, timeNs, src, from, to, complete);
        return true;
      });
      const buffer = Buffer.allocUnsafe(Math.max(0, Math.min(BATCH, source.size - state.srcOffset)));
      let position = state.srcOffset;
      while (position < source.size) {
        const buf = await source.readAt(position, Math.min(BATCH, source.size - position), buffer);
        if (buf.length === 0) break;
        position += buf.length;
        const { joined, start, end, offset } = splitter.span(buf);
        while (joined && !scanner.line(joined.bytes, 0, joined.bytes.length, joined.offset)) await this.rotate(writer, joined.offset);
        for (let at = start; at < end;) {
          at = scanner.scan(buf, at, end, offset + at - start);
          if (at < end) await this.rotate(writer, offset + at - start);
        }
        // Only whole records are converted: a torn one is read again from its start next time.
        await this.commit(writer, splitter.offset);
      }
    } finally {
      await source.close();
    }
    return { srcIno: state.srcIno, srcOffset: state.srcOffset };
  }

  /** The current file is full before the record at `srcOffset`: everything before it is committed first. */
  private async rotate(writer: JsonLogWriter, srcOffset: number): Promise<void> {
    await this.commit(writer, srcOffset);
    await writer.rotate();
    await this.commit(writer, srcOffset);
  }

  private async commit(writer: JsonLogWriter, srcOffset: number): Promise<void> {
    await writer.flush();
    const state = this.state!;
    const pos = writer.position;
    if (state.srcOffset === srcOffset && state.ino === pos.ino && state.size === pos.size) return;
    Object.assign(state, pos, { srcOffset });
    await writeState(this.paths.state, state);
  }

  private async load(): Promise<State> {
    let state: State = { srcIno: -1, srcOffset: 0, ino: -1, size: -1 };
    try {
      const saved = JSON.parse(await readFile(this.paths.state, 'utf8')) as Partial<State>;
      if ([saved.srcIno, saved.srcOffset, saved.ino, saved.size].every((n) => Number.isSafeInteger(n))) state = saved as State;
    } catch {
      // No commit yet: the json file holds nothing committed and the source is read from its start.
    }
    if (state.srcIno === -1) {
      const st = await stat(this.paths.source).catch(() => undefined);
      if (st) state.srcIno = st.ino;
    }
    this.state = state;
    return state;
  }
}

/**
 * Write and rename: a killed engine leaves the old state or the new one. Not fsync'd: the
 * promise is about the engine dying (the page cache survives it), and a commit per batch of a
 * chatty container must stay cheap. Never creates the directory (it may be being removed).
 */
async function writeState(path: string, state: State): Promise<void> {
  const tmp = `${path}.tmp`;
  await writeFile(tmp, JSON.stringify(state), { mode: 0o600 });
  await rename(tmp, path);
}
