import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Router, type RouteSpec } from '../../server/http/router.ts';

interface R extends RouteSpec { id: string }
const router = new Router<R>().add(
  { method: 'GET', path: '/containers/:id/json', id: 'inspect' },
  { method: 'GET', path: '/images/:name*/json', id: 'image' },
  { method: 'POST', path: '/containers/:id/start', id: 'start' },
  { method: 'DELETE', path: '/containers/:id/start', id: 'odd' },
  { method: '*', path: '/api/environments/:id/docker/*', id: 'proxy' },
  { method: 'GET', path: '/_ping', id: 'ping' },
);

function hit(method: string, path: string): { id: string; params: Record<string, string> } {
  const m = router.match(method, path);
  assert.ok('route' in m, `${method} ${path} should match`);
  return { id: m.route.id, params: m.params };
}

test('one segment per :name, decoded', () => {
  assert.deepEqual(hit('GET', '/containers/web%201/json'), { id: 'inspect', params: { id: 'web 1' } });
  // A malformed escape is kept as written instead of failing the request.
  assert.deepEqual(hit('GET', '/containers/%E0%A4%A/json').params, { id: '%E0%A4%A' });
});

test(':name* takes names with slashes (image references)', () => {
  assert.deepEqual(hit('GET', '/images/registry:5000/team/app:1.0/json'), { id: 'image', params: { name: 'registry:5000/team/app:1.0' } });
});

test('a final /* is the rest of the path, as written, or / when absent', () => {
  assert.deepEqual(hit('PATCH', '/api/environments/local/docker/containers/a%2Fb/json').params, { id: 'local', rest: '/containers/a%2Fb/json' });
  assert.deepEqual(hit('GET', '/api/environments/local/docker').params, { id: 'local', rest: '/' });
});

test('HEAD is served by the GET route', () => {
  assert.equal(hit('HEAD', '/_ping').id, 'ping');
});

test('a known path with another method lists the allowed methods; an unknown path lists none', () => {
  assert.deepEqual(router.match('PUT', '/containers/x/start'), { allowed: ['POST', 'DELETE'] });
  assert.deepEqual(router.match('GET', '/nowhere'), { allowed: [] });
  // Regex characters in a pattern are literal.
  assert.deepEqual(router.match('GET', '/Xping'), { allowed: [] });
});
