import { LoopDelayMonitor } from '../health/loop-delay.ts';
import type { Route } from './router.ts';

/**
 * `GET /api/health`, public: whether the server answers, how late its event loop runs
 * (p50/p99/max in ms over the last 15-30 s), how many size walks wait off the loop and
 * whether the dashboard's pages are loaded. Nothing about users, containers or the host.
 */
export function healthRoute(monitor: LoopDelayMonitor, backgroundWalks: () => number, pages: () => string = () => 'unloaded'): Route {
  return {
    method: 'GET', path: '/api/health', access: 'public',
    handler: async () => ({ status: 200, body: { status: 'ok', eventLoopDelay: monitor.report(), backgroundWalks: backgroundWalks(), pages: pages() } }),
  };
}

export { LoopDelayMonitor };
