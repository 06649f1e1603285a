import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEnvFile } from '../../server/stacks/env-file.ts';
import { interpolate, InterpolationError } from '../../server/stacks/interpolate.ts';
import { parseCompose } from '../../server/stacks/parse.ts';
import { loadProject } from '../../server/stacks/load.ts';
import { configHash } from '../../server/stacks/hash.ts';
import { computePlan, startOrder, type EngineState, type ExistingContainer } from '../../server/stacks/plan.ts';
import { createBody } from '../../server/stacks/create-body.ts';
import type { Project } from '../../server/stacks/model.ts';

const DIR = '/srv/stacks/shop';
const files: Record<string, string> = { [`${DIR}/web.env`]: 'FROM_FILE=1\nSHARED=file\n', [`${DIR}/base.yaml`]: 'services:\n  base:\n    image: busybox\n    environment: { BASE: "yes" }\n    labels: [tier=base]\n' };

async function load(compose: string, env = ''): Promise<Project> {
  const loaded = await loadProject({ compose, env }, {
    name: 'shop', workingDir: DIR, configFile: `${DIR}/compose.yaml`,
    readFile: async (f) => {
      if (f in files) return files[f]!;
      throw Object.assign(new Error('missing'), { code: 'ENOENT' });
    },
  });
  assert.deepEqual(loaded.problems, []);
  return loaded.project!;
}

test('interpolation: ${VAR}, defaults with and without the colon, required, $$ and nesting', () => {
  const env = { SET: 'x', EMPTY: '' };
  assert.equal(interpolate('a-${SET}-$SET', env), 'a-x-x');
  assert.equal(interpolate('${EMPTY:-d}|${EMPTY-d}|${UNSET-d}|${UNSET:-d}', env), 'd||d|d');
  assert.equal(interpolate('${UNSET:-${SET}y}', env), 'xy');
  assert.equal(interpolate('$$HOME costs $$5', env), '$HOME costs $5');
  assert.equal(interpolate('${SET:+alt}${UNSET:+alt}', env), 'alt');
  assert.throws(() => interpolate('${EMPTY:?must be set}', env), (e: Error) => e instanceof InterpolationError && /EMPTY.*must be set/.test(e.message));
  assert.equal(interpolate('${EMPTY?unused}', env), '');
  assert.throws(() => interpolate('${SET', env), InterpolationError);
});

test('.env files: comments, export, quotes, inline comments', () => {
  assert.deepEqual(parseEnvFile('# c\nexport A=1\nB="two\\nlines" \nC=\'lit $X\'\nD=v # note\nE=\n'), { A: '1', B: 'two\nlines', C: 'lit $X', D: 'v', E: '' });
  assert.throws(() => parseEnvFile('A=1\nnot valid=2'), /line 2/);
});

test('schema and interpolation problems are reported at their line and column', () => {
  const bad = parseCompose('services:\n  web:\n    image: busybox\n    restrat: always\n  db:\n    image: ${DB:?set DB}\n', {});
  assert.equal(bad.ok, false);
  assert.deepEqual(!bad.ok && bad.problems.map((p) => [p.line, p.column]), [[6, 12]]);
  const schema = parseCompose('services:\n  web:\n    image: busybox\n    restrat: always\n    ports: 80\n', {});
  assert.ok(!schema.ok);
  assert.deepEqual(schema.problems.map((p) => [p.line, p.column, p.path]), [[4, 5, 'services.web.restrat'], [5, 12, 'services.web.ports']]);
  const yaml = parseCompose('services:\n  web: [\n', {});
  assert.ok(!yaml.ok && yaml.problems[0]!.line >= 2);
});

test('an unquoted interpolated number is a number for the schema (deploy.replicas: ${N})', async () => {
  const p = await load('services:\n  web:\n    image: busybox\n    deploy:\n      replicas: ${N}\n', 'N=3\n');
  assert.equal(p.services.web!.replicas, 3);
});

