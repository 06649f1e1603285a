import { NotFoundError, InvalidArgumentError } from '../errors.ts';
import type { ContainerContext, Row } from './context.ts';

/** Docker's lookup order: full id, exact name (with or without `/`), then a unique id prefix. */
export function findContainer(ctx: ContainerContext, nameOrId: string): Row | undefined {
  if (!nameOrId) return undefined;
  const byId = ctx.meta.get(nameOrId);
  if (byId) return byId;
  const byName = ctx.meta.byName(nameOrId.replace(/^\//, ''));
  if (byName) return byName;
  if (/^[a-f0-9]+$/.test(nameOrId)) {
    const ids = ctx.meta.byPrefix(nameOrId);
    if (ids.length > 1) throw new InvalidArgumentError(`multiple IDs found with provided prefix: ${nameOrId}`);
    if (ids.length === 1) return ctx.meta.get(ids[0]!);
  }
  return undefined;
}

export function resolveContainer(ctx: ContainerContext, nameOrId: string): Row {
  const row = findContainer(ctx, nameOrId);
  if (!row) throw new NotFoundError(`No such container: ${nameOrId}`);
  return row;
}
