/**
 * The dashboard's API client sends a read once more when the browser dropped it without an
 * answer, and never a write. fetch is replaced for this: a dropped request cannot be made to
 * happen on demand in a real browser.
 */
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { api, ApiError } from '../../components/api/client.ts';

const realFetch = globalThis.fetch;
afterEach(() => { globalThis.fetch = realFetch; });

/** A fetch that fails the first `drops` calls as a browser does for a lost request, then answers. */
function dropping(drops: number, answer: () => Response): { calls: string[] } {
  const seen = { calls: [] as string[] };
  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    seen.calls.push(`${init?.method ?? 'GET'} ${String(input)}`);
    if (seen.calls.length <= drops) throw new TypeError('Failed to fetch');
    return answer();
  }) as typeof fetch;
  return seen;
}

test('a read dropped without an answer is sent once more', async () => {
  const seen = dropping(1, () => Response.json({ Id: 'abc' }));
  assert.deepEqual(await api('/api/environments/local/docker/containers/abc/json'), { Id: 'abc' });
  assert.equal(seen.calls.length, 2);
});

test('a read dropped twice fails with the network error', async () => {
  const seen = dropping(2, () => Response.json({}));
  await assert.rejects(api('/api/health'), TypeError);
  assert.equal(seen.calls.length, 2);
});

test('a write is never sent twice: the first may have been carried out', async () => {
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const seen = dropping(1, () => Response.json({}));
    await assert.rejects(api('/api/environments/local/docker/containers/create', { method, body: { Image: 'busybox' } }), TypeError);
    assert.equal(seen.calls.length, 1, method);
  }
});

test('an answer, even an error, is never asked for again', async () => {
  const seen = dropping(0, () => Response.json({ message: 'no such container: x' }, { status: 404 }));
  await assert.rejects(api('/api/environments/local/docker/containers/x/json'), (e: unknown) => e instanceof ApiError && e.status === 404);
  assert.equal(seen.calls.length, 1);
});

test('an aborted read is not sent again', async () => {
  const controller = new AbortController();
  controller.abort();
  const seen = { calls: 0 };
  globalThis.fetch = (async () => { seen.calls++; throw new DOMException('aborted', 'AbortError'); }) as typeof fetch;
  await assert.rejects(api('/api/health', { signal: controller.signal }), (e: unknown) => e instanceof DOMException);
  assert.equal(seen.calls, 1);
});
