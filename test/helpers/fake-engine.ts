/**
 * An in-memory engine for unit tests of server/ (the Docker API's shapes and errors, the
 * dashboard API): no root, no runc, no disk. It covers the facade methods server/ calls for
 * containers, images, networks, volumes and system info, with dockerd's semantics for the
 * errors they raise; anything else is absent, so a test that reaches it fails loudly.
 */
import {
  ConflictError, NotFoundError, NotModifiedError,
  type ContainerConfig, type ContainerRecord, type ContainerState, type Engine, type HostConfig, type ImageRow, type NetworkRecord, type SystemInfo, type VolumeRow,
} from '../../runtime/index.ts';

type Row = ReturnType<Engine['containers']['get']>;
type Containers = Pick<Engine['containers'], 'get' | 'find' | 'list' | 'start' | 'stop' | 'kill' | 'remove' | 'paths' | 'sizeRw'>
  & { exec: Pick<Engine['containers']['exec'], 'ofContainer'> };
type Images = Pick<Engine['images'], 'find' | 'list' | 'get' | 'repoTags' | 'repoDigests'>;
type Networks = Pick<Engine['networks'], 'list' | 'find' | 'get' | 'endpoints' | 'settings' | 'underTheHood'>;
type Usage = Pick<Engine['usage'], 'sizeRw' | 'volumeSize' | 'pendingWalks'>;
type Volumes = Pick<Engine['volumes'], 'find' | 'get' | 'list' | 'mountpointOf'>;
type System = Pick<Engine['system'], 'info'>;

/** The parts of the facade the fake implements, each typed by the real one. */
export interface FakeServices { containers: Containers; images: Images; networks: Networks; volumes: Volumes; system: System; usage: Usage }

const ZERO = '0001-01-01T00:00:00Z';
const hex = (n: number, seed: string): string => Buffer.from(`${seed}${n}`).toString('hex').padEnd(64, '0').slice(0, 64);

export interface ContainerSeed { name: string; image?: string; running?: boolean; config?: Partial<ContainerConfig>; hostConfig?: Partial<HostConfig> }

export class FakeEngine {
  readonly rows = new Map<string, Row>();
  readonly images: ImageRow[] = [{ id: `sha256:${hex(1, 'image')}`, manifestDigest: null, layers: [], size: 4_400_000, created: 1_700_000_000, added: 1_700_000_000 }];
  readonly tags = new Map<string, string>([['busybox:latest', this.images[0]!.id]]);
  readonly networkRecords: NetworkRecord[] = [network('bridge', 'bridge')];
  readonly volumeRows: VolumeRow[] = [];
  /** An error the next call of a container operation throws instead of acting (`start`, `stop`, `kill`, `remove`). */
  readonly faults = new Map<string, Error>();
  private serial = 0;

  /** The fake as the facade's type; only the services above exist behind it. */
  get engine(): Engine {
    return this.services() as unknown as Engine;
  }

  addContainer(seed: ContainerSeed): Row {
    const id = hex(++this.serial, seed.name);
    const image = this.tags.get(seed.image ?? 'busybox:latest') ?? this.images[0]!.id;
    const record: ContainerRecord = {
      Id: id, Name: seed.name, Created: new Date(1_700_000_000_000 + this.serial * 1000).toISOString(), ImageRef: seed.image ?? 'busybox:latest', Image: image,
      Path: 'sh', Args: ['-c', 'sleep 1000'], Config: {
        Hostname: id.slice(0, 12), Domainname: '', User: '', AttachStdin: false, AttachStdout: true, AttachStderr: true, Tty: false, OpenStdin: false, StdinOnce: false,
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['sh', '-c', 'sleep 1000'], Image: seed.image ?? 'busybox:latest',
        WorkingDir: '', Entrypoint: null, Labels: {}, ...seed.config,
      },
      HostConfig: { NetworkMode: 'bridge', ...seed.hostConfig }, Mounts: [], RestartCount: 0, ManuallyStopped: false, SnapshotKey: id,
    };
    const state: ContainerState = { Status: 'created', Running: false, Paused: false, Restarting: false, OOMKilled: false, Dead: false, Pid: 0, ExitCode: 0, Error: '', StartedAt: ZERO, FinishedAt: ZERO };
    const row: Row = { id, name: seed.name, imageId: image, record, state, created: this.serial };
    this.rows.set(id, row);
    if (seed.running) this.run(row);
    return row;
  }

  private run(row: Row): void {
    Object.assign(row.state, { Status: 'running', Running: true, Pid: 4000 + this.serial, StartedAt: new Date(Date.now() - 3000).toISOString() });
  }

