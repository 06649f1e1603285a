import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, parseExecForm, parseKeyValues, splitWords, takeFlags } from '../../runtime/build/dockerfile.ts';
import { substitute } from '../../runtime/build/substitute.ts';
import { applyMetadata, commandOf } from '../../runtime/build/metadata.ts';
import { IgnoreMatcher, readIgnoreFile } from '../../runtime/build/dockerignore.ts';

test('instructions: keywords, continuations, comments, flags kept in the arguments', () => {
  const got = parseDockerfile('# syntax comment\nfrom busybox AS build\nRUN echo a \\\n  && echo b\n# note\nCOPY --from=build --chown=1:2 /a /b\n');
  assert.deepEqual(got.map((i) => [i.keyword, i.args, i.line]), [
    ['FROM', 'busybox AS build', 2],
    ['RUN', 'echo a   && echo b', 3],
    ['COPY', '--from=build --chown=1:2 /a /b', 6],
  ]);
  assert.equal(got[2]!.text, 'COPY --from=build --chown=1:2 /a /b');
  assert.deepEqual(takeFlags(got[2]!.args), { flags: { from: 'build', chown: '1:2' }, rest: '/a /b' });
});

test('unknown instructions and empty Dockerfiles are refused', () => {
  assert.throws(() => parseDockerfile('FROM busybox\nFOO bar\n'), /line 2: unknown instruction: FOO/);
  assert.throws(() => parseDockerfile('# nothing\n'), /cannot be empty/);
});

test('words, key=value pairs and the exec form', () => {
  assert.deepEqual(splitWords(`a "b c" 'd e' f\\ g`), ['a', 'b c', 'd e', 'f g']);
  assert.deepEqual(parseKeyValues('A=1 B="two words" C=', 'ENV'), [['A', '1'], ['B', 'two words'], ['C', '']]);
  assert.deepEqual(parseKeyValues('NAME some value', 'ENV'), [['NAME', 'some value']]);
  assert.throws(() => parseKeyValues('A=1 junk', 'ENV'), /can't find =/);
  assert.deepEqual(parseExecForm('["sh", "-c", "x"]'), ['sh', '-c', 'x']);
  assert.equal(parseExecForm('[not json'), null);
  assert.deepEqual(commandOf('echo hi', undefined), ['/bin/sh', '-c', 'echo hi']);
  assert.deepEqual(commandOf('echo hi', ['/bin/bash', '-c']), ['/bin/bash', '-c', 'echo hi']);
});

test('variable substitution like Docker', () => {
  const vars = new Map([['A', 'x'], ['EMPTY', '']]);
  assert.equal(substitute('$A ${A} ${A}y', vars), 'x x xy');
  assert.equal(substitute('${NOPE:-def} ${EMPTY:-def} ${EMPTY-def} ${NOPE}', vars), 'def def  ');
  assert.equal(substitute('${A:+alt} ${NOPE:+alt} ${EMPTY+set}', vars), 'alt  set');
  assert.equal(substitute("'$A' \\$A", vars), "'$A' \\$A");
  assert.deepEqual(splitWords(substitute("'$A' \\$A", vars)), ['$A', '$A']);
  assert.throws(() => substitute('${A', vars), /missing '}'/);
});

test('metadata instructions build the runtime config', () => {
  let c = applyMetadata('ENV', 'A=1 B=2', { Env: ['PATH=/bin', 'A=0'] });
  assert.deepEqual(c.Env, ['PATH=/bin', 'A=1', 'B=2']);
  c = applyMetadata('CMD', '["run"]', { ...c, Cmd: ['old'] });
  c = applyMetadata('LABEL', 'a=b "c d"=e', c);
  c = applyMetadata('EXPOSE', '80 53/UDP', c);
  c = applyMetadata('HEALTHCHECK', '--interval=5s --retries=2 CMD true', c);
  assert.deepEqual(c.Cmd, ['run']);
  assert.deepEqual(c.Labels, { a: 'b', 'c d': 'e' });
  assert.deepEqual(c.ExposedPorts, { '80/tcp': {}, '53/udp': {} });
  assert.deepEqual(c.Healthcheck, { Test: ['CMD-SHELL', 'true'], Interval: 5e9, Retries: 2 });
  assert.equal(applyMetadata('ENTRYPOINT', 'top', c).Cmd, undefined);
});

test('.dockerignore lines are trimmed and cleaned as Docker reads them', () => {
  assert.deepEqual(readIgnoreFile('\uFEFF# comment\n  *.log  \n\n/build/\n./src/../tmp\n! keep.log\n/\n'), ['*.log', 'build', 'tmp', '!keep.log', '/']);
  assert.throws(() => new IgnoreMatcher(['!']), /illegal exclusion pattern/);
});

test('.dockerignore patterns match as Docker matches them', () => {
  const cases: [string, string, boolean][] = [
    ['**', 'file', true], ['**', 'dir/file', true], ['dir/**', 'dir/dir2/file', true], ['abc/**', 'abc', false],
    ['**/dir', 'dir', true], ['**/dir', 'dir/file', true], ['**/dir2/*', 'dir/dir2/file', true],
    ['**file', 'dir/dir/file', true], ['**/file*.txt', 'dir/dir/file.txt', true], ['**/**/*.txt2', 'dir/dir/file.txt', false],
    ['**/*.txt', 'file.txt', true], ['a**/*.txt', 'a/dir/dir/file.txt', true], ['a/*.txt', 'a/dir/file.txt', false],
    ['a[b-d]e', 'ace', true], ['a[b-d]e', 'aae', false], ['a[^b-d]e', 'aze', true], ['.*', '.foo', true], ['.*', 'foo', false],
    ['abc.def', 'abcZdef', false], ['abc?def', 'abcZdef', true], ['**/.foo', 'bar.foo', false], ['a(b)c/def', 'a(b)c/def', true],
    ['a.|)$(}+{bc', 'a.|)$(}+{bc', true], ['dist/*.whl', 'dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl', true],
    ['a\\*b', 'a*b', true], ['docs', 'docs/deep/file.md', true], ['*/tmp', 'a/tmp/x', true], ['*/tmp', 'a/b/tmp', false],
  ];
  for (const [pattern, path, want] of cases) assert.equal(new IgnoreMatcher([pattern]).matches(path), want, `${pattern} ~ ${path}`);
});

test('.dockerignore exceptions: the last matching pattern wins, excluded directories are walked only when an exception may re-include', () => {
  const m = IgnoreMatcher.fromText('# comment\n*.log\nbuild/\n**/tmp\n!keep.log\ndocs\n!docs/keep.md\n');
  assert.equal(m.matches('a.log'), true);
  assert.equal(m.matches('keep.log'), false);
  assert.equal(m.matches('build/out/x'), true);
  assert.equal(m.matches('src/deep/tmp'), true);
  assert.equal(m.matches('src/main.ts'), false);
  assert.equal(m.matches('docs/a.md'), true);
  assert.equal(m.matches('docs/keep.md'), false);
  assert.equal(m.mayReinclude('docs'), true);
  assert.equal(m.mayReinclude('build'), false);
  assert.equal(new IgnoreMatcher(['**', '!util/docker/web']).matches('util/docker/web/foo'), false);
  assert.equal(new IgnoreMatcher(['**', '!util/docker/web', 'util/docker/web/foo']).matches('util/docker/web/foo'), true);
});
