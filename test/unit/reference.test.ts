import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError } from '../../runtime/errors.ts';
import {
  familiarName, familiarString, fullName, isImageIdLike, isValidTag, nameOnly, parseReference, refString, withDigest, withTag,
} from '../../runtime/images/reference.ts';

const HEX = 'a'.repeat(64);
const DIGEST = `sha256:${HEX}`;

test('normalises short names like Docker', () => {
  assert.deepEqual(parseReference('busybox'), { domain: 'docker.io', path: 'library/busybox', tag: 'latest' });
  assert.deepEqual(parseReference('foo/bar'), { domain: 'docker.io', path: 'foo/bar', tag: 'latest' });
  assert.deepEqual(parseReference('foo/bar/baz:1'), { domain: 'docker.io', path: 'foo/bar/baz', tag: '1' });
  assert.deepEqual(parseReference('docker.io/busybox:1.36'), { domain: 'docker.io', path: 'library/busybox', tag: '1.36' });
  assert.deepEqual(parseReference('index.docker.io/library/busybox'), { domain: 'docker.io', path: 'library/busybox', tag: 'latest' });
});

test('recognises domains by a dot, a port or localhost', () => {
  assert.deepEqual(parseReference('localhost:5000/x'), { domain: 'localhost:5000', path: 'x', tag: 'latest' });
  assert.deepEqual(parseReference('localhost/x:y'), { domain: 'localhost', path: 'x', tag: 'y' });
  assert.deepEqual(parseReference('registry.example.com/a/b:1.0'), { domain: 'registry.example.com', path: 'a/b', tag: '1.0' });
  assert.deepEqual(parseReference('myhost:443/a'), { domain: 'myhost:443', path: 'a', tag: 'latest' });
  assert.deepEqual(parseReference('[::1]:5000/a'), { domain: '[::1]:5000', path: 'a', tag: 'latest' });
  // A first component without dot, colon or "localhost" is part of the path.
  assert.deepEqual(parseReference('myhost/a'), { domain: 'docker.io', path: 'myhost/a', tag: 'latest' });
});

test('digests, with and without a tag', () => {
  assert.deepEqual(parseReference(`busybox@${DIGEST}`), { domain: 'docker.io', path: 'library/busybox', digest: DIGEST });
  assert.deepEqual(parseReference(`x:tag@${DIGEST}`), { domain: 'docker.io', path: 'library/x', tag: 'tag', digest: DIGEST });
  assert.deepEqual(parseReference(`localhost:5000/x@${DIGEST}`), { domain: 'localhost:5000', path: 'x', digest: DIGEST });
});

test('path components allow Docker separators', () => {
  for (const s of ['a_b', 'a__b', 'a.b', 'a-b', 'a---b', 'a1/b2-c3.d4_e5']) {
    assert.equal(parseReference(s).tag, 'latest', s);
  }
  assert.equal(parseReference('x:A_tag-1.2').tag, 'A_tag-1.2');
  assert.equal(parseReference(`x:${'t'.repeat(128)}`).tag, 't'.repeat(128));
});

function rejects(s: string, message: RegExp): void {
  assert.throws(() => parseReference(s), (e: unknown) => {
    assert.ok(e instanceof InvalidArgumentError, `${s}: ${String(e)}`);
    assert.match(e.message, /^invalid reference format/);
    assert.match(e.message, message, s);
    return true;
  });
}

test('rejects uppercase repository names with Docker wording', () => {
  rejects('Busybox', /repository name must be lowercase/);
  rejects('foo/Bar:tag', /repository name must be lowercase/);
  rejects('localhost:5000/Foo', /repository name must be lowercase/);
});

test('rejects malformed references', () => {
  for (const s of ['', ':tag', 'a:', 'a@', '-a', 'a-', 'a..b', 'a//b', '/a', 'a/', 'a:tag:tag', 'a:-tag', `a:${'t'.repeat(129)}`,
    'a@sha256:abc', `a@sha256:${'A'.repeat(64)}`, 'a b', 'ünïcode', 'a:t@', 'host:port/a']) {
    rejects(s, /.*/);
  }
  rejects(HEX, /cannot specify 64-byte hexadecimal strings/);
  rejects(`a/${'b'.repeat(260)}`, /must not be more than 255 characters/);
  rejects(`a@sha512:${'a'.repeat(128)}`, /unsupported digest/);
});

test('formats familiar and full names', () => {
  const r = parseReference('busybox');
  assert.equal(fullName(r), 'docker.io/library/busybox');
  assert.equal(familiarName(r), 'busybox');
  assert.equal(familiarString(r), 'busybox:latest');
  assert.equal(refString(r), 'docker.io/library/busybox:latest');

  assert.equal(familiarName(parseReference('docker.io/foo/bar')), 'foo/bar');
  assert.equal(familiarName(parseReference('library/a/b')), 'library/a/b');
  assert.equal(familiarString(parseReference('localhost:5000/x:1')), 'localhost:5000/x:1');
  assert.equal(refString(parseReference(`x:t@${DIGEST}`)), `docker.io/library/x:t@${DIGEST}`);
  assert.equal(familiarString(parseReference(`x@${DIGEST}`)), `x@${DIGEST}`);
});

test('withTag, withDigest and nameOnly', () => {
  const r = parseReference('busybox');
  assert.equal(refString(withTag(r, '1.36')), 'docker.io/library/busybox:1.36');
  assert.equal(refString(withDigest(nameOnly(r), DIGEST)), `docker.io/library/busybox@${DIGEST}`);
  assert.equal(r.tag, 'latest', 'the input is not modified');
  assert.throws(() => withTag(r, 'bad tag'), InvalidArgumentError);
  assert.throws(() => withTag(r, '.x'), InvalidArgumentError);
  assert.throws(() => withDigest(r, 'sha256:xyz'), InvalidArgumentError);
  assert.equal(isValidTag('v1.0_rc-2'), true);
  assert.equal(isValidTag(''), false);
});

test('isImageIdLike is a pure hex predicate', () => {
  assert.equal(isImageIdLike(DIGEST), true);
  assert.equal(isImageIdLike(HEX), true);
  assert.equal(isImageIdLike('a'), true);
  assert.equal(isImageIdLike('0123abcd'), true);
  assert.equal(isImageIdLike('sha256:0123'), true);
  assert.equal(isImageIdLike(''), false);
  assert.equal(isImageIdLike('sha256:'), false);
  assert.equal(isImageIdLike('a'.repeat(65)), false);
  assert.equal(isImageIdLike('ABCD'), false);
  assert.equal(isImageIdLike('busybox'), false);
  assert.equal(isImageIdLike('sha512:abcd'), false);
});

test('parse and format round-trip', () => {
  for (const s of ['docker.io/library/busybox:latest', 'localhost:5000/a/b:c', `quay.io/x/y@${DIGEST}`, `r.io/x:t@${DIGEST}`]) {
    assert.equal(refString(parseReference(s)), s);
  }
});
