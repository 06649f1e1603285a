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
 * `ctr.log` would otherwise grow forever beside the rotated json files: the converted part is
 * given back to the filesystem with `fallocate --punch-hole` (conmon's offsets, and ours, stay
 * valid; the file just becomes sparse), but only the part every attach reader has read too
 * (`readTo`, within followers.ts's LAG_LIMIT): the hole reads as zeros.
 */
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { LogFile, READ_CHUNK } from './file.ts';
import { K8S_FILE } from './formats.ts';
import { JsonLogWriter, type RotationLimits, type WriterPosition } from './json-writer.ts';
import { LineSplitter } from './lines.ts';
import { LAG_LIMIT } from './followers.ts';
import { RecordScanner } from './scanner.ts';
import { run } from '../../util/exec.ts';

export interface ConverterPaths {
  /** conmon's k8s-file log. */
  source: string;
  /** `<id>-json.log`. */
  target: string;
  state: string;
}

interface State extends WriterPosition { srcIno: number; srcOffset: number }

/** Source bytes converted per read: big enough to amortise a commit, small enough to share the loop. */
const BATCH = 4 * READ_CHUNK;
/** Converted bytes of `ctr.log` are released in steps this large. */
const PUNCH_STEP = 8 * 1024 * 1024;
const BLOCK = 4096;

export class JsonLogConverter {
  private writer: JsonLogWriter | undefined;
  private state: State | undefined;
  private punchedTo = 0;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  /** @param readTo offset of the source (by inode) below which its attach readers have all read */
  constructor(private readonly paths: ConverterPaths, private readonly limits: RotationLimits, private readonly readTo: (ino: number) => number = () => Infinity) {}

  /**
   * Convert everything conmon has written so far. Calls are serialised; `fn` runs after the
   * conversion and before the next one (readers open the rotated set there, so no rotation
   * falls between their opens).
   */
  sync<T>(fn?: () => Promise<T>): Promise<T | undefined> {
    const next = this.running.then(async () => {
      if (!this.closed) await this.convert();
      return fn?.();
    });
    this.running = next.then(() => undefined, () => undefined);
    return next;
  }

  /** Stop converting (the container is being removed); a conversion under way finishes first. */
  async close(): Promise<void> {
    this.closed = true;
    await this.running;
    await this.writer?.close();
    this.writer = undefined;
  }

  private async convert(): Promise<void> {
    const state = this.state ?? await this.load();
    const source = await LogFile.open(this.paths.source);
    if (!source) return;
    try {
      // A new ctr.log (the container was re-created from scratch): start at its beginning.
      if (source.ino !== state.srcIno) {
        state.srcIno = source.ino;
        state.srcOffset = 0;
        this.punchedTo = 0;
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
    await this.punch(Math.min(state.srcOffset, Math.max(this.readTo(state.srcIno), state.srcOffset - LAG_LIMIT)));
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

  private async punch(upTo: number): Promise<void> {
    const end = Math.floor(upTo / BLOCK) * BLOCK;
    if (end - this.punchedTo < PUNCH_STEP) return;
    // Best effort: on a filesystem without hole punching the file just keeps its blocks.
    await run('fallocate', ['--punch-hole', '--offset', '0', '--length', String(end), this.paths.source]).catch(() => undefined);
    this.punchedTo = end;
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
