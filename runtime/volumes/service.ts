import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DB } from '../metadata/db.ts';
import type { EventBus } from '../events/bus.ts';
import { ConflictError, InvalidArgumentError, NotFoundError, NotImplementedError } from '../errors.ts';
import { KeyedLock } from '../util/lock.ts';
import { newId } from '../util/ids.ts';
import { run } from '../util/exec.ts';
import { VolumeRecords, type VolumeRow } from './records.ts';
import { volumeNamesOf, type VolumeUser } from './refs.ts';
import { copyUp } from './copy-up.ts';

export type { VolumeRow } from './records.ts';
export type { VolumeUser } from './refs.ts';

/** Docker marks volumes created without a name with this label; prune only takes those unless `all`. */
export const ANONYMOUS_LABEL = 'com.docker.volume.anonymous';

const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const LOCAL_OPTIONS = ['type', 'device', 'o', 'size'];

export interface VolumeCreateOptions {
  Name?: string;
  Driver?: string;
  DriverOpts?: Record<string, string> | null;
  Labels?: Record<string, string> | null;
}

/** How a container mounts a volume (see containers/mounts.ts). */
export interface VolumeMountRequest {
  destination: string;
  /** The container's mounted rootfs, to copy the image's content at `destination` into a fresh volume. */
  rootfs?: string;
  noCopy?: boolean;
  /** Labels for the volume if this mount creates it (`--mount …,volume-label=k=v`). */
  labels?: Record<string, string>;
}

export interface VolumePruneReport { VolumesDeleted: string[]; SpaceReclaimed: number }

/**
 * Named and anonymous volumes with the `local` driver: a directory `<root>/<name>/_data` and a
 * record. Also the containers' VolumeResolver: mounting a name creates the volume when missing.
 */
export class VolumeService {
  private readonly records: VolumeRecords;
  private readonly lock = new KeyedLock();

  constructor(private readonly root: string, db: DB, private readonly events: EventBus, private readonly containers: () => VolumeUser[]) {
    this.records = new VolumeRecords(db);
  }

  async init(): Promise<void> {
    await mkdir(this.root, { recursive: true, mode: 0o701 });
  }

  mountpointOf(name: string): string {
    return join(this.root, name, '_data');
  }

  find(name: string): VolumeRow | undefined {
    return this.records.get(name);
  }

  get(name: string): VolumeRow {
    const v = this.records.get(name);
    if (!v) throw new NotFoundError(`get ${name}: no such volume`);
    return v;
  }

  list(): VolumeRow[] {
    return this.records.all();
  }

  /** Ids of the containers that refer to the volume, as Docker's reference counting does. */
  usersOf(name: string): string[] {
    return this.containers().filter((c) => volumeNamesOf(c).has(name) || this.records.get(name)?.owner === c.id).map((c) => c.id);
  }

  /** Names of volumes some container refers to (one pass, for lists). */
  inUse(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const c of this.containers()) {
      const names = volumeNamesOf(c);
      for (const v of this.records.ownedBy(c.id)) names.add(v.name);
      for (const n of names) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    return counts;
  }

  /** Create a volume; an existing name is returned as it is, as Docker does. */
  async create(opts: VolumeCreateOptions = {}, owner?: { container: string; destination: string }): Promise<VolumeRow> {
    const anonymous = !opts.Name;
    const name = opts.Name || newId();
    const driver = opts.Driver || 'local';
    validate(name, driver, opts.DriverOpts ?? {});
    return this.lock.with(name, async () => {
      const existing = this.records.get(name);
      if (existing) return existing;
      const labels = anonymous ? { ...opts.Labels, [ANONYMOUS_LABEL]: '' } : opts.Labels ?? null;
      const row: VolumeRow = {
        name, driver, labels, options: opts.DriverOpts ?? null, created: Math.floor(Date.now() / 1000),
        owner: owner?.container ?? null, destination: owner?.destination ?? null,
      };
      await mkdir(this.mountpointOf(name), { recursive: true, mode: 0o755 });
      try {
        this.records.insert(row);
      } catch (e) {
        await rm(join(this.root, name), { recursive: true, force: true });
        throw e;
      }
      this.events.publish('volume', 'create', name, { driver });
      return row;
    });
  }

  /** `docker volume rm`: refused while any container refers to it; force only forgives a missing volume. */
  async remove(name: string, opts: { force?: boolean } = {}): Promise<void> {
    await this.lock.with(name, async () => {
      const v = this.records.get(name);
      if (!v) {
        if (opts.force) return;
        throw new NotFoundError(`get ${name}: no such volume`);
      }
      const users = this.usersOf(name);
      if (users.length > 0) throw new ConflictError(`remove ${name}: volume is in use - [${users.join(', ')}]`);
      await this.destroy(v);
    });
  }

