import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createSchema } from '../../components/containers/create/schema.ts';
import { toCreateRequest } from '../../components/containers/create/to-body.ts';
import { initialEnvValue, logoSrc, noteText, portRow, valuesFromTemplate } from '../../components/templates/values.ts';
import { parseTemplateFile } from '../../server/templates/parse.ts';

const v2 = parseTemplateFile(readFileSync(fileURLToPath(new URL('../fixtures/templates/v2.json', import.meta.url)), 'utf8'));
const v3 = parseTemplateFile(readFileSync(fileURLToPath(new URL('../fixtures/templates/v3.json', import.meta.url)), 'utf8'));

test('template ports become form rows: no host port means a free one', () => {
  assert.deepEqual(portRow('80/tcp'), { hostIp: '', host: '', container: '80', protocol: 'tcp' });
  assert.deepEqual(portRow('8080:80/tcp'), { hostIp: '', host: '8080', container: '80', protocol: 'tcp' });
  assert.deepEqual(portRow('53/udp'), { hostIp: '', host: '', container: '53', protocol: 'udp' });
  assert.deepEqual(portRow('9000'), { hostIp: '', host: '', container: '9000', protocol: 'tcp' });
});

test('env fields start at the default option of a select, else its first, else the default text', () => {
  const [mode, token, kind] = v2[0]!.env;
  assert.equal(initialEnvValue(mode!), 'safe');
  assert.equal(initialEnvValue({ ...mode!, select: [{ text: 'A', value: 'a' }, { text: 'B', value: 'b' }] }), 'a');
  assert.equal(initialEnvValue(token!), '');
  assert.equal(initialEnvValue(kind!), 'echo');
});

test('a container template becomes a valid create request with its volumes, binds, labels and restart policy', () => {
  const values = valuesFromTemplate({ ...v2[0]!, id: 1, source: 'test' });
  assert.equal(createSchema.safeParse(values).success, true);
  const { body } = toCreateRequest(values);
  assert.equal(body.Image, 'busybox:latest');
  assert.deepEqual(body.Cmd, ['nc', '-ll', '-p', '7', '-e', 'cat']);
  assert.deepEqual(body.HostConfig.Binds, ['/srv/app:/etc/app:ro']);
  assert.deepEqual(Object.keys(body.ExposedPorts ?? {}).sort(), ['7/tcp', '80/tcp']);
  assert.deepEqual(body.HostConfig.PortBindings?.['80/tcp'], [{ HostIp: '', HostPort: '8080' }]);
  assert.deepEqual(body.Labels, { team: 'net' });
  assert.equal(body.HostConfig.RestartPolicy?.Name, 'always');
  assert.equal(body.Hostname, 'echo');
  assert.equal(body.OpenStdin, true);
  const served = valuesFromTemplate({ ...v3[0]!, id: 2, source: 'test' });
  assert.equal(served.image, 'registry.example.test/busybox:latest', 'the registry prefixes the image');
  assert.equal(served.name, 'served');
});

test('notes are shown as text and logos only from our own server', () => {
  assert.equal(noteText('<b>bold</b> &amp; <script>alert(1)</script>safe<br/>next'), 'bold & alert(1)safe\nnext');
  assert.equal(logoSrc('/templates/redis.svg'), '/templates/redis.svg');
  assert.equal(logoSrc('https://cdn.example.test/a.png'), '/api/templates/logo?url=https%3A%2F%2Fcdn.example.test%2Fa.png');
  for (const bad of [undefined, '//evil.example.test/x.png', 'javascript:alert(1)', 'data:image/svg+xml,<svg/>']) assert.equal(logoSrc(bad), '/templates/fallback.svg');
});
