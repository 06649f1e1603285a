import { inProcessPages } from './in-process.ts';
import { threadPages, type ThreadPagesOptions } from './thread.ts';
import type { Pages } from './types.ts';

export type { Pages, PagesOptions, PagesState } from './types.ts';

/** Next in its own thread in production; in development on the server's, where hot reload works. */
export function createPages(opts: ThreadPagesOptions): Pages {
  return opts.dev ? inProcessPages(opts) : threadPages(opts);
}
