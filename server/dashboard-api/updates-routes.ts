import { NotFoundError, NotImplementedError, PermissionDeniedError } from '../../runtime/index.ts';
import type { EnvironmentRegistry } from '../environments/registry.ts';
import { LOCAL_ENVIRONMENT_ID, type Role, type UpdatesReport } from '../protocol/index.ts';
import type { UpdateChecker } from '../updates/checker.ts';
import type { UpdateStore } from '../updates/store.ts';
import type { ContainerUpdater } from '../updates/updater.ts';
import type { Context, Route } from './router.ts';

export interface UpdateServices { checker: UpdateChecker; store: UpdateStore; updater: ContainerUpdater }

/** Only the embedded engine is checked: its images' repo digests are read in-process. */
function local(environments: EnvironmentRegistry, id: string): void {
  if (!environments.record(id)) throw new NotFoundError(`no such environment: ${id}`);
  if (id !== LOCAL_ENVIRONMENT_ID) throw new NotImplementedError('image update checks need the embedded engine');
}

/** Checking, updating and rolling back change things: readonly users only look. */
function writer(ctx: Context): Role {
  const role = ctx.session!.user.role;
  if (role === 'readonly') throw new PermissionDeniedError('readonly users can only view');
  return role;
}

export function updatesRoutes(s: UpdateServices, environments: EnvironmentRegistry): Route[] {
  const report = (): UpdatesReport => ({ updates: s.store.list(), rollbacks: s.store.rollbacks() });
  return [
    {
      method: 'GET', path: '/api/environments/:id/updates', access: 'user',
      handler: async ({ params }) => { local(environments, params.id!); return { status: 200, body: report() }; },
    },
    {
      method: 'POST', path: '/api/environments/:id/updates/check', access: 'user',
      handler: async (ctx) => {
        local(environments, ctx.params.id!);
        writer(ctx);
        await s.checker.checkAll();
        return { status: 200, body: report() };
      },
    },
    {
      method: 'POST', path: '/api/environments/:id/updates/containers/:container/update', access: 'user',
      handler: async (ctx) => {
        local(environments, ctx.params.id!);
        return { status: 200, body: await s.updater.update(ctx.params.container!, writer(ctx)) };
      },
    },
    {
      method: 'POST', path: '/api/environments/:id/updates/containers/:container/rollback', access: 'user',
      handler: async (ctx) => {
        local(environments, ctx.params.id!);
        return { status: 200, body: await s.updater.rollback(ctx.params.container!, writer(ctx)) };
      },
    },
  ];
}