  private find(ref: string): Row | undefined {
    const rows = [...this.rows.values()];
    return rows.find((r) => r.id === ref || r.name === ref.replace(/^\//, '')) ?? (ref.length >= 1 ? rows.filter((r) => r.id.startsWith(ref)).at(0) : undefined);
  }

  private fault(op: string): void {
    const err = this.faults.get(op);
    if (!err) return;
    this.faults.delete(op);
    throw err;
  }

  private get(ref: string): Row {
    const row = this.find(ref);
    if (!row) throw new NotFoundError(`No such container: ${ref}`);
    return row;
  }

  private services(): FakeServices {
    const containers: Containers = {
      get: (ref) => this.get(ref),
      find: (ref) => this.find(ref),
      // Newest first, as the engine lists them.
      list: () => [...this.rows.values()].sort((a, b) => b.created - a.created),
      start: async (ref) => {
        this.fault('start');
        const row = this.get(ref);
        if (row.state.Running) throw new NotModifiedError(`container ${row.id} is already started`);
        this.run(row);
      },
      stop: async (ref) => {
        this.fault('stop');
        const row = this.get(ref);
        if (!row.state.Running) throw new NotModifiedError(`container ${row.id} is already stopped`);
        Object.assign(row.state, { Status: 'exited', Running: false, Pid: 0, ExitCode: 137, FinishedAt: new Date().toISOString() });
      },
      kill: async (ref) => {
        this.fault('kill');
        const row = this.get(ref);
        if (!row.state.Running) throw new ConflictError(`Cannot kill container: ${ref}: container ${row.id} is not running`);
        Object.assign(row.state, { Status: 'exited', Running: false, Pid: 0, ExitCode: 137, FinishedAt: new Date().toISOString() });
      },
      remove: async (ref, opts = {}) => {
        this.fault('remove');
        const row = this.get(ref);
        if (row.state.Running && !opts.force) throw new ConflictError(`cannot remove container "/${row.name}": container is running: stop the container before removing or force remove`);
        this.rows.delete(row.id);
      },
      paths: (ref) => {
        const dir = `/fake/containers/${this.get(ref).id}`;
        return { dir, rootfs: `${dir}/merged`, logPath: `${dir}/ctr.log`, upperDir: `${dir}/diff`, workDir: `${dir}/work`, lowerDirs: [`${dir}/lower`] };
      },
      sizeRw: async () => 0,
      exec: { ofContainer: () => [] },
    };
    const byRef = (ref: string): ImageRow | undefined => this.images.find((i) => i.id === ref || i.id === `sha256:${ref}` || i.id.startsWith(`sha256:${ref}`)) ?? this.images.find((i) => i.id === this.tags.get(ref.includes(':') ? ref : `${ref}:latest`));
    const images: Images = {
      find: byRef,
      list: () => [...this.images],
      get: (id) => this.images.find((i) => i.id === id),
      repoTags: (id) => [...this.tags].filter(([, v]) => v === id).map(([k]) => k),
      repoDigests: () => [],
    };
    const findNetwork = (ref: string): NetworkRecord | undefined => this.networkRecords.find((n) => n.Name === ref || n.Id === ref || n.Id.startsWith(ref));
    const networks: Networks = {
      list: () => [...this.networkRecords],
      find: findNetwork,
      get: (ref) => {
        const n = findNetwork(ref);
        if (!n) throw new NotFoundError(`network ${ref} not found`);
        return n;
      },
      endpoints: () => ({}),
      // A container on its network with no address yet: what a stopped container shows.
      settings: (c) => {
        const name = c.record.HostConfig.NetworkMode && c.record.HostConfig.NetworkMode !== 'default' ? c.record.HostConfig.NetworkMode : 'bridge';
        const n = findNetwork(name);
        // Published as asked: the real engine reports the bindings it made while running.
        const bindings = c.state.Running ? (c.record as ContainerRecord).HostConfig.PortBindings ?? {} : {};
        const ports = Object.fromEntries(Object.entries(bindings).map(([k, v]) => [k, (v ?? []).map((b) => ({ HostIp: b.HostIp || '0.0.0.0', HostPort: b.HostPort ?? '' }))]));
        return { networks: n ? { [n.Name]: { ...emptyEndpoint(), NetworkID: n.Id } } : {}, ports };
      },
      underTheHood: () => ({ netns: undefined, endpoints: [] }),
    };
    const findVolume = (name: string): VolumeRow | undefined => this.volumeRows.find((v) => v.name === name);
    const volumes: Volumes = {
      find: findVolume,
      get: (name) => {
        const v = findVolume(name);
        if (!v) throw new NotFoundError(`get ${name}: no such volume`);
        return v;
      },
      list: () => [...this.volumeRows],
      mountpointOf: (name) => `/fake/volumes/${name}/_data`,
    };
    const system: System = { info: async () => this.info() };
    const usage: Usage = { sizeRw: async () => new Map(), volumeSize: async () => 0, pendingWalks: 0 };
    return { containers, images, networks, volumes, system, usage };
  }

  private info(): SystemInfo {
    const rows = [...this.rows.values()];
    const running = rows.filter((r) => r.state.Running).length;
    return {
      ID: 'FAKE:ENGINE', Name: 'fake', ServerVersion: '0.0.0', OperatingSystem: 'Fake OS', OSType: 'linux', Architecture: 'x86_64', KernelVersion: '6.1.0',
      NCPU: 2, MemTotal: 2 ** 31, Containers: rows.length, ContainersRunning: running, ContainersPaused: 0, ContainersStopped: rows.length - running,
      Images: this.images.length, CgroupVersion: '2', CgroupDriver: 'cgroupfs', DockerRootDir: '/fake', Driver: 'overlay2',
    };
  }
}

function network(name: string, driver: string): NetworkRecord {
  return {
    Name: name, Id: hex(0, name), Created: '2026-01-01T00:00:00.000000000Z', Scope: 'local', Driver: driver, EnableIPv4: true, EnableIPv6: false,
    IPAM: { Driver: 'default', Options: null, Config: [{ Subnet: '10.99.0.0/16', Gateway: '10.99.0.1' }] }, Internal: false, Attachable: false,
    Ingress: false, ConfigFrom: { Network: '' }, ConfigOnly: false, Options: {}, Labels: {},
  };
}

function emptyEndpoint(): ReturnType<Engine['networks']['settings']>['networks'][string] {
  return {
    IPAMConfig: null, Links: null, Aliases: null, MacAddress: '', DriverOpts: null, NetworkID: '', EndpointID: '',
    Gateway: '', IPAddress: '', IPPrefixLen: 0, IPv6Gateway: '', GlobalIPv6Address: '', GlobalIPv6PrefixLen: 0, DNSNames: null,
  } as ReturnType<Engine['networks']['settings']>['networks'][string];
}
