import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from '../../server/registries/secret-box.ts';
import { RegistryStore } from '../../server/registries/store.ts';
import { openDashboardDb } from '../../server/auth/db.ts';

test('registry passwords are sealed at rest with a 0600 key and never in the DTO', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-secrets-'));
  try {
    const keyFile = join(dir, 'registry-secrets.key');
    const box = await SecretBox.fromKeyFile(keyFile);
    assert.equal((await stat(keyFile)).mode & 0o777, 0o600);
    assert.equal((await readFile(keyFile)).length, 32);
    const db = openDashboardDb(join(dir, 'dashboard.db'));
    const store = new RegistryStore(db, box);
    const added = store.add({ name: 'hub', address: 'https://index.docker.io', username: 'me', password: 'hunter2-secret' });
    assert.deepEqual(Object.keys(added).sort(), ['address', 'hasPassword', 'id', 'name', 'username']);
    assert.equal(added.address, 'docker.io');
    assert.equal(added.hasPassword, true);
    assert.deepEqual(store.credentialsFor('docker.io'), { username: 'me', password: 'hunter2-secret', serveraddress: 'docker.io' });
    assert.equal(store.credentialsFor('other.example:5000'), undefined);
    const raw = db.prepare('SELECT password_sealed FROM registries').get() as { password_sealed: Buffer };
    assert.ok(!raw.password_sealed.includes('hunter2-secret'));

    // Editing without a password keeps it; a new one replaces it.
    store.update(added.id, { username: 'you' });
    assert.equal(store.credentials(added.id).password, 'hunter2-secret');
    store.update(added.id, { password: 'changed' });
    assert.equal(store.credentials(added.id).password, 'changed');
    assert.throws(() => store.add({ name: 'HUB', address: 'x.example', username: '', password: '' }), /exists already/);
    assert.throws(() => store.add({ name: 'other', address: 'registry-1.docker.io', username: '', password: '' }), /has credentials already/);

    // A ciphertext moved to another row does not open, and the same key file opens it again.
    const other = store.add({ name: 'local', address: '127.0.0.1:5000', username: 'u', password: '' });
    assert.equal(other.hasPassword, false);
    db.prepare('UPDATE registries SET password_sealed = ? WHERE id = ?').run(raw.password_sealed, other.id);
    assert.throws(() => store.credentials(other.id));
    const again = new RegistryStore(db, await SecretBox.fromKeyFile(keyFile));
    assert.equal(again.credentials(added.id).password, 'changed');
    store.remove(other.id);
    assert.throws(() => store.remove(other.id), /no such registry/);
    db.close();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
