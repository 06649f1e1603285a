import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mergeHealthcheck, probeCommand, scheduleOf } from '../../runtime/health/config.ts';
import { applyResult } from '../../runtime/health/result.ts';
import { LimitedOutput } from '../../runtime/health/output.ts';
import { goDuration } from '../../runtime/health/probe.ts';
import type { Health } from '../../runtime/health/types.ts';

test('health config: dockerd defaults, merge with the image, probe commands', () => {
  assert.deepEqual(scheduleOf({ Test: ['CMD', 'true'] }), { interval: 30_000, timeout: 30_000, retries: 3, startPeriod: 0, startInterval: 5_000 });
  assert.deepEqual(scheduleOf({ Interval: 1e9, Timeout: 0, Retries: 0, StartPeriod: 2e9, StartInterval: 5e8 }), { interval: 1000, timeout: 30_000, retries: 3, startPeriod: 2000, startInterval: 500 });
  const image = { Test: ['CMD-SHELL', 'img'], Interval: 5e9, Retries: 7 };
  assert.deepEqual(mergeHealthcheck(undefined, image), image);
  assert.deepEqual(mergeHealthcheck(null, null), undefined);
  assert.deepEqual(mergeHealthcheck({ Interval: 1e9 }, image), { Test: ['CMD-SHELL', 'img'], Interval: 1e9, Retries: 7 });
  assert.deepEqual(mergeHealthcheck({ Test: ['NONE'] }, image), { Test: ['NONE'], Interval: 5e9, Retries: 7 });
  assert.throws(() => mergeHealthcheck({ Timeout: 10 }, undefined), /Timeout in Healthcheck cannot be less than 1ms/);
  assert.deepEqual(probeCommand({ Test: ['CMD', 'curl', '-f', 'x'] }), ['curl', '-f', 'x']);
  assert.deepEqual(probeCommand({ Test: ['CMD-SHELL', 'exit 1'] }), ['/bin/sh', '-c', 'exit 1']);
  assert.equal(probeCommand({ Test: ['NONE'] }), undefined);
  assert.equal(probeCommand({ Test: [] }), undefined);
  assert.equal(probeCommand({ Test: ['BOGUS', 'x'] }), undefined);
  assert.equal(probeCommand(undefined), undefined);
});

test('health results: streaks, retries, start period, five log entries', () => {
  const at = (s: number): string => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  const r = (s: number, code: number) => ({ Start: at(s), End: at(s), ExitCode: code, Output: '' });
  const o = { retries: 2, startPeriod: 10_000, startedAt: at(0) };
  let h: Health = { Status: 'starting', FailingStreak: 0, Log: [] };
  h = applyResult(h, r(1, 1), o);
  assert.deepEqual([h.Status, h.FailingStreak], ['starting', 0], 'a failure in the start period does not count');
  h = applyResult(h, r(11, 1), o);
  assert.deepEqual([h.Status, h.FailingStreak], ['starting', 1]);
  h = applyResult(h, r(12, -1), o);
  assert.deepEqual([h.Status, h.FailingStreak], ['unhealthy', 2]);
  h = applyResult(h, r(13, 0), o);
  assert.deepEqual([h.Status, h.FailingStreak], ['healthy', 0]);
  h = applyResult(h, r(14, 1), o);
  assert.deepEqual([h.Status, h.FailingStreak], ['healthy', 1], 'one failure below the retries keeps it healthy');
  for (let i = 15; i < 20; i++) h = applyResult(h, r(i, 2), o);
  assert.equal(h.Log.length, 5);
  assert.equal(h.Log[0]!.Start, at(15));
  assert.equal(h.Status, 'unhealthy');
});

test('probe output is cut at 4096 bytes with an ellipsis; timeouts print as Go durations', () => {
  const out = new LimitedOutput();
  out.write(Buffer.alloc(4000, 'a'));
  out.write(Buffer.alloc(200, 'b'));
  const s = out.toString();
  assert.equal(s.length, 4099);
  assert.ok(s.endsWith('bbb...'));
  const small = new LimitedOutput();
  small.write(Buffer.from('ok\n'));
  assert.equal(small.toString(), 'ok\n');
  assert.deepEqual([goDuration(1000), goDuration(500), goDuration(1500), goDuration(30_000), goDuration(90_000), goDuration(3_600_000)], ['1s', '500ms', '1.5s', '30s', '1m30s', '1h0m0s']);
});
