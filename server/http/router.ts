/** What the router needs of a route; each HTTP surface adds its own handler and context. */
export interface RouteSpec {
  /** An HTTP method, or `*` for any. HEAD is served by the GET route of the path. */
  method: string;
  /**
   * `:name` matches one segment; `:name*` matches one or more segments (image names with
   * slashes); a final `/*` matches the rest of the path, or nothing, as `params.rest`.
   */
  path: string;
}

export type Match<R extends RouteSpec> =
  | { route: R; params: Record<string, string> }
  /** No route for the method; `allowed` lists the methods the path has (empty: no such path). */
  | { allowed: string[] };

/** A parameter, and whether it is kept as written (the rest of a path stays percent-encoded). */
interface Param { name: string; raw: boolean }
interface Compiled<R> { route: R; re: RegExp; params: Param[] }

/** The one router of both HTTP surfaces (the Docker API and the dashboard API). */
export class Router<R extends RouteSpec> {
  private readonly routes: Compiled<R>[] = [];

  add(...routes: R[]): this {
    for (const route of routes) {
      const params: Param[] = [];
      const source = route.path
        .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
        .replace(/:(\w+)(\*)?/g, (_m, name: string, star?: string) => { params.push({ name, raw: false }); return star ? '(.+)' : '([^/]+)'; })
        .replace(/\/\*$/, () => { params.push({ name: 'rest', raw: true }); return '(/.*)?'; });
      this.routes.push({ route, re: new RegExp(`^${source}$`), params });
    }
    return this;
  }

  /** The first route of the method and path, in the order they were added. */
  match(method: string, pathname: string): Match<R> {
    const allowed: string[] = [];
    for (const { route, re, params: spec } of this.routes) {
      const m = re.exec(pathname);
      if (!m) continue;
      if (route.method !== '*' && route.method !== method && !(method === 'HEAD' && route.method === 'GET')) {
        allowed.push(route.method);
        continue;
      }
      const params: Record<string, string> = {};
      spec.forEach(({ name, raw }, i) => { params[name] = raw ? (m[i + 1] ?? '/') : safeDecode(m[i + 1]!); });
      return { route, params };
    }
    return { allowed: [...new Set(allowed)] };
  }
}

/** A malformed escape is taken literally rather than failing the request. */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
