import { EventEmitter } from 'node:events';
import { join } from 'node:path';
import type { ContainerMetadata, ContainerRow } from '../metadata/containers.ts';
import type { ImageStore } from '../images/store.ts';
import type { OverlaySnapshotter } from '../snapshots/overlay.ts';
import type { TaskService } from '../tasks/service.ts';
import type { EventBus } from '../events/bus.ts';
import type { ContainerNetworking } from '../network/types.ts';
import { KeyedLock } from '../util/lock.ts';
import type { ContainerRecord, ContainerState } from './types.ts';
import type { VolumeResolver } from './mounts.ts';
import { LogDrivers } from './log-drivers.ts';
import type { LogConfig } from './log-config.ts';

export type Row = ContainerRow<ContainerRecord, ContainerState>;

/** What the container operations share. One per engine. */
export class ContainerContext {
  readonly lock = new KeyedLock();
  /**
   * `stopped:<id>` once an exit is recorded (state and events; the run's mounts, namespace and
   * cgroups may still be going), `exit:<id>` after it is fully handled, `removed:<id>` after removal.
   */
  readonly signals = new EventEmitter();
  /** Teardowns under way of exits already recorded: a wait for a stopped container waits for its own. */
  readonly teardowns = new Map<string, Promise<void>>();
  readonly logs: LogDrivers;

  constructor(
    readonly meta: ContainerMetadata<ContainerRecord, ContainerState>,
    readonly images: ImageStore,
    readonly snapshots: OverlaySnapshotter,
    readonly tasks: TaskService,
    /** Named and anonymous volumes for the mounts of every start. */
    readonly volumes: VolumeResolver,
    readonly events: EventBus,
    readonly containersDir: string,
    readonly cgroupParent: string,
    /** Namespaces, CNI and published ports: attach before a task starts, detach after it stopped. */
    readonly network: ContainerNetworking,
    /** The daemon's log driver for containers created without one (`WHARF_LOG_DRIVER`). */
    readonly logDefault: LogConfig = { Type: 'json-file', Config: {} },
  ) {
    this.signals.setMaxListeners(0);
    this.logs = new LogDrivers(containersDir, this.signals, (id) => this.tasks.reopenLog(this.dir(id)));
  }

  dir(id: string): string {
    return join(this.containersDir, id);
  }

  rootfs(id: string): string {
    return join(this.containersDir, id, 'rootfs');
  }

  /** conmon's k8s-file log, which attach follows (the driver's log is `logs.logPath`). */
  logPath(id: string): string {
    return this.logs.conmonLog(id);
  }

  /** Attributes Docker puts on container events. */
  eventAttrs(row: Row, extra: Record<string, string> = {}): Record<string, string> {
    return { ...row.record.Config.Labels, image: row.record.ImageRef, name: row.name, ...extra };
  }

  setState(id: string, patch: Partial<ContainerState>): ContainerState {
    const row = this.meta.get(id);
    if (!row) throw new Error(`container ${id} vanished`);
    const next = { ...row.state, ...patch };
    this.meta.setState(id, next);
    return next;
  }
}
