/**
 * What `runc start` does, without starting a process for it. After `runc create` the
 * container's init waits on `<state dir>/exec.fifo`: it opens the fifo for writing, writes one
 * byte and then execs the container's process. `runc start` opens the fifo, reads that byte
 * and removes the fifo (runc reports a container without one as running). This is runc's own
 * protocol since 1.0; a runtime without the fifo is started through its CLI instead.
 */
import { constants, open } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { Socket } from 'node:net';
import { promisify } from 'node:util';
import { UnavailableError } from '../errors.ts';

/** A plain descriptor (not a FileHandle): the socket reading the fifo owns and closes it. */
const openFd = promisify(open);
/** How often a start that has not been answered checks that the init still lives. */
const ALIVE_CHECK_MS = 100;

/**
 * Lets the created container whose init is `pid` run. False when there is no fifo to read
 * (the caller falls back to the runtime's `start`).
 */
export async function releaseInit(fifo: string, pid: number): Promise<boolean> {
  let fd: number;
  try {
    // Read and write: the init's open never waits for us, and no end-of-file can come before
    // its byte (as a read-only end would give before the init has opened its end).
    fd = await openFd(fifo, constants.O_RDWR | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new UnavailableError(`cannot open the container's exec fifo: ${(e as Error).message}`, { cause: e });
  }
  const pipe = new Socket({ fd, readable: true, writable: false });
  try {
    await new Promise<void>((resolve, reject) => {
      // An init that died before writing would leave the read waiting forever.
      const timer = setInterval(() => {
        if (!alive(pid)) reject(new UnavailableError('container process is already dead'));
      }, ALIVE_CHECK_MS);
      pipe.once('close', () => {
        clearInterval(timer);
        // After the byte this changes nothing; without it, the start must not wait forever.
        reject(new UnavailableError('the container\'s exec fifo closed before its init started'));
      });
      pipe.once('data', () => resolve());
      pipe.once('error', (e) => reject(new UnavailableError(`reading the container's exec fifo: ${e.message}`, { cause: e })));
    });
  } finally {
    pipe.destroy();
  }
  await unlink(fifo);
  return true;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
