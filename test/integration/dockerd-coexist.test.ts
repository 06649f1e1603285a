import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDockerd, startDockerd } from '../helpers/dockerd.ts';

function hasLink(name: string): boolean {
  try { execFileSync('ip', ['link', 'show', name], { stdio: 'ignore' }); return true; } catch { return false; }
}

/**
 * The tests' private dockerd must leave a Docker install alone: with `--bridge=none` dockerd
 * deletes any docker0 it finds. A docker0 that exists before (the host's, or one made here for
 * the test when there is none) must exist after, with its addresses.
 */
test('a private dockerd leaves the host docker0 and its addresses in place', { timeout: 180_000 }, async (t) => {
  const why = await ensureDockerd(t);
  assert.equal(why, undefined, `dockerd is needed: ${why}`);
  const made = !hasLink('docker0');
  if (made) {
    execFileSync('ip', ['link', 'add', 'docker0', 'type', 'bridge']);
    execFileSync('ip', ['addr', 'add', '172.17.0.1/16', 'dev', 'docker0']);
  }
  const before = execFileSync('ip', ['-o', 'addr', 'show', 'docker0']).toString().replace(/\s+valid_lft.*$/gm, '');
  const dir = await mkdtemp(join(tmpdir(), 'wharf-coexist-'));
  try {
    const d = await startDockerd(dir);
    assert.equal(typeof d, 'object', String(d));
    if (typeof d === 'object') await d.stop();
    assert.ok(hasLink('docker0'), 'docker0 survived');
    assert.equal(execFileSync('ip', ['-o', 'addr', 'show', 'docker0']).toString().replace(/\s+valid_lft.*$/gm, ''), before);
  } finally {
    if (made) execFileSync('ip', ['link', 'del', 'docker0']);
    await rm(dir, { recursive: true, force: true });
  }
});
