import { join } from 'node:path';
import type { ContainerConfig, ContainerState, Engine } from '../../../runtime/index.ts';
import type * as Docker from '../../protocol/docker-api.ts';
import { hostConfigView, type HostConfigView } from './host-config-view.ts';
import { mountsView } from './mounts-view.ts';
import { networkSettingsView } from './network-view.ts';
import { healthOf, stateString } from './status.ts';

type Row = ReturnType<Engine['containers']['get']>;

const ZERO_TIME = '0001-01-01T00:00:00Z';

/** Config in dockerd's field order, with Go's `omitempty` fields left out when empty. */
export function configView(c: ContainerConfig): Docker.GoJson<Docker.ContainerConfig> {
  return {
    Hostname: c.Hostname, Domainname: c.Domainname, User: c.User,
    AttachStdin: c.AttachStdin, AttachStdout: c.AttachStdout, AttachStderr: c.AttachStderr,
    ...(c.ExposedPorts && Object.keys(c.ExposedPorts).length ? { ExposedPorts: c.ExposedPorts } : {}),
    Tty: c.Tty, OpenStdin: c.OpenStdin, StdinOnce: c.StdinOnce, Env: c.Env?.length ? c.Env : null, Cmd: c.Cmd?.length ? c.Cmd : null,
    ...(c.Healthcheck ? { Healthcheck: c.Healthcheck } : {}),
    Image: c.Image,
    Volumes: c.Volumes && Object.keys(c.Volumes).length ? c.Volumes : null,
    WorkingDir: c.WorkingDir,
    Entrypoint: c.Entrypoint?.length ? c.Entrypoint : null,
    OnBuild: null,
    Labels: c.Labels ?? {},
    ...(c.StopSignal ? { StopSignal: c.StopSignal } : {}),
    ...(c.StopTimeout !== undefined && c.StopTimeout !== null ? { StopTimeout: c.StopTimeout } : {}),
  };
}

/** Docker's State object; a restarting container counts as running, as in dockerd. */
export function stateView(s: ContainerState): Docker.GoJson<NonNullable<Docker.ContainerState>> {
  const health = healthOf(s);
  return {
    Status: stateString(s),
    Running: s.Running || s.Restarting,
    Paused: s.Paused,
    Restarting: s.Restarting,
    OOMKilled: s.OOMKilled,
    Dead: s.Dead,
    Pid: s.Pid,
    ExitCode: s.ExitCode,
    Error: s.Error,
    StartedAt: s.StartedAt || ZERO_TIME,
    FinishedAt: s.FinishedAt || ZERO_TIME,
    ...(health ? { Health: health } : {}),
  };
}

export type InspectView = Omit<Docker.GoJson<Docker.ContainerInspectResponse>, 'HostConfig'> & { HostConfig: HostConfigView };

/** The full `GET /containers/{id}/json` document. */
export async function inspectView(engine: Engine, row: Row, opts: { size?: boolean } = {}): Promise<InspectView> {
  const rec = row.record;
  const paths = safePaths(engine, row.id);
  // dockerd sets up these files (and the log) at the first start.
  const started = !!row.state.StartedAt && row.state.StartedAt !== ZERO_TIME;
  const file = (name: string): string => (started && paths ? join(paths.dir, name) : '');
  const execs = engine.containers.exec.ofContainer(row.id);
  return {
    Id: row.id,
    Created: rec.Created,
    Path: rec.Path,
    Args: rec.Args,
    State: stateView(row.state),
    Image: rec.Image,
    ResolvConfPath: file('resolv.conf'),
    HostnamePath: file('hostname'),
    HostsPath: file('hosts'),
    LogPath: started && paths ? paths.logPath : '',
    Name: `/${row.name}`,
    RestartCount: rec.RestartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: execs.length ? execs : null,
    HostConfig: hostConfigView(rec.HostConfig),
    GraphDriver: {
      Name: 'overlay2',
      Data: paths ? { LowerDir: paths.lowerDirs.join(':'), MergedDir: paths.rootfs, UpperDir: paths.upperDir, WorkDir: paths.workDir } : null,
    },
    ...(opts.size ? await sizes(engine, row) : {}),
    Mounts: mountsView(rec),
    Config: configView(rec.Config),
    NetworkSettings: networkSettingsView(engine, rec, row.state),
  };
}

/**
 * SizeRw (the writable layer) and SizeRootFs (that plus the image), as `ps -s` and `inspect -s`
 * show, from the engine's kept figures; a listing passes the figures it read for all its rows.
 */
export async function sizes(engine: Engine, row: Row, known?: Map<string, number>, imageSizes = new Map<string, number>()): Promise<{ SizeRw: number; SizeRootFs: number }> {
  const rw = known?.get(row.id) ?? (await engine.usage.sizeRw([row])).get(row.id) ?? 0;
  let imageSize = imageSizes.get(row.record.Image);
  if (imageSize === undefined) imageSizes.set(row.record.Image, (imageSize = engine.images.get(row.record.Image)?.size ?? 0));
  return { SizeRw: rw, SizeRootFs: rw + imageSize };
}

function safePaths(engine: Engine, id: string): ReturnType<Engine['containers']['paths']> | undefined {
  try {
    return engine.containers.paths(id);
  } catch {
    // Mid-removal the snapshot may already be gone; the rest of the document still stands.
    return undefined;
  }
}
