import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  encodeRecord, encodeWrite, formatTimestamp, readLogs, type LogChunk, type LogReadOptions, type LogStream,
} from '../../runtime/tasks/logs/index.ts';
import { InvalidArgumentError } from '../../runtime/errors.ts';

let dir: string;
let seq = 0;
before(() => { dir = mkdtempSync(join(tmpdir(), 'wharf-logs-reader-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

const BASE = 1795435200_000000000n; // 2026-11-23T12:00:00Z

/** A conmon-style local timestamp (numeric offset) for `ns`. */
function stamp(ns: bigint, offsetMin = 60): string {
  const local = formatTimestamp(ns + BigInt(offsetMin) * 60_000_000_000n).slice(0, -1);
  const a = Math.abs(offsetMin);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${local}${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

interface Write { stream: LogStream; data: Buffer }

/** Writes a log as conmon would for these reads of the container's pipes, one ms apart. */
function logFile(writes: Write[], name = `log-${++seq}.log`): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.concat(writes.map((w, i) => encodeWrite(stamp(BASE + BigInt(i) * 1_000_000n), w.stream, w.data))));
  return path;
}

async function collect(path: string, opts: LogReadOptions = {}): Promise<LogChunk[]> {
  const out: LogChunk[] = [];
  for await (const c of readLogs(path, opts)) out.push(c);
  return out;
}

const text = (chunks: LogChunk[], stream?: LogStream): string =>
  Buffer.concat(chunks.filter((c) => !stream || c.stream === stream).map((c) => c.data)).toString('latin1');

const w = (stream: LogStream, s: string | Buffer): Write => ({ stream, data: typeof s === 'string' ? Buffer.from(s, 'latin1') : s });

/** Deterministic pseudo-random bytes, so failures reproduce. */
function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => { x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0; return x; };
}

test('bytes are preserved exactly per stream: binary, CR, empty lines, invalid UTF-8, long P runs', async () => {
  const rand = prng(42);
  const written: Record<LogStream, Buffer[]> = { stdout: [], stderr: [] };
  const writes: Write[] = [];
  const emit = (stream: LogStream, data: Buffer): void => {
    written[stream].push(data);
    // conmon reads at most 8 KiB at a time from a pipe.
    for (let i = 0; i < data.length; i += 8192) writes.push({ stream, data: data.subarray(i, i + 8192) });
  };
  emit('stdout', Buffer.from('plain\n\n\ncarriage\r\nreturn only\rstill same line\n'));
  emit('stderr', Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0xc3, 0x28, 0x0a]));
  emit('stdout', Buffer.from('no newline yet'));
  emit('stderr', Buffer.from('err between\n'));
  emit('stdout', Buffer.from(' ... finished\n'));
  const big = Buffer.alloc(100 * 1024, 0x78);
  big[50_000] = 0x0d;
  emit('stdout', Buffer.concat([big, Buffer.from('\n')]));
  const noise = Buffer.alloc(50_000);
  for (let i = 0; i < noise.length; i++) noise[i] = rand() & 0xff;
  emit('stderr', noise);
  emit('stderr', Buffer.from('\n'));
  const path = logFile(writes);

  const chunks = await collect(path);
  for (const s of ['stdout', 'stderr'] as const) {
    const got = Buffer.concat(chunks.filter((c) => c.stream === s).map((c) => c.data));
    assert.ok(got.equals(Buffer.concat(written[s])), `${s} bytes differ`);
  }
  // The 100 KB line arrives as its P pieces (no newline) and then the F piece.
  const bigPieces = chunks.filter((c) => c.stream === 'stdout' && c.data.length === 8192);
  assert.ok(bigPieces.length >= 12);
});

test('merge: runs of one stream share a chunk with the first record\'s time; bytes and stream order are kept', async () => {
  const writes = [w('stdout', 'o1\no2\n'), w('stdout', 'o3 part'), w('stdout', ' end\n'), w('stderr', 'e1\n'), w('stdout', 'o4\n')];
  const path = logFile(writes);
  const plain = await collect(path);
  const merged = await collect(path, { merge: true });
  assert.equal(text(merged), text(plain));
  assert.deepEqual(merged.map((c) => [c.stream, c.data.toString('latin1')]), [['stdout', 'o1\no2\no3 part end\n'], ['stderr', 'e1\n'], ['stdout', 'o4\n']]);
  assert.equal(merged[0]!.timeNs, plain[0]!.timeNs);
  assert.ok(plain.length > merged.length);
  // Stream selection and the time window still apply record by record.
  assert.equal(text(await collect(path, { merge: true, stdout: false })), 'e1\n');
  assert.equal(text(await collect(path, { merge: true, sinceNs: BASE + 3_000_000n })), 'e1\no4\n');
});

test('stream selection', async () => {
  const path = logFile([w('stdout', 'o1\n'), w('stderr', 'e1\n'), w('stdout', 'o2\n'), w('stderr', 'e2\n')]);
  assert.equal(text(await collect(path)), 'o1\ne1\no2\ne2\n');
  assert.equal(text(await collect(path, { stderr: false })), 'o1\no2\n');
  assert.equal(text(await collect(path, { stdout: false })), 'e1\ne2\n');
  assert.deepEqual(await collect(path, { stdout: false, stderr: false }), []);
});

test('timestamps are UTC with nine digits and Z; timeNs matches', async () => {
  const path = join(dir, 'stamps.log');
  writeFileSync(path, Buffer.concat([
    encodeRecord('2026-11-23T13:00:00.123456789+01:00', 'stdout', false, Buffer.from('a')),
    encodeRecord('2026-11-23T07:00:01.000000500-05:00', 'stderr', false, Buffer.from('b')),
  ]));
  const chunks = await collect(path);
  assert.deepEqual(chunks.map((c) => [c.time, c.timeNs, c.stream]), [
    ['2026-11-23T12:00:00.123456789Z', 1795435200123456789n, 'stdout'],
    ['2026-11-23T12:00:01.000000500Z', 1795435201000000500n, 'stderr'],
  ]);
});

test('a torn last record is not returned; malformed lines are skipped', async () => {
  const path = logFile([w('stdout', 'one\n'), w('stdout', 'two\n')]);
  appendFileSync(path, 'garbage line\n');
  // Extra CRI tags go through the full parser, the empty F record is an empty line, and
  // lines that only look like records are skipped.
  appendFileSync(path, `${stamp(BASE)} stdout F:x tagged\n${stamp(BASE)} stdout F\n${stamp(BASE)} stdin F no\nnot-a-time stdout F no\n${stamp(BASE)} stdout X no\n`);
  appendFileSync(path, `${stamp(BASE)} stdout F three`);
  assert.equal(text(await collect(path)), 'one\ntwo\ntagged\n\n');
  assert.equal(text(await collect(path, { merge: true })), 'one\ntwo\ntagged\n\n');
  assert.equal(text(await collect(path, { tail: 1 })), '\n');
});

test('a missing file reads as empty', async () => {
  assert.deepEqual(await collect(join(dir, 'does-not-exist.log')), []);
});

test('tail 0, 1, N and more than there are lines', async () => {
  const path = logFile([w('stdout', 'a\nb\n'), w('stderr', 'c\n'), w('stdout', 'd\ne\n')]);
  assert.equal(text(await collect(path, { tail: 0 })), '');
  assert.equal(text(await collect(path, { tail: 1 })), 'e\n');
  assert.equal(text(await collect(path, { tail: 3 })), 'c\nd\ne\n');
  assert.equal(text(await collect(path, { tail: 99 })), 'a\nb\nc\nd\ne\n');
  assert.equal(text(await collect(path, { tail: 2, stdout: false })), 'c\n');
  assert.equal(text(await collect(path, { tail: 2, stderr: false })), 'd\ne\n');
  await assert.rejects(collect(path, { tail: -1 }), InvalidArgumentError);
  await assert.rejects(collect(path, { tail: 1.5 }), InvalidArgumentError);
});

test('tail counts a P run and its F as one line, also when streams interleave', async () => {
  const path = logFile([
    w('stdout', 'old\n'),
    w('stdout', 'he'), w('stderr', 'E1\n'), w('stdout', 'll'), w('stderr', 'E2 start '), w('stdout', 'o\n'),
    w('stderr', 'end\n'), w('stdout', 'unterminated'),
  ]);
  // Lines by when they end: old, E1, hello, E2 start end, unterminated.
  assert.equal(text(await collect(path, { tail: 1 })), 'unterminated');
  assert.equal(text(await collect(path, { tail: 2 })), 'E2 start end\nunterminated');
  const three = await collect(path, { tail: 3 });
  assert.equal(text(three, 'stdout'), 'hello\nunterminated');
  assert.equal(text(three, 'stderr'), 'E2 start end\n');
  const four = await collect(path, { tail: 4 });
  assert.equal(text(four, 'stderr'), 'E1\nE2 start end\n');
  assert.equal(text(four, 'stdout'), 'hello\nunterminated');
  assert.equal(text(await collect(path, { tail: 1, stdout: false })), 'E2 start end\n');
  assert.equal(text(await collect(path, { tail: 2, stderr: false })), 'hello\nunterminated');
});

/** Reference tail: the records of the N lines of the selected streams that end last, in file order. */
function expectedTail(writes: Write[], n: number, streams: Record<LogStream, boolean>): Write[] {
  const recs = writes.flatMap((wr) => {
    const out: { stream: LogStream; data: Buffer; partial: boolean }[] = [];
    let start = 0;
    while (start < wr.data.length) {
      const nl = wr.data.indexOf(0x0a, start);
      const end = nl < 0 ? wr.data.length : nl + 1;
      out.push({ stream: wr.stream, data: wr.data.subarray(start, end), partial: nl < 0 });
      start = end;
    }
    return out;
  }).filter((r) => streams[r.stream]);
  const lineOf: number[] = [];
  const lines: { last: number }[] = [];
  const openLine: Partial<Record<LogStream, number>> = {};
  recs.forEach((r, i) => {
    let id = openLine[r.stream];
    if (id === undefined) { id = lines.length; lines.push({ last: i }); }
    lines[id]!.last = i;
    lineOf[i] = id;
    openLine[r.stream] = r.partial ? id : undefined;
  });
  const keep = new Set(lines.map((l, id) => ({ id, last: l.last })).sort((a, b) => a.last - b.last).slice(-n || lines.length).map((l) => l.id));
  return recs.filter((_, i) => n > 0 && keep.has(lineOf[i]!)).map((r) => ({ stream: r.stream, data: r.data }));
}

/** About 2 MB of mixed short, long and unterminated writes on both streams. */
function mixedWrites(seed: number): Write[] {
  const rand = prng(seed);
  const writes: Write[] = [];
  for (let i = 0; i < 3000; i++) {
    const stream: LogStream = rand() % 4 === 0 ? 'stderr' : 'stdout';
    const len = rand() % 9 === 0 ? 2000 + (rand() % 6000) : rand() % 120;
    const body = Buffer.alloc(len, 0x61 + (i % 26));
    const end = rand() % 5 === 0 ? '' : '\n';
    writes.push(w(stream, Buffer.concat([Buffer.from(`${i}:`), body, Buffer.from(end)])));
  }
  return writes;
}

test('tail across chunk boundaries matches a reference, with long and split lines', async () => {
  const writes = mixedWrites(7);
  const path = logFile(writes);
  for (const n of [1, 2, 17, 100, 999, 2500, 5000]) {
    for (const streams of [{ stdout: true, stderr: true }, { stdout: false, stderr: true }]) {
      const got = (await collect(path, { tail: n, ...streams })).map((c) => `${c.stream}|${c.data.toString('latin1')}`);
      const want = expectedTail(writes, n, streams).map((r) => `${r.stream}|${r.data.toString('latin1')}`);
      assert.deepEqual(got, want, `tail ${n} ${JSON.stringify(streams)}`);
    }
  }
});

test('since found by binary search agrees with filtering a full read', async () => {
  const path = logFile(mixedWrites(11));
  const size = statSync(path).size;
  const all = await collect(path);
  for (const i of [0, 1, 17, 1499, 1500, 2998, 2999, 3000]) {
    const since = BASE + BigInt(i) * 1_000_000n;
    let bytes = 0;
    const got = await collect(path, { sinceNs: since, onRead: (n) => { bytes += n; } });
    assert.deepEqual(got, all.filter((c) => c.timeNs >= since), `since write ${i}`);
    // Reading from the since point onwards only: half the file for the middle, little for the end.
    if (i === 1500) assert.ok(bytes < size * 0.6, `since write ${i} read ${bytes} of ${size} bytes`);
    if (i >= 2998) assert.ok(bytes < 256 * 1024, `since write ${i} read ${bytes} bytes`);
  }
});

test('since and until are inclusive and combine with tail and streams', async () => {
  const writes = Array.from({ length: 10 }, (_, i) => w(i % 2 ? 'stderr' : 'stdout', `l${i}\n`));
  const path = logFile(writes);
  const at = (i: number): bigint => BASE + BigInt(i) * 1_000_000n;
  assert.equal(text(await collect(path, { sinceNs: at(7) })), 'l7\nl8\nl9\n');
  assert.equal(text(await collect(path, { sinceNs: at(7) + 1n })), 'l8\nl9\n');
  assert.equal(text(await collect(path, { untilNs: at(2) })), 'l0\nl1\nl2\n');
  assert.equal(text(await collect(path, { untilNs: at(2) - 1n })), 'l0\nl1\n');
  assert.equal(text(await collect(path, { sinceNs: at(3), untilNs: at(5) })), 'l3\nl4\nl5\n');
  assert.equal(text(await collect(path, { sinceNs: at(3), untilNs: at(8), tail: 2 })), 'l7\nl8\n');
  assert.equal(text(await collect(path, { sinceNs: at(6), tail: 9 })), 'l6\nl7\nl8\nl9\n');
  assert.equal(text(await collect(path, { sinceNs: at(2), untilNs: at(6), stdout: false })), 'l3\nl5\n');
  assert.equal(text(await collect(path, { sinceNs: at(99) })), '');
  await assert.rejects(collect(path, { sinceNs: at(5), untilNs: at(4) }), InvalidArgumentError);
});

test('1,000,000-line file: tail and since read only its end, a full read streams it all', { timeout: 120_000 }, async () => {
  const path = join(dir, 'million.log');
  const fd = openSync(path, 'w');
  const total = 1_000_000;
  const timeOf = (i: number): bigint => BASE + BigInt(i) * 1_000_000n;
  let batch: string[] = [];
  for (let i = 0; i < total; i++) {
    batch.push(`${stamp(timeOf(i))} ${i % 3 === 0 ? 'stderr' : 'stdout'} F line ${i}\n`);
    if (batch.length === 10_000) { writeSync(fd, batch.join('')); batch = []; }
  }
  writeSync(fd, batch.join(''));
  closeSync(fd);

  let bytes = 0;
  const onRead = (n: number): void => { bytes += n; };
  const tail = await collect(path, { tail: 10, onRead });
  assert.deepEqual(tail.map((c) => c.data.toString()), Array.from({ length: 10 }, (_, k) => `line ${total - 10 + k}\n`));
  assert.ok(bytes < 1024 * 1024, `tail read ${bytes} bytes`);

  bytes = 0;
  const onlyErr = await collect(path, { tail: 3, stdout: false, onRead });
  assert.deepEqual(onlyErr.map((c) => c.data.toString()), ['line 999993\n', 'line 999996\n', 'line 999999\n']);
  assert.ok(bytes < 1024 * 1024, `stream-filtered tail read ${bytes} bytes`);

  bytes = 0;
  const since = await collect(path, { sinceNs: timeOf(total - 5), onRead });
  assert.deepEqual(since.map((c) => c.data.toString()), [0, 1, 2, 3, 4].map((k) => `line ${total - 5 + k}\n`));
  assert.ok(bytes < 1024 * 1024, `since read ${bytes} bytes`);

  bytes = 0;
  const mid = await collect(path, { sinceNs: timeOf(500_000), untilNs: timeOf(500_002), onRead });
  assert.deepEqual(mid.map((c) => c.data.toString()), ['line 500000\n', 'line 500001\n', 'line 500002\n']);
  assert.ok(bytes < 1024 * 1024, `since/until read ${bytes} bytes`);

  let count = 0;
  let last = '';
  let maxHeap = 0;
  for await (const c of readLogs(path, {})) {
    count++;
    if (count % 100_000 === 0) { const m = process.memoryUsage(); maxHeap = Math.max(maxHeap, m.heapUsed + m.arrayBuffers); }
    last = c.data.toString();
  }
  assert.equal(count, total);
  assert.equal(last, `line ${total - 1}\n`);
  // The file is ~52 MB; a streaming read holds a few chunks at a time.
  assert.ok(maxHeap < 256 * 1024 * 1024, `heap reached ${maxHeap}`);
});
