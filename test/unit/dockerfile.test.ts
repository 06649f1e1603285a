import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDockerfile, parseExecForm, parseKeyValues, splitWords, takeFlags } from '../../runtime/build/dockerfile.ts';
import { substitute } from '../../runtime/build/substitute.ts';
import { applyMetadata, commandOf } from '../../runtime/build/metadata.ts';
import { ignoreMatcher } from '../../runtime/build/context.ts';

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

test('.dockerignore patterns', () => {
  const ignored = ignoreMatcher('# comment\n*.log\nbuild/\n**/tmp\n!keep.log\n');
  assert.equal(ignored('a.log'), true);
  assert.equal(ignored('keep.log'), false);
  assert.equal(ignored('build/out/x'), true);
  assert.equal(ignored('src/deep/tmp'), true);
  assert.equal(ignored('src/main.ts'), false);
});
