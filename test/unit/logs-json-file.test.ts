import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeWrite, formatTimestamp, type LogChunk, type LogStream } from '../../runtime/tasks/logs/index.ts';
import { encodeJsonEntry, formatRFC3339Nano, parseJsonRecord } from '../../runtime/tasks/logs/json-format.ts';
import { JsonLogConverter } from '../../runtime/tasks/logs/json-converter.ts';
import { LogDrivers } from '../../runtime/containers/log-drivers.ts';
import { parseLogConfig } from '../../runtime/containers/log-config.ts';
import type { ContainerRecord } from '../../runtime/containers/types.ts';
import { InvalidArgumentError, NotImplementedError } from '../../runtime/errors.ts';

let dir: string;
let seq = 0;
before(() => { dir = mkdtempSync(join(tmpdir(), 'wharf-json-file-')); });
after(() => { rmSync(dir, { recursive: true, force: true }); });

const BASE = 1795435200_000000000n; // 2026-11-23T12:00:00Z

/** conmon's records (local time, +01:00) for these writes, one ms apart from `first`. */
function conmon(writes: { stream: LogStream; text: string }[], first = 0): Buffer {
  return Buffer.concat(writes.map((w, i) => {
    const ns = BASE + BigInt(first + i) * 1_000_000n + 3_600_000_000_000n;
    return encodeWrite(`${formatTimestamp(ns).slice(0, -1)}+01:00`, w.stream, Buffer.from(w.text));
  }));
}

const lines = (from: number, to: number): { stream: LogStream; text: string }[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ stream: 'stdout' as const, text: `line ${from + i}\n` }));

/** A container directory with conmon's log, and the driver for it. */
function container(type: string, config: Record<string, string> = {}): { id: string; src: string; rec: ContainerRecord; drivers: LogDrivers } {
  const id = `c${++seq}`;
  mkdirSync(join(dir, id));
  const src = join(dir, id, 'ctr.log');
  writeFileSync(src, '');
  const rec = { HostConfig: { LogConfig: { Type: type, Config: config } } } as unknown as ContainerRecord;
  return { id, src, rec, drivers: new LogDrivers(dir, new EventEmitter(), async () => undefined) };
}

async function read(drivers: LogDrivers, id: string, rec: ContainerRecord, opts = {}): Promise<string> {
  const out: LogChunk[] = [];
  for await (const c of drivers.read(id, rec, opts)) out.push(c);
  return Buffer.concat(out.map((c) => c.data)).toString();
}

test('entries are written as dockerd writes them: Go escapes, RFC3339Nano UTC without trailing zeros', () => {
  const line = encodeJsonEntry('stdout', BASE + 120_000_000n, Buffer.from('<a href="x">&\u2028é\n'));
  assert.equal(line.toString(), '{"log":"\\u003ca href=\\"x\\"\\u003e\\u0026\\u2028é\\n","stream":"stdout","time":"2026-11-23T12:00:00.12Z"}\n');
  assert.equal(formatRFC3339Nano(BASE), '2026-11-23T12:00:00Z');
  assert.equal(formatRFC3339Nano(BASE + 1n), '2026-11-23T12:00:00.000000001Z');
  const rec = parseJsonRecord(line.subarray(0, -1))!;
  assert.deepEqual([rec.stream, rec.partial, rec.timeNs, rec.content.toString()], ['stdout', false, BASE + 120_000_000n, '<a href="x">&\u2028é']);
  const partial = parseJsonRecord(Buffer.from('{"log":"no newline","stream":"stderr","time":"2026-11-23T13:00:00+01:00"}'))!;
  assert.deepEqual([partial.stream, partial.partial, partial.timeNs, partial.content.toString()], ['stderr', true, BASE, 'no newline']);
  assert.equal(parseJsonRecord(Buffer.from('{"log":"x"')), undefined, 'a torn line is skipped');
  // Every message reads back as written, whichever escapes it needs.
  for (const text of ['plain\n', 'partial', 'back\\slash\\n', 'ends in backslash-n \\n', 'tab\tand "quotes"\n', '', '\n', 'é ü 😀\n']) {
    const back = parseJsonRecord(encodeJsonEntry('stderr', BASE, Buffer.from(text)).subarray(0, -1))!;
    assert.equal(back.content.toString() + (back.partial ? '' : '\n'), text, JSON.stringify(text));
    assert.equal(back.timeNs, BASE);
  }
});

