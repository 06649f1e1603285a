import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Engine } from '../../runtime/index.ts';

export interface Request {
  engine: Engine;
  req: IncomingMessage;
  res: ServerResponse;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The API version the client asked for in the path, or the newest. */
  version: string;
  /** Set when the client asked to hijack the connection (`Upgrade: tcp`). */
  upgrade?: { socket: Duplex; head: Buffer };
}

export type Handler = (r: Request) => Promise<void>;

export interface Route {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  handler: Handler;
}

interface Compiled extends Route { re: RegExp; names: string[] }

/** Method + path patterns with `:name` segments; `:name*` matches the rest (names with slashes). */
export class Router {
  private readonly routes: Compiled[] = [];

  add(...routes: Route[]): this {
    for (const r of routes) {
      const names: string[] = [];
      const re = r.path.replace(/:(\w+)(\*)?/g, (_m, n: string, star?: string) => {
        names.push(n);
        return star ? '(.+)' : '([^/]+)';
      });
      this.routes.push({ ...r, re: new RegExp(`^${re}$`), names });
    }
    return this;
  }

  match(method: string, path: string): { route: Compiled; params: Record<string, string> } | undefined {
    for (const route of this.routes) {
      if (route.method !== method && !(method === 'HEAD' && route.method === 'GET')) continue;
      const m = route.re.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.names.forEach((n, i) => { params[n] = decodeURIComponent(m[i + 1]!); });
      return { route, params };
    }
    return undefined;
  }
}
