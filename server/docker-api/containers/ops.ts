import type { Route } from '../router.ts';
import { routes as stats } from './stats.ts';
import { routes as update } from './update.ts';
import { routes as archiveGet } from './archive-get.ts';
import { routes as archivePut } from './archive-put.ts';
import { routes as exportTar } from './export.ts';
import { routes as changes } from './changes.ts';
import { routes as commit } from '../images/commit.ts';

/** Container operations beyond the lifecycle: stats, update, cp (archive), export, diff, commit. */
export const routes: Route[] = [...stats, ...update, ...archiveGet, ...archivePut, ...exportTar, ...changes, ...commit];
