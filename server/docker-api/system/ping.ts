import type { Route } from '../router.ts';

const ping: Route['handler'] = async ({ res, req }) => {
  res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', 'Builder-Version': '1' });
  res.end(req.method === 'HEAD' ? undefined : 'OK');
};

export const routes: Route[] = [
  { method: 'GET', path: '/_ping', handler: ping },
  { method: 'HEAD', path: '/_ping', handler: ping },
];
