import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startApiServer, type ApiHarness } from '../helpers/api-server.ts';

let h: ApiHarness;
let work: string;
before(async () => {
  h = await startApiServer('build');
  work = await mkdtemp(join(tmpdir(), 'wharf-build-test-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

const classic = { env: { DOCKER_BUILDKIT: '0' }, timeoutMs: 120_000 };

async function context(name: string, files: Record<string, string>): Promise<string> {
  const dir = join(work, name);
  for (const [p, text] of Object.entries(files)) {
    await mkdir(join(dir, p, '..'), { recursive: true });
    await writeFile(join(dir, p), text);
  }
  return dir;
}

const DOCKERFILE = `FROM busybox
ARG GREETING=hello
ENV TARGET=world APP_DIR=/app
WORKDIR \${APP_DIR}
COPY note.txt ./
COPY conf/ /app/conf/
RUN echo "$GREETING $TARGET" > built.txt && echo running-step
CMD ["sh", "-c", "cat /app/built.txt /app/note.txt /app/conf/a.conf && pwd"]
`;

test('docker build with the classic builder, then run the image; a rebuild is all cache', async () => {
  const dir = await context('basic', { Dockerfile: DOCKERFILE, 'note.txt': 'a note\n', 'conf/a.conf': 'conf-a\n', 'secret.txt': 'x', '.dockerignore': 'secret.txt\n' });
  const b = await h.docker(['build', '--build-arg', 'GREETING=hi', '-t', 'x:1', dir], classic);
  assert.equal(b.code, 0, b.stderr + b.stdout);
  assert.match(b.stdout, /Step 1\/8 : FROM busybox/);
  assert.match(b.stdout, /^running-step$/m);
  assert.match(b.stdout, /Successfully tagged x:1/);
  const r = await h.docker(['run', '--rm', 'x:1']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hi world\na note\nconf-a\n/app\n');
  const ls = await h.docker(['run', '--rm', 'x:1', 'ls', '/app']);
  assert.deepEqual(ls.stdout.trim().split('\n'), ['built.txt', 'conf', 'note.txt']);
  const env = await h.docker(['image', 'inspect', '-f', '{{json .Config.Env}} {{.Config.WorkingDir}}', 'x:1']);
  assert.match(env.stdout, /"TARGET=world".*\/app/);

  const again = await h.docker(['build', '--build-arg', 'GREETING=hi', '-t', 'x:2', dir], classic);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout.match(/Using cache/g)?.length, 7);
  assert.doesNotMatch(again.stdout, /^running-step$/m);
  const ids = await h.docker(['image', 'inspect', '-f', '{{.Id}}', 'x:1', 'x:2']);
  const [a, c] = ids.stdout.trim().split('\n');
  assert.equal(a, c);

  const other = await h.docker(['build', '--build-arg', 'GREETING=hey', '-t', 'x:3', dir], classic);
  assert.match(other.stdout, /^running-step$/m);
  assert.equal((await h.docker(['run', '--rm', 'x:3', 'cat', '/app/built.txt'])).stdout, 'hey world\n');
  const ps = await h.docker(['ps', '-aq']);
  assert.equal(ps.stdout.trim(), '');
});

test('a failing RUN stops the build with its exit code and tags nothing', async () => {
  const dir = await context('fail', { Dockerfile: 'FROM busybox\nRUN echo before\nRUN exit 3\nCMD ["true"]\n' });
  const b = await h.docker(['build', '-t', 'broken:1', dir], classic);
  assert.notEqual(b.code, 0);
  assert.match(b.stderr + b.stdout, /The command '\/bin\/sh -c exit 3' returned a non-zero code: 3/);
  const i = await h.docker(['image', 'inspect', 'broken:1']);
  assert.notEqual(i.code, 0);
  assert.equal((await h.docker(['ps', '-aq'])).stdout.trim(), '');
});

test('bad Dockerfiles, missing COPY sources and absent base images are errors', async () => {
  const bad = await h.docker(['build', await context('bad', { Dockerfile: 'FROM busybox\nFOO bar\n' })], classic);
  assert.notEqual(bad.code, 0);
  assert.match(bad.stderr, /unknown instruction: FOO/);
  const missing = await h.docker(['build', await context('missing', { Dockerfile: 'FROM busybox\nCOPY nope.txt /\n' })], classic);
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr + missing.stdout, /nope\.txt/);
  // An absent base is pulled; from a closed port on loopback, that fails and names the image.
  const nobase = await h.docker(['build', await context('nobase', { Dockerfile: 'FROM 127.0.0.1:1/nosuch/image:1\n' })], classic);
  assert.notEqual(nobase.code, 0);
  assert.match(nobase.stderr + nobase.stdout, /nosuch\/image/);
});

test('multi-stage build with COPY --from and FROM scratch', async () => {
  const dir = await context('multi', {
    Dockerfile: 'FROM busybox AS builder\nRUN mkdir -p /out && echo artifact > /out/result.txt\n\nFROM scratch\nCOPY --from=builder /out/result.txt /result.txt\nCOPY --from=builder /bin/busybox /bin/busybox\nCMD ["/bin/busybox", "cat", "/result.txt"]\n',
  });
  const b = await h.docker(['build', '-t', 'multi:1', dir], classic);
  assert.equal(b.code, 0, b.stderr + b.stdout);
  const r = await h.docker(['run', '--rm', 'multi:1']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'artifact\n');
  const hist = await h.docker(['history', '-q', 'multi:1']);
  assert.equal(hist.code, 0);
});

test('quiet build prints only the id; -f, --label and --target are honoured', async () => {
  const dir = await context('quiet', { 'sub/Build.file': 'FROM busybox AS one\nLABEL stage=one\nFROM one AS two\nRUN false\n' });
  const b = await h.docker(['build', '-q', '-f', join(dir, 'sub/Build.file'), '--label', 'k=v', '--target', 'one', dir], classic);
  assert.equal(b.code, 0, b.stderr);
  const id = b.stdout.trim();
  assert.match(id, /^sha256:[a-f0-9]{64}$/);
  const labels = await h.docker(['image', 'inspect', '-f', '{{json .Config.Labels}}', id]);
  assert.deepEqual(JSON.parse(labels.stdout), { stage: 'one', k: 'v' });
});
