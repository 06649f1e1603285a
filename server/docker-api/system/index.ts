import type { Route } from '../router.ts';
import { routes as ping } from './ping.ts';
import { routes as version } from './version.ts';
import { routes as info } from './info.ts';
import { routes as events } from './events.ts';
import { routes as df } from './df.ts';
import { routes as auth } from './auth.ts';

export const routes: Route[] = [...ping, ...version, ...info, ...events, ...df, ...auth];
