import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeRecord, encodeWrite, formatTimestamp, LineSplitter, parseRecord, parseTimestamp,
} from '../../runtime/tasks/logs/index.ts';
import { MAX_LINE_BYTES } from '../../runtime/tasks/logs/lines.ts';

const line = (s: string | Buffer): Buffer => (typeof s === 'string' ? Buffer.from(s, 'latin1') : s);

test('parseRecord reads full and partial records as conmon writes them', () => {
  const full = parseRecord(line('2026-11-23T13:00:00.123456789+01:00 stdout F hello world'));
  assert.deepEqual(full && { ...full, content: full.content.toString() }, {
    time: '2026-11-23T13:00:00.123456789+01:00',
    timeNs: 1795435200123456789n,
    stream: 'stdout',
    partial: false,
    content: 'hello world',
  });
  const partial = parseRecord(line('2026-11-23T12:00:00.000000001-05:30 stderr P  two  spaces '));
  assert.equal(partial?.stream, 'stderr');
  assert.equal(partial?.partial, true);
  assert.equal(partial?.content.toString(), ' two  spaces ');
});

test('parseRecord keeps content bytes untouched', () => {
  const content = Buffer.from([0x00, 0xff, 0xfe, 0x0d, 0x20, 0x1b, 0x5b, 0x6d, 0xc3]);
  const rec = parseRecord(Buffer.concat([line('2026-11-23T12:00:00.000000000+00:00 stdout F '), content]));
  assert.ok(rec);
  assert.ok(rec.content.equals(content));
});

test('parseRecord handles empty content, extra tags and rejects non-records', () => {
  assert.equal(parseRecord(line('2026-11-23T12:00:00.000000000+00:00 stdout F '))?.content.length, 0);
  assert.equal(parseRecord(line('2026-11-23T12:00:00.000000000+00:00 stdout F'))?.content.length, 0);
  assert.equal(parseRecord(line('2026-11-23T12:00:00.000000000+00:00 stdout P:x y'))?.content.toString(), 'y');
  for (const bad of [
    '', 'garbage', '2026-11-23T12:00:00.000000000+00:00 stdin F x',
    '2026-11-23T12:00:00.000000000+00:00 stdout X x', '2026-11-23T12:00:00.000000000+00:00 stdout FF x',
    'not-a-time stdout F x', '2026-11-23T12:00:00.000000000+00:00',
  ]) {
    assert.equal(parseRecord(line(bad)), undefined, bad);
  }
});

test('parseTimestamp honours offsets and fraction lengths', () => {
  const utc = parseTimestamp('2026-11-23T12:00:00.123456789Z');
  assert.equal(utc, 1795435200123456789n);
  assert.equal(parseTimestamp('2026-11-23T13:00:00.123456789+01:00'), utc);
  assert.equal(parseTimestamp('2026-11-23T06:30:00.123456789-05:30'), utc);
  assert.equal(parseTimestamp('2026-11-23T12:00:00.5Z'), 1795435200500000000n);
  assert.equal(parseTimestamp('2026-11-23T12:00:00Z'), 1795435200000000000n);
  assert.equal(parseTimestamp('2026-11-23 12:00:00Z'), undefined);
  assert.equal(parseTimestamp('2026-11-23T12:00:00.1234567890Z'), undefined);
});

test('formatTimestamp prints UTC with nine digits and Z', () => {
  assert.equal(formatTimestamp(1795435200123456789n), '2026-11-23T12:00:00.123456789Z');
  assert.equal(formatTimestamp(1795435200000000010n), '2026-11-23T12:00:00.000000010Z');
  assert.equal(formatTimestamp(0n), '1970-01-01T00:00:00.000000000Z');
  const t = '2026-11-23T13:00:00.000001000+01:00';
  assert.equal(formatTimestamp(parseTimestamp(t)!), '2026-11-23T12:00:00.000001000Z');
});

test('encodeWrite splits one read into F records and a trailing P record', () => {
  const out = encodeWrite('T', 'stdout', Buffer.from('a\n\nb\r\nrest'));
  assert.equal(out.toString(), 'T stdout F a\nT stdout F \nT stdout F b\r\nT stdout P rest\n');
  assert.throws(() => encodeRecord('T', 'stdout', false, Buffer.from('a\nb')), RangeError);
});

/** The lines of one chunk as the splitter gives them: the joined one, then those of the span. */
function lines(s: LineSplitter, chunk: Buffer): { bytes: Buffer; offset: number }[] {
  const { joined, start, end, offset } = s.span(chunk);
  const out = joined ? [joined] : [];
  for (let at = start; at < end;) {
    const nl = chunk.indexOf(0x0a, at);
    out.push({ bytes: chunk.subarray(at, nl), offset: offset + at - start });
    at = nl + 1;
  }
  return out;
}

test('LineSplitter returns complete lines with offsets and holds back a torn line', () => {
  const s = new LineSplitter(100);
  assert.deepEqual(lines(s, Buffer.from('ab')), []);
  assert.equal(s.pending, 2);
  const got = [...lines(s, Buffer.from('c\nde\n\nf')), ...lines(s, Buffer.from('g')), ...lines(s, Buffer.from('\n'))];
  assert.deepEqual(got.map((l) => [l.bytes.toString(), l.offset]), [['abc', 100], ['de', 104], ['', 107], ['fg', 108]]);
  assert.equal(s.pending, 0);
  assert.equal(s.offset, 111);
});

test('LineSplitter drops a line longer than the limit and resumes after it', () => {
  const s = new LineSplitter();
  const big = Buffer.alloc(MAX_LINE_BYTES / 2, 0x61);
  assert.deepEqual(lines(s, Buffer.from('ok\n')).map((l) => l.bytes.toString()), ['ok']);
  lines(s, big);
  lines(s, big);
  lines(s, big);
  const got = lines(s, Buffer.from('tail-of-big\nnext\n'));
  assert.deepEqual(got.map((l) => [l.bytes.toString(), l.offset]), [['next', 3 + 3 * big.length + 12]]);
});
