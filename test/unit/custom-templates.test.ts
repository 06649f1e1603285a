import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { NotFoundError } from '../../runtime/index.ts';
import { CUSTOM_TEMPLATE_ID_BASE, customTemplateSchema } from '../../server/protocol/index.ts';
import { CustomTemplateStore } from '../../server/templates/custom-store.ts';
import { templateFromInspect } from '../../server/templates/from-container.ts';
import { parseV3File, TemplateFormatError } from '../../server/templates/parse.ts';

test('the custom store numbers templates above the merged list, writes a v3 file, and leaves no temporary file', async () => {
  const dir = await mkdtemp(path.join(tmpdir(), 'wharf-ctpl-'));
  try {
    const file = path.join(dir, 'custom-templates.json');
    const store = new CustomTemplateStore(file);
    assert.deepEqual(await store.list(), []);
    const t = customTemplateSchema.parse({ type: 1, title: 'A', image: 'busybox' });
    const [a, b] = await Promise.all([store.create(t), store.create({ ...t, title: 'B' })]);
    assert.deepEqual([a.id, b.id], [CUSTOM_TEMPLATE_ID_BASE + 1, CUSTOM_TEMPLATE_ID_BASE + 2], 'concurrent creations are serialised');
    await store.update(a.id, { ...t, title: 'A2' });
    await store.remove(b.id);
    await assert.rejects(store.remove(b.id), NotFoundError);
    assert.deepEqual(parseV3File(await readFile(file, 'utf8')).map((x) => [x.id, x.title]), [[a.id, 'A2']]);
    assert.deepEqual(await readdir(dir), ['custom-templates.json']);
    assert.throws(() => parseV3File(JSON.stringify({ version: '2', templates: [] })), TemplateFormatError);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a container becomes a template: quoted command, env less the image, ports, volumes and binds, no compose labels', () => {
  const t = customTemplateSchema.parse(templateFromInspect({
    Id: 'abcdef123456', Name: '/web',
    Config: { Image: 'nginx:1', Cmd: ['sh', '-c', "echo 'hi there'"], Env: ['PATH=/bin', 'A=1=2', 'FLAG'], Labels: { keep: 'x', 'com.docker.compose.project': 'p' }, Hostname: 'abcdef123456' },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: '', HostPort: '8080' }], '53/udp': [{ HostPort: '' }] }, RestartPolicy: { Name: '' }, Privileged: true, NetworkMode: 'backend' },
    Mounts: [{ Type: 'volume', Name: 'data', Destination: '/data', RW: true }, { Type: 'bind', Source: '/srv', Destination: '/srv', RW: false }, { Type: 'tmpfs', Destination: '/tmp' }],
  }, ['PATH=/bin'], {}));
  assert.equal(t.command, `sh -c 'echo '\\''hi there'\\'''`);
  assert.deepEqual(t.env, [{ name: 'A', default: '1=2' }, { name: 'FLAG' }]);
  assert.deepEqual(t.ports, ['8080:80/tcp', '53/udp']);
  assert.deepEqual(t.volumes, [{ container: '/data' }, { container: '/srv', bind: '/srv', readonly: true }]);
  assert.deepEqual(t.labels, [{ name: 'keep', value: 'x' }]);
  assert.equal(t.restart_policy, 'no');
  assert.equal(t.hostname, undefined, 'the default hostname (the id) is left out');
  assert.equal(t.network, 'backend');
  assert.equal(t.privileged, true);
  assert.equal(t.title, 'web');
});
