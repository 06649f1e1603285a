import type http from 'node:http';
import tls from 'node:tls';

/**
 * A TLS listener whose decrypted connections are handed to an existing HTTP server, so the
 * dashboard over HTTPS is the very same server as over HTTP: the same routes, the same
 * socket.io, the same origin checks (which see `socket.encrypted`).
 */
export function listenTls(target: http.Server, options: tls.TlsOptions, at: { host: string; port: number }): Promise<tls.Server> {
  // Half-open like the HTTP server's own sockets: a docker client that is done sending
  // (CloseWrite) still reads the container's output to the end.
  const server = tls.createServer({ ...options, ALPNProtocols: ['http/1.1'], allowHalfOpen: true }, (socket) => target.emit('connection', socket));
  // A failed handshake (a scanner, a client that refused our certificate) ends that connection only.
  server.on('tlsClientError', (_err, socket) => socket.destroy());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(at.port, at.host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
