import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(import.meta.dirname, '../..');

test('the committed Docker API types are what the generator makes of the spec', { timeout: 180_000 }, async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wharf-docker-types-'));
  try {
    const out = path.join(dir, 'docker-api.gen.ts');
    for (const bin of ['swagger2openapi', 'openapi-typescript']) {
      assert.ok(existsSync(path.join(ROOT, 'node_modules/.bin', bin)), `${bin} is missing: it is a devDependency, run npm ci`);
    }
    await promisify(execFile)('bash', [path.join(ROOT, 'scripts/gen-docker-types.sh'), out], {
      env: { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}` },
      maxBuffer: 16 * 1024 * 1024,
    });
    const fresh = await readFile(out, 'utf8');
    const committed = await readFile(path.join(ROOT, 'server/protocol/docker-api.gen.ts'), 'utf8');
    assert.ok(fresh.includes('ContainerSummary: {'), 'the generator produced the schemas');
    assert.ok(fresh === committed, 'server/protocol/docker-api.gen.ts is stale: run npm run gen:docker-types and commit it');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
