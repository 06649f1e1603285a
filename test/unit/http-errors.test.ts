import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as errors from '../../runtime/index.ts';
import { BadGatewayError, errorAnswer, MethodNotAllowedError, PayloadTooLargeError, RelayedError, STATUS } from '../../server/http/errors.ts';
import { DockerError, UnreachableError } from '../../server/environments/client.ts';

test('every runtime error class has one status, as dockerd maps its errdefs', () => {
  const cases: [errors.WharfError, number][] = [
    [new errors.InvalidArgumentError('x'), 400],
    [new errors.UnauthenticatedError('x'), 401],
    [new errors.PermissionDeniedError('x'), 403],
    [new errors.NotFoundError('x'), 404],
    [new errors.AlreadyExistsError('x'), 409],
    [new errors.ConflictError('x'), 409],
    [new errors.FailedPreconditionError('x'), 409],
    [new errors.ResourceExhaustedError('x'), 429],
    [new errors.NotModifiedError('x'), 304],
    [new errors.InternalError('x'), 500],
    [new errors.NotImplementedError('x'), 501],
    // dockerd: errdefs.IsUnavailable → 503 Service Unavailable.
    [new errors.UnavailableError('x'), 503],
  ];
  for (const [err, status] of cases) assert.equal(errorAnswer(err).status, status, err.code);
  // The table covers every code, so a new code cannot fall through to a default.
  assert.deepEqual(new Set(cases.map(([e]) => e.code)), new Set(Object.keys(STATUS).filter((c) => !['MethodNotAllowed', 'PayloadTooLarge', 'BadGateway'].includes(c))));
});

test('the body is {message}, with the field at fault when there is one', () => {
  assert.deepEqual(errorAnswer(new errors.InvalidArgumentError('name: required', { field: 'name' })).body, { message: 'name: required', field: 'name' });
  assert.deepEqual(errorAnswer(new errors.NotFoundError('no such container: web')).body, { message: 'no such container: web' });
});

test('a rate limit says when to retry', () => {
  const a = errorAnswer(new errors.ResourceExhaustedError('too many failed attempts', 42));
  assert.equal(a.status, 429);
  assert.equal(a.headers['Retry-After'], '42');
});

test('errors of the HTTP layer and of remote engines', () => {
  const allowed = errorAnswer(new MethodNotAllowedError('GET is not allowed', ['POST', 'DELETE']));
  assert.equal(allowed.status, 405);
  assert.equal(allowed.headers.Allow, 'POST, DELETE');
  assert.equal(errorAnswer(new PayloadTooLargeError('too big')).status, 413);
  assert.equal(errorAnswer(new BadGatewayError('down')).status, 502);
  assert.equal(errorAnswer(new UnreachableError('cannot reach the engine')).status, 502);
  // A remote engine's own answer is relayed as it said it.
  assert.equal(errorAnswer(new DockerError(409, 'conflict over there')).status, 409);
  assert.ok(new DockerError(418, 'x') instanceof RelayedError);
});

test('anything else is a 500 with its message', () => {
  assert.deepEqual(errorAnswer(new TypeError('boom')), { status: 500, body: { message: 'boom' }, headers: {} });
  assert.equal(errorAnswer('plain').body.message, 'plain');
});
