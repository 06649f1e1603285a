import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Session } from '../auth/sessions.ts';

export interface Context {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
  /** Set on every route but the public ones. */
  session: Session | undefined;
}

export interface Reply { status: number; body?: unknown; headers?: Record<string, string | string[]> }

/** Resolves to the answer, or to nothing when the handler wrote the response itself (proxy). */
export type Handler = (ctx: Context) => Promise<Reply | void>;

/** public: no session; user: any signed-in user; admin: admins only. */
export type Access = 'public' | 'user' | 'admin';

export interface Route { method: string; path: string; access: Access; handler: Handler }

interface Compiled extends Route { re: RegExp; names: string[] }

/** `:name` matches one segment; a final `*` matches the rest of the path as `params.rest`. */
export class Router {
  private readonly routes: Compiled[] = [];

  add(...routes: Route[]): this {
    for (const route of routes) {
      const names: string[] = [];
      const source = route.path
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/:(\w+)/g, (_m, name: string) => { names.push(name); return '([^/]+)'; })
        .replace(/\/\*$/, () => { names.push('rest'); return '(/.*)?'; });
      this.routes.push({ ...route, re: new RegExp(`^${source}$`), names });
    }
    return this;
  }

  /** The route for a method and path; `allowed` lists the methods of the path when only the method is wrong. */
  match(method: string, pathname: string): { route: Compiled; params: Record<string, string> } | { allowed: string[] } {
    const allowed: string[] = [];
    for (const route of this.routes) {
      const m = route.re.exec(pathname);
      if (!m) continue;
      if (route.method !== '*' && route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => { params[name] = name === 'rest' ? (m[i + 1] ?? '/') : safeDecode(m[i + 1]!); });
      return { route, params };
    }
    return { allowed };
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
