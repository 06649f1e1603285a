import { inProcessPages } from './in-process.ts';
import { threadPages } from './thread.ts';
import type { Pages, PagesOptions } from './types.ts';

export type { Pages, PagesOptions, PagesState } from './types.ts';

/** Next in its own thread in production; in development on the server's, where hot reload works. */
export function createPages(opts: PagesOptions & { socketPath: string }): Pages {
  return opts.dev ? inProcessPages(opts) : threadPages(opts);
}
