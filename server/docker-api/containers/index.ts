import type { Route } from '../router.ts';
import { routes as create } from './create.ts';
import { routes as list } from './list.ts';
import { routes as prune } from './prune.ts';
import { routes as inspect } from './inspect.ts';
import { routes as start } from './start.ts';
import { routes as stop } from './stop.ts';
import { routes as restart } from './restart.ts';
import { routes as kill } from './kill.ts';
import { routes as pause } from './pause.ts';
import { routes as unpause } from './unpause.ts';
import { routes as remove } from './remove.ts';
import { routes as removeLink } from './remove-link.ts';
import { routes as rename } from './rename.ts';
import { routes as wait } from './wait.ts';
import { routes as logs } from './logs.ts';
import { routes as attach } from './attach.ts';
import { routes as resize } from './resize.ts';
import { routes as top } from './top.ts';

/** The container lifecycle verbs; one file each. (`ops.ts` holds stats, exec, archive and the rest.) */
export const routes: Route[] = [
  ...create, ...list, ...prune, ...inspect, ...start, ...stop, ...restart, ...kill, ...pause, ...unpause,
  ...remove, ...removeLink, ...rename, ...wait, ...logs, ...attach, ...resize, ...top,
];
