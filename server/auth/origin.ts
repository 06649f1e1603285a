import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';

/**
 * Whether the request reached us over https: directly, or through a reverse proxy that says
 * so. A browser cannot set X-Forwarded-Proto on a cross-site request, so trusting it cannot
 * weaken the origin check.
 */
export function isHttps(req: IncomingMessage): boolean {
  if ((req.socket as TLSSocket).encrypted) return true;
  const forwarded = req.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim().toLowerCase();
  return proto === 'https';
}

/** scheme://host[:port] of the dashboard as this request addressed it. */
export function ownOrigin(req: IncomingMessage): string | undefined {
  const host = req.headers.host;
  if (!host) return undefined;
  return `${isHttps(req) ? 'https' : 'http'}://${host.toLowerCase()}`;
}

/**
 * The CSRF defence for mutating requests and websocket handshakes: a browser always sends
 * Origin on those, and it must be our own. Clients without Origin (curl, scripts) pass.
 */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  const own = ownOrigin(req);
  if (!own) return false;
  return normalise(origin) === normalise(own);
}

/** Default ports are implied: `http://h:80` is `http://h`. */
function normalise(origin: string): string {
  try {
    const url = new URL(origin);
    return url.origin === 'null' ? 'null' : url.origin;
  } catch {
    return 'invalid';
  }
}