test('the json-file holds one entry per conmon record, partial lines without their newline', async () => {
  const c = container('json-file');
  appendFileSync(c.src, conmon([{ stream: 'stdout', text: 'hi\n' }, { stream: 'stderr', text: 'half' }, { stream: 'stderr', text: ' done\n' }]));
  assert.equal(await read(c.drivers, c.id, c.rec), 'hi\nhalf done\n');
  const json = readFileSync(c.drivers.logPath(c.id, c.rec), 'utf8');
  assert.equal(c.drivers.logPath(c.id, c.rec), join(dir, c.id, `${c.id}-json.log`));
  assert.equal(json, [
    '{"log":"hi\\n","stream":"stdout","time":"2026-11-23T12:00:00Z"}',
    '{"log":"half","stream":"stderr","time":"2026-11-23T12:00:00.001Z"}',
    '{"log":" done\\n","stream":"stderr","time":"2026-11-23T12:00:00.002Z"}',
    '',
  ].join('\n'));
  await c.drivers.close();
});

test('every kind of message converts to the entry the text encoder writes and reads back byte for byte', async () => {
  // Plain lines take the byte path in both directions; the rest (escapes, UTF-8, invalid
  // UTF-8, control bytes) the text path. Long and many lines put records across read chunks.
  let x = 7;
  const rand = (n: number): number => { x = (x * 1103515245 + 12345) & 0x7fffffff; return x % n; };
  const kinds = ['plain words', 'say "hi"', 'back\\slash', '<a>&amp;', 'é ü 😀', 'tab\there\r', '\u2028 sep'];
  const writes: { stream: LogStream; data: Buffer }[] = [];
  for (let i = 0; i < 30_000; i++) {
    const stream: LogStream = rand(5) === 0 ? 'stderr' : 'stdout';
    let data = Buffer.from(`${kinds[rand(kinds.length)]} ${i}${'x'.repeat(rand(4) === 0 ? rand(300) : 0)}`);
    if (rand(50) === 0) data = Buffer.concat([data, Buffer.from([0xff, 0xc3, 0x28])]);
    writes.push({ stream, data: rand(10) === 0 ? data : Buffer.concat([data, Buffer.from('\n')]) });
  }
  writes.push({ stream: 'stdout', data: Buffer.alloc(70_000, 0x41) }, { stream: 'stdout', data: Buffer.from('\n') });
  const c = container('json-file');
  const stamps = writes.map((_, i) => BASE + BigInt(i) * 1_000n);
  appendFileSync(c.src, Buffer.concat(writes.map((w, i) => encodeWrite(`${formatTimestamp(stamps[i]! + 3_600_000_000_000n).slice(0, -1)}+01:00`, w.stream, w.data))));
  for (const merge of [false, true]) {
    const chunks: LogChunk[] = [];
    for await (const ch of c.drivers.read(c.id, c.rec, { merge })) chunks.push(ch);
    for (const stream of ['stdout', 'stderr'] as const) {
      // json-file holds text: invalid UTF-8 comes back as U+FFFD, as from dockerd.
      const want = Buffer.concat(writes.filter((w) => w.stream === stream).map((w) => Buffer.from(w.data.toString('utf8'))));
      assert.ok(Buffer.concat(chunks.filter((ch) => ch.stream === stream).map((ch) => ch.data)).equals(want), `${stream} (merge ${merge})`);
    }
  }
  const expected = writes.map((w, i) => encodeJsonEntry(w.stream, stamps[i]!, w.data).toString('latin1'));
  assert.equal(readFileSync(c.drivers.logPath(c.id, c.rec), 'latin1'), expected.join(''));
  await c.drivers.close();
});

test('conversion is incremental and never converts a torn record or a record twice', async () => {
  const c = container('json-file');
  const paths = { source: c.src, target: join(dir, c.id, 'j.log'), state: join(dir, c.id, 'state') };
  const conv = new JsonLogConverter(paths, { maxSize: -1, maxFiles: 1 });
  const data = conmon(lines(1, 3));
  appendFileSync(c.src, data.subarray(0, data.length - 5));
  await conv.sync();
  assert.equal(readFileSync(paths.target, 'utf8').split('\n').length - 1, 2, 'the torn third record waits');
  appendFileSync(c.src, data.subarray(data.length - 5));
  appendFileSync(c.src, conmon(lines(4, 5), 3));
  await conv.sync();
  await conv.sync();
  const got = readFileSync(paths.target, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { log: string }).log);
  assert.deepEqual(got, ['line 1\n', 'line 2\n', 'line 3\n', 'line 4\n', 'line 5\n']);
  await conv.close();
});

test('after a kill, what was appended past the last commit is cut off and converted once more', async () => {
  const c = container('json-file');
  const paths = { source: c.src, target: join(dir, c.id, 'j.log'), state: join(dir, c.id, 'state') };
  appendFileSync(c.src, conmon(lines(1, 3)));
  const first = new JsonLogConverter(paths, { maxSize: -1, maxFiles: 1 });
  await first.sync();
  // A killed engine may have appended entries it had not committed yet.
  appendFileSync(paths.target, encodeJsonEntry('stdout', BASE, Buffer.from('line 4\n')));
  appendFileSync(c.src, conmon(lines(4, 6), 3));
  const second = new JsonLogConverter(paths, { maxSize: -1, maxFiles: 1 });
  await second.sync();
  const got = readFileSync(paths.target, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { log: string }).log);
  assert.deepEqual(got, ['line 1\n', 'line 2\n', 'line 3\n', 'line 4\n', 'line 5\n', 'line 6\n']);
  await first.close();
  await second.close();
});