  /** Unused local volumes: only anonymous ones unless `all` (Docker 23+), narrowed by `filter`. */
  async prune(opts: { all?: boolean; filter?: (v: VolumeRow) => boolean } = {}): Promise<VolumePruneReport> {
    const report: VolumePruneReport = { VolumesDeleted: [], SpaceReclaimed: 0 };
    const used = this.inUse();
    for (const v of this.records.all()) {
      if (used.has(v.name) || v.driver !== 'local') continue;
      if (!opts.all && !(v.labels && ANONYMOUS_LABEL in v.labels)) continue;
      if (opts.filter && !opts.filter(v)) continue;
      const size = await this.usage(v.name);
      try {
        await this.remove(v.name);
      } catch (e) {
        if (e instanceof ConflictError || e instanceof NotFoundError) continue; // taken or gone meanwhile
        throw e;
      }
      report.VolumesDeleted.push(v.name);
      report.SpaceReclaimed += size;
    }
    this.events.publish('volume', 'prune', '', { reclaimed: String(report.SpaceReclaimed) });
    return report;
  }

  /** Bytes in the volume as Docker's directory.Size counts them: files only, each inode once. */
  async usage(name: string): Promise<number> {
    const r = await run('find', [this.mountpointOf(name), '-xdev', '!', '-type', 'd', '-printf', '%i %s\n'], { allowFail: true });
    const seen = new Set<string>();
    let total = 0;
    for (const line of r.stdout.split('\n')) {
      const [inode, size] = line.split(' ');
      if (!inode || seen.has(inode)) continue;
      seen.add(inode);
      total += Number(size) || 0;
    }
    return total;
  }

  /** VolumeResolver: `-v name:/path` and `--mount type=volume,src=name`; creates the volume when missing. */
  async mountpoint(name: string, containerId: string, req?: VolumeMountRequest): Promise<string> {
    const v = await this.create({ Name: name, Labels: req?.labels });
    return this.attach(v, containerId, req);
  }

  /** VolumeResolver: image `VOLUME`s and `-v /path`; the same volume again on every start of the container. */
  async anonymous(containerId: string, req?: VolumeMountRequest): Promise<string> {
    const destination = req?.destination ?? '';
    const v = await this.lock.with(`anon:${containerId}:${destination}`, async () => {
      const mine = this.records.ownedBy(containerId).find((r) => r.destination === destination);
      return mine ?? this.create({}, { container: containerId, destination });
    });
    return this.attach(v, containerId, req);
  }

  /**
   * `docker rm -v`, after the container's record is gone: drop the anonymous volumes it created and
   * those it mounted through `--volumes-from` that were created anonymous (dockerd's "no source
   * named" rule), unless another container still uses them (that is no error, as in dockerd).
   */
  async removeAnonymousOf(containerId: string, inherited: string[] = []): Promise<string[]> {
    const removed: string[] = [];
    const names = new Set([...this.records.ownedBy(containerId).map((v) => v.name), ...inherited]);
    for (const name of names) {
      const gone = await this.lock.with(name, async () => {
        const v = this.records.get(name);
        if (!v || v.owner === null || this.usersOf(name).some((id) => id !== containerId)) return false;
        await this.destroy(v);
        return true;
      });
      if (gone) removed.push(name);
    }
    return removed;
  }

  private async attach(v: VolumeRow, containerId: string, req?: VolumeMountRequest): Promise<string> {
    const data = this.mountpointOf(v.name);
    // The record may outlive its directory (restored backup, manual cleanup): recreate it empty.
    await mkdir(data, { recursive: true, mode: 0o755 });
    if (req?.rootfs && !req.noCopy) await copyUp(req.rootfs, req.destination, data);
    this.events.publish('volume', 'mount', v.name, { container: containerId, destination: req?.destination ?? '', driver: v.driver });
    return data;
  }

  private async destroy(v: VolumeRow): Promise<void> {
    this.records.delete(v.name);
    await rm(join(this.root, v.name), { recursive: true, force: true });
    this.events.publish('volume', 'destroy', v.name, { driver: v.driver });
  }
}

function validate(name: string, driver: string, driverOpts: Record<string, string>): void {
  if (driver !== 'local') throw new NotFoundError(`create ${name}: error looking up volume plugin ${driver}: plugin "${driver}" not found`);
  if (name.length === 1) throw new InvalidArgumentError(`create ${name}: volume name is too short, names should be at least two alphanumeric characters`);
  if (!NAME_RE.test(name)) {
    throw new InvalidArgumentError(`create ${name}: "${name}" includes invalid characters for a local volume name, only "[a-zA-Z0-9][a-zA-Z0-9_.-]" are allowed. If you intended to pass a host directory, use absolute path`);
  }
  const keys = Object.keys(driverOpts);
  const unknown = keys.find((k) => !LOCAL_OPTIONS.includes(k));
  if (unknown !== undefined) throw new InvalidArgumentError(`create ${name}: invalid option: "${unknown}"`);
  if (keys.length > 0) throw new NotImplementedError(`create ${name}: local volume driver options (${keys.join(', ')}) are not supported by this engine`);
}