test('normalisation: short syntaxes, env_file, extends, profiles, configs and secrets', async () => {
  const p = await load(`
services:
  web:
    extends: { file: base.yaml, service: base }
    command: httpd -f -p "8 0"
    env_file: web.env
    environment: [SHARED=inline, FROM_ENV]
    ports: ["127.0.0.1:8080:80", "9000-9001:9000-9001/udp", "53", "8081:81"]
    volumes: [data:/data:ro, ./site:/www, /tmp]
    tmpfs: /run
    networks: { front: { aliases: [www], ipv4_address: 10.9.0.5 } }
    depends_on: { db: { condition: service_healthy } }
    mem_limit: 64m
    cpus: 0.5
    restart: on-failure:3
    healthcheck: { test: wget -q -O- localhost, interval: 2s, retries: 5 }
    configs: [site]
    secrets: [{ source: token, target: tok }]
  db:
    image: busybox
    networks: [front]
  debug:
    image: busybox
    profiles: [debug]
networks:
  front: { ipam: { config: [{ subnet: 10.9.0.0/24 }] } }
volumes:
  data: {}
configs:
  site: { file: ./site.conf }
secrets:
  token: { file: ./token }
`, 'FROM_ENV=env\n');
  assert.deepEqual(Object.keys(p.services), ['web', 'db']);
  const web = p.services.web!.spec;
  assert.equal(web.image, 'busybox');
  assert.deepEqual(web.command, ['httpd', '-f', '-p', '8 0']);
  assert.deepEqual(web.environment, { FROM_FILE: '1', SHARED: 'inline', BASE: 'yes', FROM_ENV: 'env' });
  assert.deepEqual(web.labels, { tier: 'base' });
  assert.deepEqual(web.ports, [
    { target: 80, published: '8080', host_ip: '127.0.0.1', protocol: 'tcp' },
    { target: 9000, published: '9000', host_ip: undefined, protocol: 'udp' },
    { target: 9001, published: '9001', host_ip: undefined, protocol: 'udp' },
    { target: 53, published: undefined, host_ip: undefined, protocol: 'tcp' },
    { target: 81, published: '8081', host_ip: undefined, protocol: 'tcp' },
  ]);
  assert.deepEqual(web.volumes.map((v) => [v.type, v.source, v.target, v.read_only]), [
    ['volume', 'data', '/data', true], ['bind', `${DIR}/site`, '/www', false], ['volume', undefined, '/tmp', false], ['tmpfs', undefined, '/run', false],
  ]);
  assert.deepEqual(web.depends_on, { db: { condition: 'service_healthy', required: true } });
  assert.equal(web.mem_limit, 64 * 1024 * 1024);
  assert.deepEqual(web.healthcheck, { test: ['CMD-SHELL', 'wget -q -O- localhost'], interval_ns: 2e9, timeout_ns: undefined, start_period_ns: undefined, retries: 5 });
  assert.deepEqual(web.files, [{ source: `${DIR}/site.conf`, target: '/site' }, { source: `${DIR}/token`, target: '/run/secrets/tok' }]);
  assert.deepEqual(p.networks.front, { external: false, name: 'shop_front', driver: undefined, internal: false, subnet: '10.9.0.0/24', labels: {} });
  assert.deepEqual(startOrder(p), ['db', 'web']);

  const { name, body } = createBody(p, 'web', 1);
  assert.equal(name, 'shop-web-1');
  assert.equal(body.Labels['com.docker.compose.project'], 'shop');
  assert.equal(body.Labels['com.docker.compose.service'], 'web');
  assert.equal(body.Labels['com.docker.compose.container-number'], '1');
  assert.equal(body.Labels['com.docker.compose.oneoff'], 'False');
  assert.equal(body.Labels['com.docker.compose.config-hash'], configHash(web));
  assert.equal(body.Labels['com.docker.compose.project.working_dir'], DIR);
  assert.equal(body.HostConfig.NetworkMode, 'shop_front');
  assert.deepEqual(body.NetworkingConfig.EndpointsConfig.shop_front, { Aliases: ['shop-web-1', 'web', 'www'], IPAMConfig: { IPv4Address: '10.9.0.5' } });
  assert.deepEqual(body.HostConfig.RestartPolicy, { Name: 'on-failure', MaximumRetryCount: 3 });
  assert.equal(body.HostConfig.NanoCpus, 5e8);
  assert.equal(body.HostConfig.Mounts[0]!.Source, 'shop_data');
  assert.deepEqual(body.HostConfig.PortBindings['80/tcp'], [{ HostIp: '127.0.0.1', HostPort: '8080' }]);
  assert.deepEqual(body.Healthcheck, { Test: ['CMD-SHELL', 'wget -q -O- localhost'], Interval: 2e9, Timeout: undefined, StartPeriod: undefined, Retries: 5 });
});

test('normalisation problems are reported at the line of the field', async () => {
  const loaded = await loadProject({ compose: 'services:\n  web:\n    image: busybox\n    volumes: [undeclared:/x]\n', env: '' }, { name: 'p', workingDir: DIR, configFile: 'c', readFile: async () => '' });
  assert.equal(loaded.problems.length, 1);
  assert.equal(loaded.problems[0]!.line, 4);
  assert.match(loaded.problems[0]!.message, /undeclared/);
  const cycle = await loadProject({ compose: 'services:\n  a: { image: x, depends_on: [b] }\n  b: { image: x, depends_on: [a] }\n', env: '' }, { name: 'p', workingDir: DIR, configFile: 'c', readFile: async () => '' });
  assert.match(cycle.problems[0]!.message, /cycle/);
  const env = await loadProject({ compose: 'services: {}\n', env: 'A=1\n9bad=2\n' }, { name: 'p', workingDir: DIR, configFile: 'c', readFile: async () => '' });
  assert.deepEqual([env.problems[0]!.file, env.problems[0]!.line], ['env', 2]);
});

