import type { Duplex, Readable } from 'node:stream';
import { ConflictError } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { queryBool } from '../respond.ts';
import { beginRawStream } from '../stream.ts';
import { DetachFilter, parseDetachKeys } from './detach-keys.ts';
import { OutputWriter } from './output-writer.ts';
import { publishContainerEvent } from './events.ts';

/**
 * Docker's hijacked attach. Output is the container's log from this moment (everything from
 * the start with `logs=1`), raw for a TTY and stdcopy-framed otherwise; it ends when the
 * container exits. Input (`stdin=1`) goes to the container until the client half-closes
 * (which closes a non-TTY container's stdin when it was created with StdinOnce) or types the
 * detach keys, which ends the attach and leaves the container running.
 */
export const routes: Route[] = [{
  method: 'POST',
  path: '/containers/:id/attach',
  handler: async ({ engine, req, res, params, query, upgrade }) => {
    const row = engine.containers.get(params.id!);
    const keys = parseDetachKeys(query.get('detachKeys'));
    if (row.state.Paused) throw new ConflictError(`container ${params.id} is paused, unpause the container before attach`);
    if (row.state.Restarting) throw new ConflictError(`container ${params.id} is restarting, wait until the container is running`);
    const stream = queryBool(query, 'stream');
    const logs = queryBool(query, 'logs');
    const session = engine.containers.attach(row.id, {
      stdin: queryBool(query, 'stdin') && !!upgrade,
      stdout: queryBool(query, 'stdout'),
      stderr: queryBool(query, 'stderr'),
      logs,
      stream,
    });
    const tty = row.record.Config.Tty;
    const out = beginRawStream(res, upgrade, tty);
    publishContainerEvent(engine, row, 'attach');
    const socket: Duplex = upgrade?.socket ?? req.socket;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      session.close();
      if (upgrade) upgrade.socket.end(); else res.end();
    };
    socket.once('close', finish);
    if (upgrade) {
      // As dockerd, only a TTY's input is watched for the detach keys; other input passes as is.
      const input: Readable = tty ? upgrade.socket.pipe(new DetachFilter(keys)) : upgrade.socket;
      input.once('detach', () => {
        publishContainerEvent(engine, row, 'detach');
        finish();
      });
      if (session.stdin) input.pipe(session.stdin);
      else input.resume();
    }
    const writer = new OutputWriter(out, tty);
    try {
      for await (const chunk of session.output) {
        if (!(await writer.add(chunk))) break;
      }
      writer.flush();
    } finally {
      writer.cancel();
      socket.off('close', finish);
      finish();
    }
  },
}];
