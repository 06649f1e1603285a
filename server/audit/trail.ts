import type { IncomingMessage, ServerResponse } from 'node:http';
import { errorAnswer } from '../http/errors.ts';
import type { SessionUser } from '../protocol/index.ts';
import { dashboardAction, dashboardTarget } from './dashboard-actions.ts';
import { dockerAction, type DockerAction } from './docker-actions.ts';
import { createdName, errorMessage, tapBody, type Tapped } from './response-tap.ts';
import type { AuditStore } from './store.ts';

/** Who acted, when a route knows better than the session (a sign-in names its user). */
export interface AuditNote { actor?: { username: string; role: string } }

const MAX_FIELD = 512;
/** The proxy route; its Docker API path is recorded instead of the proxy's own pattern. */
const DOCKER_SUFFIX = '/docker/*';

/** One mutating request on its way through the dashboard API, recorded when it is answered. */
export class AuditRecording {
  readonly note: AuditNote = {};
  private readonly time: number;
  private matched?: { pattern: string; params: Record<string, string>; url: URL; user: SessionUser | undefined };
  private docker?: DockerAction;
  private tapped?: () => Tapped;
  private recorded = false;

  constructor(private readonly store: AuditStore, private readonly req: IncomingMessage, private readonly res: ServerResponse, now: number) {
    this.time = now;
  }

  /** The route the request reached and the signed-in user, if any; unmatched requests are not recorded. */
  route(pattern: string, params: Record<string, string>, url: URL, user: SessionUser | undefined): void {
    this.matched = { pattern, params, url, user };
    if (!pattern.endsWith(DOCKER_SUFFIX)) return;
    this.docker = dockerAction(this.req.method ?? 'POST', rawRest(this.req.url ?? '', params.id ?? '', params.rest ?? '/'), url.searchParams);
    this.tapped = tapBody(this.res, this.docker.target === null && this.docker.action.endsWith('.create'));
  }

  /** The handler answered (`answer` is its JSON body, absent when it streamed the answer itself). */
  succeeded(status: number, answer?: unknown): void {
    const tapped = this.tapped?.();
    if (tapped && this.docker && this.docker.target === null && status < 400) this.docker = { ...this.docker, target: createdName(tapped) };
    this.write(status, status >= 400 && tapped ? errorMessage(tapped) : null, answer);
  }

  failed(err: unknown): void {
    const { status, body } = errorAnswer(err);
    this.write(status, body.message, undefined);
  }

  private write(status: number, error: string | null, answer: unknown): void {
    const m = this.matched;
    if (!m || this.recorded) return;
    this.recorded = true;
    const method = this.req.method ?? 'POST';
    const docker = this.docker;
    const signedIn = answer && typeof answer === 'object' && 'user' in answer ? (answer as { user: SessionUser }).user : undefined;
    const actor = signedIn ?? m.user ?? this.note.actor ?? { username: 'anonymous', role: 'anonymous' };
    try {
      this.store.add({
        time: this.time,
        username: clip(actor.username),
        role: signedIn || m.user ? actor.role : 'anonymous',
        action: docker?.action ?? dashboardAction(method, m.pattern),
        method,
        route: docker?.route ?? m.pattern,
        target: docker ? docker.target : nullableClip(dashboardTarget(m.params, answer)),
        environment: m.pattern.startsWith('/api/environments/:id') ? clip(m.params.id!) : null,
        source: this.req.socket.remoteAddress ?? 'unknown',
        status,
        error: nullableClip(error),
      });
    } catch (err) {
      // The action itself is done; a full disk must not turn its answer into a failure.
      console.error(`wharf: audit: cannot record ${method} ${m.pattern}: ${(err as Error).message}`);
    }
  }
}

/** The Docker API path as the client wrote it (before dot segments were resolved), which the engine receives. */
function rawRest(requestUrl: string, id: string, parsed: string): string {
  const pathname = requestUrl.split('?')[0]!;
  const prefix = `/api/environments/${encodeURIComponent(id)}/docker`;
  return pathname.startsWith(prefix) ? pathname.slice(prefix.length) || '/' : parsed;
}

function clip(text: string): string {
  return text.length > MAX_FIELD ? `${text.slice(0, MAX_FIELD)}…` : text;
}

function nullableClip(text: string | null): string | null {
  return text === null ? null : clip(text);
}

/** Starts a recording for each mutating request of the dashboard API. */
export class AuditTrail {
  constructor(readonly store: AuditStore, private readonly now: () => number = Date.now) {}

  begin(req: IncomingMessage, res: ServerResponse): AuditRecording {
    return new AuditRecording(this.store, req, res, this.now());
  }
}
