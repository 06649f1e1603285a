import { Router, type RouteSpec } from '../http/router.ts';

/** What an audit entry says of one Docker API request. */
export interface DockerAction { action: string; route: string; target: string | null }

interface ActionRoute extends RouteSpec {
  /** The action name, from the route's parameters and the (safe fields of the) query. */
  name: (params: Record<string, string>, query: URLSearchParams) => string;
  target?: (params: Record<string, string>, query: URLSearchParams) => string | null;
}

const fixed = (name: string) => () => name;
const verb = (resource: string) => (p: Record<string, string>) => `${resource}.${p.verb}`;
const q = (key: string) => (_p: Record<string, string>, query: URLSearchParams) => query.get(key);
/** `fromImage` with its tag, as `docker pull` names it; `fromSrc` is an import. */
const pulled = (_p: Record<string, string>, query: URLSearchParams) => {
  const image = query.get('fromImage') ?? query.get('repo');
  const tag = query.get('tag');
  return image ? (tag ? `${image}:${tag}` : image) : null;
};

/**
 * Docker Engine API routes by action, for every engine the dashboard can proxy to (so wider
 * than what the embedded engine serves); the first match wins. Only names from the path and a
 * few query fields that name the target are kept: never a body, a build argument or an auth header.
 */
const ROUTES: ActionRoute[] = [
  { method: 'POST', path: '/containers/create', name: fixed('container.create'), target: q('name') },
  { method: 'POST', path: '/containers/prune', name: fixed('container.prune') },
  { method: 'POST', path: '/containers/:id/exec', name: fixed('exec.create') },
  { method: 'PUT', path: '/containers/:id/archive', name: fixed('container.copy') },
  { method: 'DELETE', path: '/containers/:id', name: fixed('container.remove') },
  { method: 'POST', path: '/containers/:id/:verb', name: verb('container') },
  { method: 'POST', path: '/exec/:id/:verb', name: verb('exec') },
  { method: 'POST', path: '/images/create', name: (_p, query) => (query.has('fromSrc') ? 'image.import' : 'image.pull'), target: pulled },
  { method: 'POST', path: '/images/load', name: fixed('image.load') },
  { method: 'POST', path: '/images/prune', name: fixed('image.prune') },
  { method: 'POST', path: '/images/:name*/push', name: fixed('image.push') },
  { method: 'POST', path: '/images/:name*/tag', name: fixed('image.tag'), target: (p, query) => `${p.name} → ${pulled(p, query) ?? ''}` },
  { method: 'DELETE', path: '/images/:name*', name: fixed('image.remove') },
  { method: 'POST', path: '/build/prune', name: fixed('build.prune') },
  { method: 'POST', path: '/build', name: fixed('image.build'), target: q('t') },
  { method: 'POST', path: '/commit', name: fixed('container.commit'), target: q('container') },
  { method: 'POST', path: '/auth', name: fixed('registry.login') },
  { method: 'POST', path: '/volumes/create', name: fixed('volume.create') },
  { method: 'POST', path: '/volumes/prune', name: fixed('volume.prune') },
  { method: 'DELETE', path: '/volumes/:name', name: fixed('volume.remove') },
  { method: 'POST', path: '/networks/create', name: fixed('network.create') },
  { method: 'POST', path: '/networks/prune', name: fixed('network.prune') },
  { method: 'DELETE', path: '/networks/:id', name: fixed('network.remove') },
  { method: 'POST', path: '/networks/:id/:verb', name: verb('network') },
];

const router = new Router<ActionRoute>().add(...ROUTES);
const VERSION_PREFIX = /^\/v\d+\.\d+(?=\/)/;
const MAX_TARGET = 256;

/** The action of a Docker API request as the engine receives it (`path` without the query). */
export function dockerAction(method: string, path: string, query: URLSearchParams): DockerAction {
  const bare = path.replace(VERSION_PREFIX, '');
  const hit = router.match(method, bare);
  if (!('route' in hit)) return { action: `docker.${method.toLowerCase()}`, route: clip(bare), target: null };
  const { route, params } = hit;
  const target = route.target ? route.target(params, query) : (params.id ?? params.name ?? null);
  return { action: route.name(params, query), route: route.path, target: target === null ? null : clip(target) };
}

function clip(text: string): string {
  return text.length > MAX_TARGET ? `${text.slice(0, MAX_TARGET)}…` : text;
}
