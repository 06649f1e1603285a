import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine, HostConfig } from '../../runtime/index.ts';
import { collect, eventually, startTestEngine } from '../helpers/engine.ts';

/**
 * Every restart policy with every kind of mount, as Docker runs them: each run appends a line
 * to a file on the mount and prints how many lines the file has, then exits 3. A mount that
 * persists (named volume, anonymous volume, bind) counts up across restarts; a tmpfs starts
 * empty on every run.
 */
type MountKind = 'named volume' | 'anonymous volume' | 'bind' | 'tmpfs';
const KINDS: MountKind[] = ['named volume', 'anonymous volume', 'bind', 'tmpfs'];
const SCRIPT = 'echo run >> /m/runs; wc -l < /m/runs; exit 3';

function mountOf(kind: MountKind, tag: string, bindDir: string): { hostConfig: HostConfig; volumes?: Record<string, object> } {
  switch (kind) {
    case 'named volume': return { hostConfig: { Binds: [`restart-${tag}:/m`] } };
    case 'anonymous volume': return { hostConfig: {}, volumes: { '/m': {} } };
    case 'bind': return { hostConfig: { Binds: [`${bindDir}:/m`] } };
    case 'tmpfs': return { hostConfig: { Tmpfs: { '/m': 'rw' } } };
  }
}

async function counts(engine: Engine, id: string): Promise<number[]> {
  return (await collect(engine.containers.logs(id, {}))).split('\n').filter(Boolean).map(Number);
}

/** What the file on the mount should have said on runs 1..n. */
function expected(kind: MountKind, n: number): number[] {
  return Array.from({ length: n }, (_, i) => (kind === 'tmpfs' ? 1 : i + 1));
}

async function create(engine: Engine, policy: string, kind: MountKind, tag: string, bindDir: string): Promise<string> {
  const [name, max] = policy.split(':');
  const m = mountOf(kind, tag, bindDir);
  const c = await engine.containers.create({
    name: `restart-${tag}`,
    config: { Image: 'busybox', Cmd: ['sh', '-c', SCRIPT], ...(m.volumes ? { Volumes: m.volumes } : {}) },
    hostConfig: { ...m.hostConfig, RestartPolicy: { Name: name as 'always', MaximumRetryCount: Number(max ?? 0) } },
  });
  return c.id;
}

const slug = (s: string): string => s.replace(/[^a-z0-9]+/g, '-');

for (const policy of ['always', 'unless-stopped']) {
  test(`restart policy ${policy}: every mount kind restarts, keeps its mounts, and a manual stop wins`, async () => {
    const t = await startTestEngine(`rp-${slug(policy)}`);
    const bindBase = await mkdtemp(join(tmpdir(), 'wharf-restart-bind-'));
    try {
      await Promise.all(KINDS.map(async (kind) => {
        const tag = `${slug(policy)}-${slug(kind)}`;
        const id = await create(t.engine, policy, kind, tag, bindBase);
        await t.engine.containers.start(id);
        // Three runs: the first and two restarts by policy.
        await eventually(() => t.engine.containers.get(id).record.RestartCount >= 2, `${kind}: two restarts`, 60_000);
        await eventually(async () => (await counts(t.engine, id)).length >= 3, `${kind}: three runs logged`, 60_000);
        const seen = await counts(t.engine, id);
        assert.deepEqual(seen.slice(0, 3), expected(kind, 3), `${kind}: what the mount held on each run`);

        await t.engine.containers.stop(id, 1);
        const stopped = t.engine.containers.get(id);
        assert.equal(stopped.state.Status, 'exited', `${kind}: stopped by hand`);
        assert.equal(stopped.state.Restarting, false);
        const count = stopped.record.RestartCount;
        // Longer than any back-off reached here: a restart that was due would have happened.
        await sleep(2_000);
        assert.equal(t.engine.containers.get(id).state.Status, 'exited', `${kind}: a manual stop is not undone`);
        assert.equal(t.engine.containers.get(id).record.RestartCount, count);

        // A manual start is a new start: Docker resets RestartCount.
        await t.engine.containers.start(id);
        assert.equal(t.engine.containers.get(id).record.RestartCount, 0);
        await t.engine.containers.stop(id, 1);
      }));
      const left = await t.cleanup();
      assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
    } finally {
      await rm(bindBase, { recursive: true, force: true });
    }
  });
}

test('restart policy on-failure:2: restarts twice on failure with every mount kind, then stays exited', async () => {
  const t = await startTestEngine('rp-onfailure');
  const bindBase = await mkdtemp(join(tmpdir(), 'wharf-restart-bind-'));
  try {
    await Promise.all(KINDS.map(async (kind) => {
      const id = await create(t.engine, 'on-failure:2', kind, `on-failure-${slug(kind)}`, bindBase);
      await t.engine.containers.start(id);
      await eventually(() => {
        const row = t.engine.containers.get(id);
        return row.record.RestartCount === 2 && row.state.Status === 'exited';
      }, `${kind}: the last retry to exit`, 60_000);
      const row = t.engine.containers.get(id);
      assert.equal(row.state.ExitCode, 3);
      assert.equal(row.record.RestartCount, 2, `${kind}: RestartCount as Docker reports it`);
      assert.deepEqual(await counts(t.engine, id), expected(kind, 3), `${kind}: three runs, each with its mount`);
    }));
    // on-failure does not restart a clean exit.
    const ok = await t.engine.containers.create({ name: 'on-failure-clean', config: { Image: 'busybox', Cmd: ['true'] }, hostConfig: { Binds: ['on-failure-clean:/m'], RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 0 } } });
    const done = t.engine.containers.waitUntil(ok.id, 'next-exit');
    await t.engine.containers.start(ok.id);
    assert.equal((await done).StatusCode, 0);
    await sleep(1_000);
    assert.equal(t.engine.containers.get(ok.id).state.Status, 'exited');
    assert.equal(t.engine.containers.get(ok.id).record.RestartCount, 0);
    const left = await t.cleanup();
    assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
  } finally {
    await rm(bindBase, { recursive: true, force: true });
  }
});

test('restart policy no: every mount kind runs once', async () => {
  const t = await startTestEngine('rp-no');
  const bindBase = await mkdtemp(join(tmpdir(), 'wharf-restart-bind-'));
  try {
    await Promise.all(KINDS.map(async (kind) => {
      const id = await create(t.engine, 'no', kind, `no-${slug(kind)}`, bindBase);
      const done = t.engine.containers.waitUntil(id, 'next-exit');
      await t.engine.containers.start(id);
      assert.equal((await done).StatusCode, 3);
      await sleep(1_000);
      const row = t.engine.containers.get(id);
      assert.equal(row.state.Status, 'exited');
      assert.equal(row.record.RestartCount, 0);
      assert.deepEqual(await counts(t.engine, id), expected(kind, 1));
    }));
    const left = await t.cleanup();
    assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
  } finally {
    await rm(bindBase, { recursive: true, force: true });
  }
});
