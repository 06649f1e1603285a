import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { Ticker } from '../../runtime/util/ticker.ts';

test('a ticker wakes every waiter in one turn, lets an aborted one go, and stops once nobody waits', async () => {
  // Turns of the event loop, counted: waiters woken by one tick see the same count.
  let turn = 0;
  let spinning = true;
  const spin = (): void => { turn++; if (spinning) setImmediate(spin); };
  setImmediate(spin);
  try {
    const ticker = new Ticker(30);
    const seen = (p: Promise<boolean>) => p.then((ticked) => ({ ticked, turn }));
    const first = seen(ticker.next());
    await sleep(10);
    const second = seen(ticker.next());
    const ac = new AbortController();
    const aborted = ticker.next(ac.signal);
    ac.abort();
    assert.equal(await aborted, false, 'an aborted wait ends at once');
    const [a, b] = await Promise.all([first, second]);
    assert.equal(a.ticked, true);
    assert.equal(b.ticked, true);
    assert.equal(a.turn, b.turn, 'woken by the same tick');
    assert.equal(await ticker.next(AbortSignal.abort()), false);
    assert.equal(ticker.running, true);
    for (let i = 0; i < 100 && ticker.running; i++) await sleep(10);
    assert.equal(ticker.running, false, 'a tick with nobody waiting ends the interval');
  } finally {
    spinning = false;
  }
});
