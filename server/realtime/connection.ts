import type { Socket } from 'socket.io';
import type { z } from 'zod';
import {
  eventsSubscribeSchema, execInputSchema, execResizeSchema, execStartSchema, logsSubscribeSchema, sessionRefSchema, statsSubscribeSchema,
  type AckCallback, type ClientToServerEvents, type ServerToClientEvents, type SessionUser,
} from '../protocol/index.ts';
import type { AuthService } from '../auth/service.ts';
import type { DockerClient } from '../environments/client.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import { openEventsSession } from '../sessions/events.ts';
import { openExecSession, type ExecSession } from '../sessions/exec.ts';
import { openLogSession } from '../sessions/logs.ts';
import { SessionSet } from '../sessions/registry.ts';
import { openStatsSession } from '../sessions/stats.ts';
import type { Session, Sink } from '../sessions/types.ts';
import { newSessionId } from './ids.ts';
import { clientLookup, type PolicyService } from '../policy/index.ts';

export interface SocketData { token: string; idHash: string }

type ClientSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type Deps = { auth: AuthService; environments: EnvironmentRegistry; policy: PolicyService };

/** Messages that end a session: the session is forgotten once they are sent. */
const ENDINGS = new Set<keyof ServerToClientEvents>(['logs:end', 'exec:exit', 'stats:end', 'events:end']);
/** Packets queued for one client above which engine streams pause until it catches up. */
const CONGESTED_PACKETS = 256;

/** The events of one client connection. Every session it opened is disposed when it goes. */
export function serveConnection(socket: ClientSocket, deps: Deps): void {
  const sessions = new SessionSet();
  socket.on('disconnect', () => sessions.disposeAll());

  const sink: Sink = {
    emit(event, ...args) {
      if (ENDINGS.has(event)) sessions.forget((args[0] as { id: string }).id);
      socket.emit(event, ...args);
    },
    congested: () => ((socket.conn as unknown as { writeBuffer?: unknown[] }).writeBuffer?.length ?? 0) > CONGESTED_PACKETS,
    onDrain: (listener) => void socket.conn.once('drain', listener),
  };

  /** The session's user as of now: roles can change and sessions expire while a socket is open. */
  const currentUser = (): SessionUser | undefined => deps.auth.sessions.resolve(socket.data.token)?.user;

  function handle<S extends z.ZodTypeAny>(event: keyof ClientToServerEvents, schema: S, run: (msg: z.infer<S>, user: SessionUser) => Promise<string>): void {
    socket.on(event, (async (msg: unknown, ack?: AckCallback) => {
      const reply: AckCallback = typeof ack === 'function' ? ack : () => undefined;
      const user = currentUser();
      if (!user) {
        reply({ ok: false, message: 'your session has ended: sign in again' });
        socket.disconnect(true);
        return;
      }
      const parsed = schema.safeParse(msg);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        reply({ ok: false, message: `${event}: ${issue.path.join('.') || 'payload'}: ${issue.message}` });
        return;
      }
      try {
        reply({ ok: true, id: await run(parsed.data, user) });
      } catch (err) {
        reply({ ok: false, message: err instanceof Error ? err.message : String(err) });
      }
    }) as never);
  }

  function client(env: string): DockerClient {
    const found = deps.environments.client(env);
    if (!found) throw new Error(`no such environment: ${env}`);
    return found;
  }

  /** Opens a session, answers the ack with its id, then starts it so no event precedes the id. */
  async function start(kind: Session['kind'], open: (id: string) => Promise<Session>): Promise<string> {
    const session = await open(newSessionId(kind));
    if (!sessions.add(session)) throw new Error('the connection closed');
    setImmediate(() => session.begin());
    return session.id;
  }

  const stop = (kind: Session['kind']) => async ({ id }: { id: string }) => {
    if (!sessions.remove(id, kind)) throw new Error(`no ${kind} session ${id}`);
    return id;
  };

  handle('logs:subscribe', logsSubscribeSchema, (msg) => start('logs', (id) => openLogSession(id, client(msg.env), msg, sink)));
  handle('logs:unsubscribe', sessionRefSchema, stop('logs'));
  handle('stats:subscribe', statsSubscribeSchema, (msg) => start('stats', (id) => openStatsSession(id, client(msg.env), msg, sink)));
  handle('stats:unsubscribe', sessionRefSchema, stop('stats'));
  handle('events:subscribe', eventsSubscribeSchema, (msg) => start('events', (id) => openEventsSession(id, client(msg.env), msg, sink)));
  handle('events:unsubscribe', sessionRefSchema, stop('events'));

  handle('exec:start', execStartSchema, async (msg, user) => {
    if (user.role === 'readonly') throw new Error('readonly users cannot open a console');
    const engine = client(msg.env);
    // A console in a container reaches what the container reaches: only for whoever could have created it.
    await deps.policy.checkContainer(deps.policy.principal(user, msg.env), clientLookup(engine), msg.container);
    return start('exec', (id) => openExecSession(id, engine, msg, sink));
  });
  const exec = (id: string): ExecSession => {
    const session = sessions.get(id, 'exec');
    if (!session) throw new Error(`no exec session ${id}`);
    return session as ExecSession;
  };
  handle('exec:input', execInputSchema, async ({ id, data }, user) => {
    if (user.role === 'readonly') throw new Error('readonly users cannot type into a console');
    exec(id).input(data);
    return id;
  });
  handle('exec:resize', execResizeSchema, async ({ id, cols, rows }) => {
    exec(id).resize(cols, rows);
    return id;
  });
  handle('exec:close', sessionRefSchema, async ({ id }) => {
    exec(id).close();
    return id;
  });
}
