/**
 * The classic builder as `DOCKER_BUILDKIT=0 docker build` and the dashboard (raw `POST /build`)
 * use it: .dockerignore, ADD of archives and URLs, ONBUILD, the cache step by step, pulls of the
 * base image, confinement of the context, intermediate images. Only through the socket.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';
import { startRegistry, type TestRegistry } from '../helpers/registry.ts';

const run = promisify(execFile);
let h: ApiHarness;
let work: string;
before(async () => {
  h = await startApiServer('build-classic');
  work = await mkdtemp(join(tmpdir(), 'wharf-build-classic-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const classic = { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 180_000 };

async function context(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  await mkdir(dir, { recursive: true });
  for (const [p, text] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), text);
  }
  return dir;
}

async function build(args: string[]): Promise<string> {
  const b = await h.docker(['build', ...args], classic);
  assert.equal(b.code, 0, b.stderr + b.stdout);
  return b.stdout;
}

/** Each `Step N/M : <instruction>` of the output with whether it came from the cache. */
function steps(out: string): Map<string, boolean> {
  const m = new Map<string, boolean>();
  for (const block of out.split(/^Step \d+\/\d+ : /m).slice(1)) {
    const [head] = block.split('\n');
    m.set(head!, / ---> Using cache/.test(block) && !/ ---> Running in/.test(block.split(/^# Executing/m)[0]!));
  }
  return m;
}

/** `POST /build` as the dashboard sends it: the whole directory, unfiltered, as a tar. */
async function rawBuild(dir: string, query: string): Promise<Record<string, unknown>[]> {
  const { stdout: body } = await run('tar', ['-c', '-C', dir, '.'], { encoding: 'buffer', maxBuffer: 64 << 20 });
  const text = await new Promise<string>((resolve, reject) => {
    const req = http.request({ socketPath: h.socket, method: 'POST', path: `/v1.47/build?${query}`, headers: { 'content-type': 'application/x-tar' } }, (res) => {
      let s = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { s += d; });
      res.on('end', () => resolve(s));
    });
    req.on('error', reject);
    req.end(body);
  });
  return text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('multi-stage build with .dockerignore, ADD of tar archives and ONBUILD; a rebuild is all cache; one changed file rebuilds from its step on', async () => {
  const base = await context('onbase', { Dockerfile: 'FROM busybox\nONBUILD COPY main.txt /onbuild/\nONBUILD RUN echo triggered > /onbuild/ran\n' });
  await build(['-t', 'onbase:1', base]);
  const dir = await context('multi', {
    '.dockerignore': '**/*.tmp\nlogs\n!logs/keep.log\nsecret*\n',
    'app/a.txt': 'a1\n', 'app/b.tmp': 'x', 'app/deep/x.tmp': 'x', 'app/deep/c.txt': 'c\n',
    'logs/drop.log': 'x', 'logs/keep.log': 'keep\n', 'secret.key': 'x', 'main.txt': 'main\n', 'notar.txt': 'not an archive\n',
    'stage/t/one.txt': 'one\n',
    Dockerfile: [
      'FROM busybox AS prep', 'COPY app /app', 'COPY logs /logs', 'RUN find /app /logs | sort > /listing.txt',
      'FROM onbase:1', 'ADD files.tar.gz /gz/', 'ADD files.tar.bz2 /bz2', 'ADD files.tar.xz /xz/', 'ADD notar.txt.gz /raw/',
      'COPY --from=prep /listing.txt /listing.txt', 'COPY --from=prep /app /app', 'COPY main.txt /main.txt', '',
    ].join('\n'),
  });
  await run('tar', ['-czf', join(dir, 'files.tar.gz'), '-C', join(dir, 'stage'), 't']);
  await run('tar', ['-cjf', join(dir, 'files.tar.bz2'), '-C', join(dir, 'stage'), 't']);
  await run('tar', ['-cJf', join(dir, 'files.tar.xz'), '-C', join(dir, 'stage'), 't']);
  await run('gzip', ['-k', join(dir, 'notar.txt')]);
  const first = await build(['-t', 'multi:1', dir]);
  assert.match(first, /# Executing 2 build triggers/);
  assert.match(first, /^Size hints: \d+ layers, /m);
  const r = await h.ok(['run', '--rm', 'multi:1', 'sh', '-c', 'cat /gz/t/one.txt /bz2/t/one.txt /xz/t/one.txt /onbuild/ran /onbuild/main.txt; ls /raw; cat /listing.txt']);
  assert.equal(r, 'one\none\none\ntriggered\nmain\nnotar.txt.gz\n/app\n/app/a.txt\n/app/deep\n/app/deep/c.txt\n/logs\n/logs/keep.log\n');
  assert.equal((await h.ok(['image', 'inspect', '-f', '{{json .Config.OnBuild}}', 'multi:1'])).trim(), 'null');

  const again = await build(['-t', 'multi:2', dir]);
  const s = steps(again);
  for (const [i, cached] of s) if (!i.startsWith('FROM')) assert.equal(cached, true, `step ${i} should come from the cache:\n${again}`);
  assert.equal(again.match(/Using cache/g)?.length, [...s.keys()].filter((i) => !i.startsWith('FROM')).length + 2);
  assert.doesNotMatch(again, /Running in/);

  await writeFile(join(dir, 'app/a.txt'), 'a2\n');
  const changed = steps(await build(['-t', 'multi:3', dir]));
  assert.deepEqual([...changed].filter(([i]) => !i.startsWith('FROM')), [
    ['COPY app /app', false], ['COPY logs /logs', false], ['RUN find /app /logs | sort > /listing.txt', false],
    ['ADD files.tar.gz /gz/', true], ['ADD files.tar.bz2 /bz2', true], ['ADD files.tar.xz /xz/', true], ['ADD notar.txt.gz /raw/', true],
    ['COPY --from=prep /listing.txt /listing.txt', true], ['COPY --from=prep /app /app', false], ['COPY main.txt /main.txt', false],
  ]);
  assert.equal(await h.ok(['run', '--rm', 'multi:3', 'cat', '/app/a.txt']), 'a2\n');
});

test('the server applies .dockerignore to uploaded contexts: exceptions inside excluded directories, ** and the ignored Dockerfile itself', async () => {
  const dir = await context('upload', {
    '.dockerignore': '# upload\ndocs\n!docs/keep.md\n**/*.log\n/.dockerignore\n./Dockerfile\n',
    Dockerfile: 'FROM busybox\nCOPY . /ctx\n',
    'docs/a.md': 'a', 'docs/keep.md': 'k', 'x/y.log': 'l', 'x/z.txt': 'z', 'top.log': 't', 'main.txt': 'm',
  });
  const out = await rawBuild(dir, 't=upload:1');
  assert.ok(!out.some((m) => m.error), JSON.stringify(out));
  const files = await h.ok(['run', '--rm', 'upload:1', 'find', '/ctx']);
  assert.deepEqual(files.trim().split('\n').sort(), ['/ctx', '/ctx/docs', '/ctx/docs/keep.md', '/ctx/main.txt', '/ctx/x', '/ctx/x/z.txt']);
});

test('a failing RUN is streamed as Docker streams it: errorDetail with the exit code, and the CLI prints the message', async () => {
  const dir = await context('fails', { Dockerfile: 'FROM busybox\nRUN echo to-stderr >&2; false\n' });
  const out = await rawBuild(dir, 't=fails:1');
  assert.ok(out.some((m) => typeof m.stream === 'string' && m.stream.includes('to-stderr')), JSON.stringify(out));
  const msg = "The command '/bin/sh -c echo to-stderr >&2; false' returned a non-zero code: 1";
  assert.deepEqual(out.at(-1), { errorDetail: { code: 1, message: msg }, error: msg });
  const cli = await h.docker(['build', await context('fails2', { Dockerfile: 'FROM busybox\nRUN false\n' })], classic);
  assert.equal(cli.code, 1);
  assert.match(cli.stderr, /The command '\/bin\/sh -c false' returned a non-zero code: 1/);
});

test('a Dockerfile outside the context (-f) is read, and neither it nor the generated .dockerignore lands in the image', async () => {
  const dir = await context('outside-ctx', { 'a.txt': 'a\n' });
  const df = await context('outside-df', { 'Build.file': 'FROM busybox\nCOPY . /ctx\n' });
  await build(['-f', join(df, 'Build.file'), '-t', 'outside:1', dir]);
  assert.equal(await h.ok(['run', '--rm', 'outside:1', 'ls', '-A', '/ctx']), 'a.txt\n');
});

test('ADD <url> downloads through the engine (mode 0600, Last-Modified as mtime, --checksum), and is cached while unchanged', async () => {
  const body = 'remote content\n';
  const server = http.createServer((req, res) => {
    if (req.url === '/files/data.txt') res.writeHead(200, { 'last-modified': 'Wed, 21 Oct 2015 07:28:00 GMT' }).end(body);
    else res.writeHead(404).end('no');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/files/data.txt`;
    const sum = `sha256:${createHash('sha256').update(body).digest('hex')}`;
    const dir = await context('url', { Dockerfile: `FROM busybox\nADD ${url} /d/\nADD --checksum=${sum} ${url} /named.txt\n` });
    await build(['-t', 'url:1', dir]);
    assert.equal(await h.ok(['run', '--rm', 'url:1', 'sh', '-c', 'stat -c "%a %Y" /d/data.txt; cat /named.txt']), `600 1445412480\n${body}`);
    const again = steps(await build(['-t', 'url:2', dir]));
    assert.deepEqual([...again.values()].slice(1), [true, true]);
    const bad = await h.docker(['build', await context('url-bad', { Dockerfile: `FROM busybox\nADD --checksum=sha256:${'0'.repeat(64)} ${url} /x\n` })], classic);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /checksum mismatch/);
    const missing = await h.docker(['build', await context('url-404', { Dockerfile: `FROM busybox\nADD ${url}.nope /x\n` })], classic);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /status 404/);
  } finally {
    server.close();
  }
});

test('SHELL, STOPSIGNAL, HEALTHCHECK, ARG before FROM, several -t, and unused --build-arg warned as Docker warns', async () => {
  const dir = await context('meta', {
    Dockerfile: 'ARG BASE=nosuch\nFROM ${BASE}\nARG USED\nSHELL ["/bin/sh", "-ec"]\nRUN echo "used=$USED" > /used.txt\nSTOPSIGNAL SIGUSR1\nHEALTHCHECK --interval=5s --retries=2 CMD ["true"]\n',
  });
  const out = await build(['--build-arg', 'BASE=busybox', '--build-arg', 'USED=yes', '--build-arg', 'EXTRA=1', '--build-arg', 'HTTP_PROXY=', '-t', 'meta:1', '-t', 'meta:2', dir]);
  // As dockerd: an ARG before FROM does not consume a --build-arg, only a stage's ARG does.
  assert.match(out, /^\[Warning\] One or more build-args \[BASE EXTRA\] were not consumed$/m);
  assert.match(out, /Successfully tagged meta:1\nSuccessfully tagged meta:2/);
  const ids = await h.ok(['image', 'inspect', '-f', '{{.Id}}', 'meta:1', 'meta:2']);
  assert.equal(new Set(ids.trim().split('\n')).size, 1);
  const cfg = JSON.parse(await h.ok(['image', 'inspect', '-f', '{{json .Config}}', 'meta:1'])) as Record<string, unknown>;
  assert.deepEqual(cfg.Shell, ['/bin/sh', '-ec']);
  assert.equal(cfg.StopSignal, 'SIGUSR1');
  assert.deepEqual(cfg.Healthcheck, { Test: ['CMD', 'true'], Interval: 5e9, Retries: 2 });
  assert.equal(await h.ok(['run', '--rm', 'meta:1', 'cat', '/used.txt']), 'used=yes\n');
  assert.match(await h.ok(['history', '--no-trunc', '--format', '{{.CreatedBy}}', 'meta:1']), /\/bin\/sh -ec echo "used=\$USED"/);
});

test('the context is confined: `COPY ../x` is refused, symlinks are copied as links and never followed out', async () => {
  const dir = await context('confined/ctx', { 'd/file': 'f\n', 'x': 'inside\n' });
  await writeFile(join(work, 'confined/x'), 'outside\n');
  await symlink('../../../../../etc/hostname', join(dir, 'd/out'));
  await symlink('/etc/hostname', join(dir, 'top'));
  await writeFile(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY ../x /x\n');
  const up = await h.docker(['build', dir], classic);
  assert.notEqual(up.code, 0);
  assert.match(up.stderr, /forbidden path outside the build context: \.\.\/x/);
  await writeFile(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY d /d\n');
  await build(['-t', 'confined:1', dir]);
  assert.equal(await h.ok(['run', '--rm', 'confined:1', 'readlink', '/d/out']), '../../../../../etc/hostname\n');
  await writeFile(join(dir, 'Dockerfile'), 'FROM busybox\nCOPY top /t\n');
  const top = await h.docker(['build', dir], classic);
  assert.notEqual(top.code, 0);
  assert.match(top.stderr, /file not found in build context/);
});

test('intermediate images are hidden from `docker images` and listed by `docker images -a`, as dockerd does', async () => {
  const dir = await context('inter', { Dockerfile: 'FROM busybox\nENV A=1\nRUN echo x > /x\nLABEL b=2\n' });
  await build(['-t', 'inter:1', dir]);
  const id = (await h.ok(['image', 'inspect', '-f', '{{.Id}}', 'inter:1'])).trim();
  const parent = (await h.ok(['image', 'inspect', '-f', '{{.Parent}}', 'inter:1'])).trim();
  assert.match(parent, /^sha256:/);
  const shown = (await h.ok(['images', '-q', '--no-trunc'])).trim().split('\n');
  const all = (await h.ok(['images', '-aq', '--no-trunc'])).trim().split('\n');
  assert.ok(shown.includes(id));
  assert.ok(!shown.includes(parent), 'the intermediate image is hidden');
  assert.ok(all.includes(parent), 'docker images -a lists it');
  assert.ok(!(await h.ok(['images', '-q', '--no-trunc', '-f', 'dangling=true'])).includes(parent));
  // Pruning dangling images keeps the steps under a tagged image; once it is gone, they go too.
  await h.ok(['image', 'prune', '-f']);
  assert.equal((await h.docker(['image', 'inspect', parent])).code, 0);
  await h.ok(['rmi', 'inter:1']);
  await h.ok(['image', 'prune', '-f']);
  assert.notEqual((await h.docker(['image', 'inspect', parent])).code, 0);
  assert.equal((await h.docker(['image', 'inspect', 'busybox'])).code, 0);
});

test('an absent base image is pulled, and --pull pulls a newer one, through the engine registry client', async () => {
  let reg: TestRegistry | undefined;
  try {
    reg = await startRegistry();
    const ref = `${reg.host}/x/base:1`;
    await h.ok(['tag', 'busybox', ref]);
    assert.equal((await h.docker(['push', ref], { timeoutMs: 120_000 })).code, 0);
    await h.ok(['rmi', ref]);
    const dir = await context('pulled', { Dockerfile: `FROM ${ref}\nRUN echo ok > /ok\n` });
    const out = await build(['-t', 'pulled:1', dir]);
    assert.match(out, /Step 1\/2 : FROM 127\.0\.0\.1:\d+\/x\/base:1\n/);
    assert.ok((await h.docker(['image', 'inspect', ref])).code === 0, 'the base was pulled');
    // The registry's :1 moves on; the local :1 stays behind until --pull.
    await build(['-t', ref, await context('newer', { Dockerfile: 'FROM busybox\nLABEL generation=2\n' })]);
    assert.equal((await h.docker(['push', ref], { timeoutMs: 120_000 })).code, 0);
    await h.ok(['tag', 'busybox', ref]);
    await build(['-t', 'stale:1', dir]);
    assert.equal((await h.ok(['image', 'inspect', '-f', '{{index .Config.Labels "generation"}}', 'stale:1'])).trim(), '');
    await build(['--pull', '-t', 'fresh:1', dir]);
    assert.equal((await h.ok(['image', 'inspect', '-f', '{{index .Config.Labels "generation"}}', 'fresh:1'])).trim(), '2');
  } finally {
    await reg?.stop();
  }
});

test('size hints after the build: layers, the largest, chainable RUNs, package caches, files added then deleted', async () => {
  const dir = await context('hints', {
    Dockerfile: 'FROM busybox\nRUN mkdir -p /var/cache/apk && head -c 200000 /dev/zero > /var/cache/apk/APKINDEX.tar.gz\nRUN head -c 300000 /dev/zero > /big.bin\nRUN rm /big.bin\nCMD ["true"]\n',
  });
  const out = await build(['-t', 'hints:1', dir]);
  const tail = out.slice(out.indexOf('Successfully tagged hints:1'));
  assert.match(tail, /^Size hints: 4 layers, /m);
  assert.match(tail, /^ {2}largest layer: 30\d\.\dkB {2}\/bin\/sh -c head -c 300000/m);
  assert.match(tail, /^ {2}3 consecutive RUN steps could be chained into one layer: /m);
  assert.match(tail, /^ {2}apk cache left in a layer: \/var\/cache\/apk \(200\.0kB\)/m);
  assert.match(tail, /^ {2}300\.0kB added and deleted in a later layer \(still shipped\):\n {4}\/big\.bin \(300\.0kB\) added by \/bin\/sh -c head -c 300000 \/dev\/zero > \/big\.bin, deleted by \/bin\/sh -c rm \/big\.bin$/m);
});

test('--cache-from follows a loaded image\'s history when the local cache has nothing: every step from the cache, the same final image', async () => {
  const dir = await context('cachefrom', { Dockerfile: 'FROM busybox\nENV CF=1\nCOPY a.txt /a.txt\nRUN cat /a.txt > /b.txt\nCMD ["cat", "/b.txt"]\n', 'a.txt': 'cache-from\n' });
  const before = new Set((await h.ok(['images', '-aq', '--no-trunc'])).trim().split('\n'));
  await build(['-t', 'cf:1', dir]);
  const id = (await h.ok(['image', 'inspect', '-f', '{{.Id}}', 'cf:1'])).trim();
  const archive = join(work, 'cf.tar');
  await h.ok(['save', '-o', archive, 'cf:1']);
  const made = (await h.ok(['images', '-aq', '--no-trunc'])).trim().split('\n').filter((i) => !before.has(i));
  assert.ok(made.length >= 4, made.join(' '));
  await h.ok(['rmi', '-f', ...made]);
  await h.ok(['load', '-i', archive]);
  const out = await build(['--cache-from', 'cf:1', '-t', 'cf:2', dir]);
  assert.doesNotMatch(out, /Running in/);
  assert.equal(out.match(/Using cache/g)?.length, 4, out);
  assert.equal((await h.ok(['image', 'inspect', '-f', '{{.Id}}', 'cf:2'])).trim(), id);
  const changed = await context('cachefrom2', { Dockerfile: 'FROM busybox\nENV CF=1\nCOPY a.txt /a.txt\nRUN cat /a.txt > /b.txt\nCMD ["cat", "/b.txt"]\n', 'a.txt': 'other\n' });
  const miss = steps(await build(['--cache-from', 'cf:1', '-t', 'cf:3', changed]));
  assert.deepEqual([...miss.values()].slice(1), [true, false, false, false]);
});
