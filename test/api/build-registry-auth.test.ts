/**
 * Builds whose FROM names an image in a registry that needs credentials (Debian's
 * docker-registry with htpasswd): the docker CLI's logins reach the builder in
 * X-Registry-Config, and the dashboard's builds and pulls use the credentials stored on the
 * Registries page, which are never returned or logged.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { join } from 'node:path';
import tar from 'tar-stream';
import { startWharf, type Wharf } from '../helpers/wharf-server.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';
import { runDocker, type CliOptions } from '../helpers/docker-cli.ts';
import { request } from '../helpers/unix-http.ts';

const PASSWORD = 'build-auth-admin-password';
const USER = { name: 'builder', password: 'registry-secret-Pw9' };
let wharf: Wharf;
let registry: TestRegistry;

before(async () => {
  registry = await startRegistry({ user: USER });
  wharf = await startWharf('buildauth', { WHARF_ADMIN_PASSWORD: PASSWORD });
});

after(async () => {
  const left = await wharf?.stop();
  await registry?.stop();
  if (left) assert.deepEqual([left.mounts, left.runc, left.conmon, left.cgroups], [[], [], [], []], 'nothing left on the host');
});

const docker = (args: string[], opts: CliOptions = {}) =>
  runDocker(wharf.socket, join(wharf.dir, 'docker-config'), args, { timeoutMs: 180_000, ...opts, env: { DOCKER_BUILDKIT: '0', ...opts.env } });

async function ok(args: string[], opts: CliOptions = {}): Promise<string> {
  const r = await docker(args, opts);
  assert.equal(r.code, 0, `docker ${args.join(' ')} (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const exists = async (ref: string): Promise<boolean> => (await docker(['image', 'inspect', ref])).code === 0;

async function contextTar(dockerfile: string): Promise<Buffer> {
  const p = tar.pack();
  p.entry({ name: 'Dockerfile' }, dockerfile);
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const c of p) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** POST through the dashboard's Docker API proxy with a tar body; the whole answer as text. */
function dashboardPost(cookie: string, path: string, body: Buffer, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port: Number(new URL(wharf.url).port), method: 'POST', path: `/api/environments/local/docker${path}`,
      headers: { cookie, 'content-type': 'application/x-tar', 'content-length': body.length, ...headers },
    }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { text += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a FROM in a registry with credentials: the CLI\'s login and the Registries page\'s credentials reach the build', async () => {
  const base = `${registry.host}/private/base:1`;
  await ok(['login', '-u', USER.name, '--password-stdin', registry.host], { input: USER.password });
  await ok(['tag', 'busybox', base]);
  await ok(['push', base]);
  await ok(['rmi', base]);
  await ok(['logout', registry.host]);
  const dockerfile = `FROM ${base}\nRUN echo built > /built\n`;

  // Without a login the registry refuses the base image, and the build says so.
  const refused = await docker(['build', '-t', 'from-private:cli', '-'], { input: dockerfile });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr + refused.stdout, /unauthorized|authentication required|incorrect username or password/i);
  assert.equal(await exists(base), false);

  // The CLI sends every login it has in X-Registry-Config; the builder pulls with it.
  await ok(['login', '-u', USER.name, '--password-stdin', registry.host], { input: USER.password });
  await ok(['build', '-t', 'from-private:cli', '-'], { input: dockerfile });
  assert.equal((await ok(['run', '--rm', 'from-private:cli', 'cat', '/built'])).trim(), 'built');
  await ok(['rmi', 'from-private:cli', base]);
  await ok(['logout', registry.host]);

  // The dashboard: the administrator stores the credentials on the Registries page.
  const port = Number(new URL(wharf.url).port);
  const login = await request({ port }, 'POST', '/api/auth/login', { body: { username: 'admin', password: PASSWORD } });
  const cookie = (login.headers['set-cookie'] ?? []).find((c) => c.startsWith('wharf_session='))!.split(';')[0]!;
  const bare = await dashboardPost(cookie, '/build?t=from-private:dash', await contextTar(dockerfile));
  assert.match(bare.text, /"errorDetail"/, 'without stored credentials the dashboard build cannot pull the base');
  assert.equal(await exists('from-private:dash'), false);
  const added = await request({ port }, 'POST', '/api/registries', { headers: { cookie }, body: { name: 'private', address: registry.host, username: USER.name, password: USER.password } });
  assert.equal(added.status, 201, added.text);
  assert.ok(!added.text.includes(USER.password));

  const built = await dashboardPost(cookie, '/build?t=from-private:dash', await contextTar(dockerfile));
  assert.equal(built.status, 200);
  assert.doesNotMatch(built.text, /"errorDetail"/, built.text);
  assert.match(built.text, /Successfully tagged from-private:dash/);
  assert.equal((await ok(['run', '--rm', 'from-private:dash', 'cat', '/built'])).trim(), 'built');

  // A template deploy pulls through the same proxy (POST /images/create): the stored credentials apply.
  await ok(['rmi', base]);
  const pulled = await dashboardPost(cookie, `/images/create?fromImage=${encodeURIComponent(`${registry.host}/private/base`)}&tag=1`, Buffer.alloc(0));
  assert.equal(pulled.status, 200);
  assert.doesNotMatch(pulled.text, /"error"/, pulled.text);
  assert.equal(await exists(base), true);

  // Never returned, never in the server's output.
  const listed = await request({ port }, 'GET', '/api/registries', { headers: { cookie } });
  assert.ok(!listed.text.includes(USER.password));
  assert.ok(!wharf.output.some((l) => l.includes(USER.password) || l.includes(Buffer.from(USER.password).toString('base64'))), 'the server never logs the password');
  await ok(['rmi', 'from-private:dash', base]);
});
