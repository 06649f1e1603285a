import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BlobFlights, Leases } from '../../runtime/registry/flights.ts';
import { manifestMediaType } from '../../runtime/registry/manifest.ts';
import { limiter } from '../../runtime/util/limit.ts';

const D = 'sha256:aa' as const;

/** A download that resolves or fails when told, and records whether it was aborted. */
function controllable() {
  let finish!: (v: boolean) => void;
  const state = { started: 0, aborted: false };
  const download = (signal: AbortSignal) => {
    state.started += 1;
    return new Promise<boolean>((resolve, reject) => {
      finish = resolve;
      signal.addEventListener('abort', () => { state.aborted = true; reject(new Error('aborted')); });
    });
  };
  return { state, download, finish: (v: boolean) => finish(v) };
}

test('pulls of the same blob share one download', async () => {
  const flights = new BlobFlights();
  const c = controllable();
  const a = flights.join(D, c.download, undefined);
  const b = flights.join(D, c.download, undefined);
  c.finish(true);
  assert.deepEqual(await Promise.all([a, b]), [true, true]);
  assert.equal(c.state.started, 1);
});

test('a download goes on while one pull still waits, and stops when the last one leaves', async () => {
  const flights = new BlobFlights();
  const c = controllable();
  const first = new AbortController();
  const second = new AbortController();
  const a = flights.join(D, c.download, first.signal);
  const b = flights.join(D, c.download, second.signal);
  first.abort();
  await assert.rejects(a, /client disconnected/);
  assert.equal(c.state.aborted, false);
  second.abort();
  await assert.rejects(b, /client disconnected/);
  assert.equal(c.state.aborted, true);
  // A later pull starts afresh.
  const again = controllable();
  const p = flights.join(D, again.download, undefined);
  again.finish(false);
  assert.equal(await p, false);
});

test('a lease keeps a blob held until every holder released it', () => {
  const leases = new Leases();
  const r1 = leases.acquire([D]);
  const r2 = leases.acquire([D, D]);
  r1();
  r1();
  assert.equal(leases.held(D), true);
  r2();
  assert.equal(leases.held(D), false);
});

test('ambiguous manifests are refused; the declared type agrees with Content-Type', () => {
  const doc = (o: object) => Buffer.from(JSON.stringify(o));
  const oci = 'application/vnd.oci.image.manifest.v1+json';
  const index = 'application/vnd.oci.image.index.v1+json';
  assert.equal(manifestMediaType(doc({ schemaVersion: 2, mediaType: oci, config: {}, layers: [] }), oci, 'x'), oci);
  assert.equal(manifestMediaType(doc({ schemaVersion: 2, manifests: [] }), 'application/json', 'x'), index);
  assert.throws(() => manifestMediaType(doc({ schemaVersion: 2, manifests: [], layers: [] }), index, 'x'), /ambiguous/);
  assert.throws(() => manifestMediaType(doc({ schemaVersion: 2, mediaType: oci, config: {}, layers: [] }), index, 'x'), /ambiguous/);
  assert.throws(() => manifestMediaType(doc({ schemaVersion: 2, mediaType: index, layers: [] }), null, 'x'), /ambiguous/);
  assert.throws(() => manifestMediaType(Buffer.from('not json'), null, 'x'), /not JSON/);
});

test('the limiter runs at most n tasks at once, in order', async () => {
  const limit = limiter(2);
  let active = 0;
  let peak = 0;
  const order: number[] = [];
  await Promise.all([1, 2, 3, 4, 5].map((n) => limit(async () => {
    active += 1;
    peak = Math.max(peak, active);
    order.push(n);
    await new Promise((r) => setImmediate(r));
    active -= 1;
  })));
  assert.equal(peak, 2);
  assert.deepEqual(order, [1, 2, 3, 4, 5]);
});