test('the config hash ignores key order, replicas and dependencies, and follows every setting', async () => {
  const a = await load('services:\n  web:\n    image: busybox\n    environment: { A: "1", B: "2" }\n');
  const b = await load('services:\n  web:\n    environment: { B: "2", A: "1" }\n    image: busybox\n    deploy: { replicas: 2 }\n');
  assert.equal(configHash(a.services.web!.spec), configHash(b.services.web!.spec));
  const c = await load('services:\n  web:\n    image: busybox\n    environment: { A: "1", B: "3" }\n');
  assert.notEqual(configHash(a.services.web!.spec), configHash(c.services.web!.spec));
  assert.match(configHash(a.services.web!.spec), /^[0-9a-f]{64}$/);
});

test('the plan: create, keep, start, recreate naming the changed setting, scale down and orphans', async () => {
  const before = await load('services:\n  front: { image: busybox, command: [httpd] }\n  back: { image: busybox, deploy: { replicas: 2 } }\n');
  const after = await load('services:\n  front: { image: busybox, command: [httpd, -f] }\n  back: { image: busybox }\n  new: { image: alpine }\n');
  const existing = (p: Project, service: string, n: number, running = true): ExistingContainer => {
    const { body } = createBody(p, service, n);
    return { id: `${service}${n}`, name: `shop-${service}-${n}`, service, number: n, hash: body.Labels['com.docker.compose.config-hash']!, running, config: JSON.parse(body.Labels['io.wharf.stack.service-config']!) };
  };
  const state: EngineState = {
    containers: [existing(before, 'front', 1), existing(before, 'back', 1, false), existing(before, 'back', 2), { ...existing(before, 'front', 1), id: 'old', name: 'shop-gone-1', service: 'gone' }],
    networks: new Set(['shop_default']), volumes: new Set(), images: new Set(['busybox']),
  };
  const plan = computePlan(after, state);
  assert.deepEqual(plan.containers.map((s) => [s.action, s.container, s.changes]), [
    ['recreate', 'shop-front-1', ['command']],
    ['start', 'shop-back-1', undefined],
    ['remove', 'shop-back-2', undefined],
    ['create', 'shop-new-1', undefined],
    ['remove', 'shop-gone-1', ['orphan: the service is no longer in the file']],
  ]);
  assert.deepEqual(plan.networks, [{ name: 'shop_default', action: 'keep' }]);
  assert.deepEqual(plan.images, [{ image: 'busybox', action: 'present' }, { image: 'alpine', action: 'pull' }]);
  assert.equal(computePlan(after, state).digest, plan.digest, 'the same state gives the same plan');
  assert.notEqual(computePlan(before, state).digest, plan.digest);
  const unchanged = computePlan(before, { ...state, containers: state.containers.slice(0, 3).map((c) => ({ ...c, running: true })) });
  assert.deepEqual(unchanged.containers.map((s) => s.action), ['keep', 'keep', 'keep']);
});

test('the built-in two-service stack template becomes files that load, with its variables in .env', async () => {
  const { parseTemplateFile } = await import('../../server/templates/parse.ts');
  const { templateStackFiles } = await import('../../server/stacks/template-stack.ts');
  const { readFile } = await import('node:fs/promises');
  const builtin = await readFile(new URL('../../server/templates/builtin.json', import.meta.url), 'utf8');
  const t = parseTemplateFile(builtin).find((x) => x.type === 3 && x.repository?.url === 'builtin')!;
  const files = await templateStackFiles({ ...t, id: 1, source: 'built-in' });
  assert.equal(files.name, 'web-and-api-two-services');
  assert.equal(files.env, 'MESSAGE=Hello from the api service\nWEB_PORT=8080\n');
  const loaded = await loadProject(files, { name: files.name, workingDir: DIR, configFile: 'compose.yaml', readFile: async () => '' });
  assert.deepEqual(loaded.problems, []);
  assert.deepEqual(loaded.project!.services.web!.spec.depends_on, { api: { condition: 'service_healthy', required: true } });
  assert.deepEqual(loaded.project!.services.web!.spec.ports, [{ target: 80, published: '8080', host_ip: undefined, protocol: 'tcp' }]);
});
