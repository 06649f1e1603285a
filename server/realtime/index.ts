import type http from 'node:http';
import { Server } from 'socket.io';
import { SOCKET_PATH, SOCKET_UNAUTHORIZED, type ClientToServerEvents, type ServerToClientEvents } from '../protocol/index.ts';
import { sessionToken } from '../auth/cookies.ts';
import { originAllowed } from '../auth/origin.ts';
import type { AuthService } from '../auth/service.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import { serveConnection, type SocketData } from './connection.ts';
import type { PolicyService } from '../policy/index.ts';

export type RealtimeServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface Realtime {
  io: RealtimeServer;
  close(): Promise<void>;
}

/**
 * socket.io on the dashboard's HTTP server: logs, exec, stats and events sessions. The
 * handshake needs a live session cookie and, from browsers, the dashboard's own Origin;
 * sockets of a session that ends (sign-out, user deleted) are disconnected.
 */
export function attachRealtime(server: http.Server, deps: { auth: AuthService; environments: EnvironmentRegistry; policy: PolicyService }): Realtime {
  const io: RealtimeServer = new Server(server, {
    path: SOCKET_PATH,
    serveClient: false,
    // Browsers on other origins get no CORS headers; websockets are covered by the Origin check below.
    cors: undefined,
    transports: ['websocket', 'polling'],
    // Other upgrades on this server (Next's hot reload in development) are not socket.io's to close.
    destroyUpgrade: false,
  });
  io.use((socket, next) => {
    const req = socket.request;
    const token = sessionToken(req);
    const session = originAllowed(req) ? deps.auth.sessions.resolve(token) : undefined;
    if (!session || !token) return next(new Error(SOCKET_UNAUTHORIZED));
    socket.data = { token, idHash: session.idHash };
    next();
  });
  io.on('connection', (socket) => serveConnection(socket, deps));
  const stopListening = deps.auth.sessions.onRevoke((idHashes) => {
    const ended = new Set(idHashes);
    for (const socket of io.of('/').sockets.values()) if (ended.has(socket.data.idHash)) socket.disconnect(true);
  });
  return {
    io,
    close: () => {
      stopListening();
      // Disconnecting disposes every session; io.close would also close the HTTP server, which is not ours.
      io.disconnectSockets(true);
      io.engine.close();
      return Promise.resolve();
    },
  };
}