test('max-size and max-file rotate under Docker\'s names and the reader reads every kept file in order', async () => {
  const c = container('json-file', { 'max-size': '1k', 'max-file': '3' });
  appendFileSync(c.src, conmon(lines(1, 100)));
  const all = await read(c.drivers, c.id, c.rec);
  const files = readdirSync(join(dir, c.id)).filter((f) => f.includes('-json.log')).sort();
  assert.deepEqual(files, [`${c.id}-json.log`, `${c.id}-json.log.1`, `${c.id}-json.log.2`]);
  for (const f of files.slice(1)) {
    const size = statSync(join(dir, c.id, f)).size;
    assert.ok(size >= 1024 && size < 1024 + 100, `${f} rotated once it reached max-size (${size})`);
  }
  const kept = all.trim().split('\n');
  assert.equal(kept.at(-1), 'line 100');
  const firstKept = Number(kept[0]!.split(' ')[1]);
  assert.deepEqual(kept, lines(firstKept, 100).map((l) => l.text.trim()), 'the kept lines, oldest first, none missing');
  assert.ok(firstKept > 1, 'the oldest lines were rotated away');
  // tail counts back across the rotated files.
  const current = readFileSync(join(dir, c.id, `${c.id}-json.log`), 'utf8').trim().split('\n').length;
  const tail = current + 5;
  assert.equal(await read(c.drivers, c.id, c.rec, { tail }), lines(101 - tail, 100).map((l) => l.text).join(''));
  assert.equal(await read(c.drivers, c.id, c.rec, { tail: 2 }), 'line 99\nline 100\n');
  await c.drivers.close();
});

test('with max-file 1 the file is truncated instead of rotated', async () => {
  const c = container('json-file', { 'max-size': '1k' });
  appendFileSync(c.src, conmon(lines(1, 100)));
  const got = await read(c.drivers, c.id, c.rec);
  assert.ok(!existsSync(`${c.drivers.logPath(c.id, c.rec)}.1`));
  assert.ok(got.endsWith('line 100\n') && !got.startsWith('line 1\n'));
  await c.drivers.close();
});

test('k8s-file (containers from before drivers) reads conmon\'s file; none refuses as dockerd does', async () => {
  const legacy = container('');
  appendFileSync(legacy.src, conmon(lines(1, 2)));
  assert.equal(await read(legacy.drivers, legacy.id, legacy.rec), 'line 1\nline 2\n');
  assert.equal(legacy.drivers.logPath(legacy.id, legacy.rec), legacy.src);
  const none = container('none');
  assert.equal(none.drivers.logPath(none.id, none.rec), '');
  await assert.rejects(read(none.drivers, none.id, none.rec), (e: Error) => e instanceof NotImplementedError && e.message === 'configured logging driver does not support reading');
});

test('log config: unknown drivers and options, and bad values, name the field', () => {
  const bad = (log: { Type: string; Config: Record<string, string> }, field: string, message: RegExp): void => {
    assert.throws(() => parseLogConfig(log), (e: Error) => e instanceof InvalidArgumentError && e.field === field && message.test(e.message));
  };
  bad({ Type: 'asdf', Config: {} }, 'HostConfig.LogConfig.Type', /no log driver named 'asdf'/);
  bad({ Type: 'json-file', Config: { 'max-sise': '1m' } }, 'HostConfig.LogConfig.Config.max-sise', /unknown log opt 'max-sise' for json-file/);
  bad({ Type: 'json-file', Config: { 'max-size': 'big' } }, 'HostConfig.LogConfig.Config.max-size', /invalid size: 'big'/);
  bad({ Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '0' } }, 'HostConfig.LogConfig.Config.max-file', /max-file cannot be less than 1/);
  bad({ Type: 'none', Config: { 'max-size': '1m' } }, 'HostConfig.LogConfig.Config.max-size', /unknown log opt 'max-size' for none/);
  assert.deepEqual(parseLogConfig({ Type: 'json-file', Config: { 'max-size': '1.5k', 'max-file': '3' } }), { driver: 'json-file', maxSize: 1536, maxFiles: 3 });
  assert.deepEqual(parseLogConfig({ Type: 'local', Config: {} }), { driver: 'local', maxSize: 20 * 1024 * 1024, maxFiles: 1 });
});
