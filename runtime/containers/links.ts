import { NotFoundError } from '../errors.ts';
import type { ContainerContext } from './context.ts';
import { resolveContainer } from './resolve.ts';

/** The alias a legacy link entry (`child`, `child:alias`, `/child:/parent/alias`) gives its child. */
function aliasOf(entry: string): string {
  const [child, alias] = entry.split(':') as [string, string?];
  return (alias ?? child).split('/').pop()!;
}

/** The child a parent's legacy link `alias` names; 404 as dockerd words it for `parent/alias`. */
export function linkedChild(ctx: ContainerContext, parentNameOrId: string, alias: string): string {
  const parent = resolveContainer(ctx, parentNameOrId);
  const entry = (parent.record.HostConfig.Links ?? []).find((l) => aliasOf(l) === alias);
  if (!entry) throw new NotFoundError(`No such container: ${parentNameOrId}/${alias}`);
  return entry.split(':')[0]!.replace(/^\//, '');
}

/** moby's rmLink: the parent forgets the link, so its next start no longer resolves the alias. */
export async function removeLink(ctx: ContainerContext, parentNameOrId: string, alias: string): Promise<void> {
  const { id } = resolveContainer(ctx, parentNameOrId);
  linkedChild(ctx, parentNameOrId, alias);
  await ctx.lock.with(id, () => {
    const row = resolveContainer(ctx, id);
    const Links = (row.record.HostConfig.Links ?? []).filter((l) => aliasOf(l) !== alias);
    ctx.meta.setRecord(id, row.name, { ...row.record, HostConfig: { ...row.record.HostConfig, Links } });
    return Promise.resolve();
  });
}
