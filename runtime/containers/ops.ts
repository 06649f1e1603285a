import type { Readable } from 'node:stream';
import type { ContentStore } from '../content/store.ts';
import type { Change } from '../diff/compute.ts';
import type { ContainerContext } from './context.ts';
import { resolveContainer } from './resolve.ts';
import { containerStats, type StatsOptions } from './stats.ts';
import { updateContainer, type UpdateRequest } from './update.ts';
import { archivePath, extractToContainer, statPath, type PathStat } from './archive.ts';
import type { ExtractOptions } from './extract.ts';
import { exportContainer } from './export.ts';
import { containerChanges } from './diff.ts';
import { commitContainer, type CommitRequest } from './commit.ts';
import type { ContainerStats } from '../tasks/stats.ts';
import type { LayerUnpacker } from '../diff/unpacker.ts';

/**
 * Container operations beyond the lifecycle: stats, live resource updates, file copy in and
 * out, export, diff and commit. Every method takes a name, id or id prefix.
 */
export class ContainerOps {
  constructor(private readonly ctx: ContainerContext, private readonly content: ContentStore, private readonly unpacker: LayerUnpacker) {}

  private id(nameOrId: string): string {
    return resolveContainer(this.ctx, nameOrId).id;
  }

  stats(nameOrId: string, opts: StatsOptions, signal?: AbortSignal): AsyncGenerator<ContainerStats> {
    return containerStats(this.ctx, this.id(nameOrId), opts, signal);
  }

  update(nameOrId: string, req: UpdateRequest): Promise<{ Warnings: string[] }> {
    return updateContainer(this.ctx, this.id(nameOrId), req);
  }

  statPath(nameOrId: string, path: string): Promise<PathStat> {
    return statPath(this.ctx, this.id(nameOrId), path, nameOrId);
  }

  getArchive(nameOrId: string, path: string): Promise<{ stat: PathStat; tar: Readable }> {
    return archivePath(this.ctx, this.id(nameOrId), path, nameOrId);
  }

  putArchive(nameOrId: string, path: string, tar: Readable, opts: ExtractOptions = {}): Promise<void> {
    return extractToContainer(this.ctx, this.id(nameOrId), path, tar, opts, nameOrId);
  }

  export(nameOrId: string): Promise<Readable> {
    return exportContainer(this.ctx, this.id(nameOrId));
  }

  changes(nameOrId: string): Promise<Change[]> {
    return containerChanges(this.ctx, this.id(nameOrId));
  }

  /** Returns the new image id. */
  commit(nameOrId: string, req: CommitRequest): Promise<string> {
    return commitContainer(this.ctx, { content: this.content, unpack: (layers, diffIDs) => this.unpacker.unpack(layers, diffIDs) }, this.id(nameOrId), req);
  }
}
