import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { io, type Socket } from 'socket.io-client';
import type { Ack, ClientToServerEvents, ServerToClientEvents } from '../../server/protocol/index.ts';
import { dockerTerminal } from '../helpers/docker-pty.ts';
import { eventually } from '../helpers/engine.ts';
import { startDashboard, type DashboardHarness } from './dashboard-harness.ts';

/*
 * Closing a console ends what it ran: the dashboard's exec console (socket.io) and a hijacked
 * `docker exec -it` whose client goes away both hang up the TTY, as Docker's closing the pty
 * does, and a process that ignores the hang-up is killed.
 */

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;
const PASSWORD = 'admin password 123';
let h: DashboardHarness;
let admin: string;

before(async () => {
  h = await startDashboard('exec-hup', { adminPassword: PASSWORD });
  admin = await h.login('admin', PASSWORD);
  await h.api.ok(['run', '-d', '--name', 'hup-target', 'busybox', 'sleep', '100000']);
});

after(async () => {
  await h.api.docker(['rm', '-f', 'hup-target']);
  const left = await h.close();
  assert.deepEqual(left, { mounts: [], runc: [], conmon: [], cgroups: [] });
});

function connect(): Promise<Client> {
  const socket: Client = io(h.url, { transports: ['websocket'], extraHeaders: { cookie: admin }, reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (err) => { socket.close(); reject(err); });
  });
}

function ok(res: Ack): string {
  assert.equal(res.ok, true, JSON.stringify(res));
  return (res as { id: string }).id;
}

/** The command lines of the processes in the container, as its own `ps` shows them. */
async function processes(): Promise<string> {
  return h.api.ok(['exec', 'hup-target', 'ps', '-o', 'pid,args']);
}

const running = async (marker: string) => (await processes()).includes(marker);

async function startConsole(socket: Client, cmd: string[], marker: string): Promise<string> {
  const id = ok(await socket.emitWithAck('exec:start', { env: 'local', container: 'hup-target', cmd, cols: 80, rows: 24 }));
  await eventually(() => running(marker), `${marker} running in the container`, 60_000);
  return id;
}

test('closing the dashboard console ends its process, and kills one that ignores the hang-up', async () => {
  const socket = await connect();
  try {
    const plain = await startConsole(socket, ['sleep', '1001'], 'sleep 1001');
    ok(await socket.emitWithAck('exec:close', { id: plain }));
    await eventually(async () => !(await running('sleep 1001')), 'the console\'s sleep gone after exec:close', 60_000);

    // A shell that ignores SIGHUP, and its child: the whole process group goes.
    await startConsole(socket, ['sh', '-c', 'trap "" HUP; sleep 1002; echo after'], 'sleep 1002');
  } finally {
    // The browser tab goes away: the socket closes without an exec:close.
    socket.close();
  }
  await eventually(async () => !(await running('sleep 1002')), 'the hang-up-ignoring console gone after the socket closed', 90_000);
  assert.match(await processes(), /sleep 100000/, 'the container itself runs on');
});

test('a docker exec -it whose client disconnects ends its process', async () => {
  const term = dockerTerminal(h.api, ['exec', '-it', 'hup-target', 'sleep', '1003']);
  try {
    await eventually(() => running('sleep 1003'), 'sleep 1003 running in the container', 60_000);
  } finally {
    term.kill();
  }
  await term.exited;
  await eventually(async () => !(await running('sleep 1003')), 'the exec gone after its client was killed', 60_000);
});
