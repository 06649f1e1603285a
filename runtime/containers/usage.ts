import type { EventBus, EngineEvent } from '../events/bus.ts';
import type { ContainerUsageRow, UsageMetadata } from '../metadata/usage.ts';
import type { TreeWalker } from '../util/workers/pool.ts';
import type { Row } from './context.ts';

export interface ContainerUsageDeps {
  usage: UsageMetadata;
  /** The container's current row, if it still exists. */
  find(id: string): Row | undefined;
  /** Every container (boot: which figures are missing or may have moved). */
  all(): Row[];
  /** The directory of a snapshot's own files (a container's upper dir); throws when it is gone. */
  upperDir(snapshotKey: string): string;
  /** A named volume's data directory. */
  volumePath(name: string): string;
  events: EventBus;
  walker: TreeWalker;
  /** A running container's figure older than this is refreshed in the background when read. */
  staleAfterMs?: number;
}

/** Events after which a container's writable layer may hold different bytes. */
const CHANGES = new Set(['create', 'start', 'die', 'exec_die', 'extract-to-dir']);

/**
 * Sizes of containers' writable layers, kept up to date incrementally. Each event that can
 * change a layer queues one walk of that layer on the bounded tree walker (worker threads);
 * the result is stored in SQLite. A read returns the stored figures and waits only for walks
 * queued before it (a change the engine already knows about), never for a container's lock.
 * What a running process writes is noticed by refreshing its figure in the background once it
 * is older than `staleAfterMs`, so reads stay cheap however many containers there are.
 */
export class ContainerUsage {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Containers changed again while a walk of theirs was running: walk once more after it. */
  private readonly again = new Set<string>();
  private readonly staleAfterMs: number;
  private unsubscribe?: () => void;

  constructor(private readonly deps: ContainerUsageDeps) {
    this.staleAfterMs = deps.staleAfterMs ?? 10_000;
  }

  /**
   * Follow the engine's events, and queue walks for figures that are missing or may be out of
   * date. Called before boot recovery, so the exits recovery records are followed too.
   */
  start(): void {
    this.unsubscribe = this.deps.events.subscribe((e) => this.onEvent(e));
    const known = this.deps.usage.all();
    for (const row of this.deps.all()) {
      const figure = known.get(row.id);
      // A running container may have written anything while the engine was down, and one that
      // stopped since it was last measured wrote until it stopped.
      const stoppedSince = figure && Date.parse(row.state.FinishedAt) > figure.measured;
      if (!figure || row.state.Running || stoppedSince) this.refresh(row.id);
    }
  }

  stop(): void {
    this.unsubscribe?.();
  }

  /** Tree walks queued or running (container layers and volumes alike). */
  get pendingWalks(): number {
    return this.deps.walker.pending;
  }

  /** SizeRw of each of `rows`; 0 for a container whose layer is gone. */
  async sizeRw(rows: Row[]): Promise<Map<string, number>> {
    let stored = this.stored(rows);
    // Created before figures were kept, or a walk that failed: measure now, in the walker like any other.
    for (const r of rows) if (!stored.has(r.id) && !this.inFlight.has(r.id)) this.refresh(r.id);
    await Promise.all(rows.map((r) => this.settled(r.id)));
    stored = this.stored(rows);
    const now = Date.now();
    const out = new Map<string, number>();
    for (const row of rows) {
      const figure = stored.get(row.id);
      if (figure && row.state.Running && now - figure.measured > this.staleAfterMs) this.refresh(row.id);
      out.set(row.id, figure?.sizeRw ?? 0);
    }
    return out;
  }

  /**
   * Bytes in a named volume as Docker's directory.Size counts them (files only, each inode once,
   * not crossing mounts). Volumes are written by running containers behind the engine's back, so
   * this walks on every call, as dockerd does, but in the bounded walker, never on the loop.
   */
  volumeSize(name: string): Promise<number> {
    return this.deps.walker.treeSize(this.deps.volumePath(name), { inodes: true, xdev: true });
  }

  private stored(rows: Row[]): Map<string, ContainerUsageRow> {
    if (rows.length > 8) return this.deps.usage.all();
    const out = new Map<string, ContainerUsageRow>();
    for (const r of rows) {
      const f = this.deps.usage.get(r.id);
      if (f) out.set(r.id, f);
    }
    return out;
  }

  private onEvent(e: EngineEvent): void {
    if (e.Type === 'container' && CHANGES.has(e.Action)) this.refresh(e.Actor.ID);
  }

  /** Queue a walk of the container's layer, coalescing with one already queued. */
  private refresh(id: string): void {
    if (this.inFlight.has(id)) {
      this.again.add(id);
      return;
    }
    const walk = this.measure(id).catch(() => undefined).finally(() => {
      this.inFlight.delete(id);
      if (this.again.delete(id)) this.refresh(id);
    });
    this.inFlight.set(id, walk);
  }

  private async measure(id: string): Promise<void> {
    const row = this.deps.find(id);
    if (!row) return;
    let dir: string;
    try {
      dir = this.deps.upperDir(row.record.SnapshotKey);
    } catch {
      return; // mid-removal: the snapshot is already gone
    }
    const measured = Date.now();
    const size = await this.deps.walker.treeSize(dir);
    this.deps.usage.set(id, size, measured);
  }

  /** Resolves once no walk of the container is queued or running. */
  private async settled(id: string): Promise<void> {
    for (let p = this.inFlight.get(id); p; p = this.inFlight.get(id)) await p;
  }
}
