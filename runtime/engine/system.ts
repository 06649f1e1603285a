import { cpus, hostname, release, totalmem } from 'node:os';
import { readFile } from 'node:fs/promises';
import type { ContainerService } from '../containers/service.ts';
import type { ImageStore } from '../images/store.ts';
import type { EngineConfig } from '../config.ts';
import { goArch } from '../images/seed-busybox.ts';

export const WHARF_VERSION = '0.1.0';
export const API_VERSION = '1.47';
export const MIN_API_VERSION = '1.24';

export interface SystemInfo {
  ID: string;
  Name: string;
  ServerVersion: string;
  OperatingSystem: string;
  OSType: string;
  Architecture: string;
  KernelVersion: string;
  NCPU: number;
  MemTotal: number;
  Containers: number;
  ContainersRunning: number;
  ContainersPaused: number;
  ContainersStopped: number;
  Images: number;
  CgroupVersion: string;
  CgroupDriver: string;
  DockerRootDir: string;
  Driver: string;
}

export interface SystemVersion { Version: string; ApiVersion: string; MinAPIVersion: string; Os: string; Arch: string; KernelVersion: string; GitCommit: string; GoVersion: string; BuildTime: string }

/** Engine-wide facts: what `docker info`/`version` and the dashboard's home page show. */
export class SystemService {
  private osName?: string;

  constructor(private readonly config: EngineConfig, private readonly engineId: string, private readonly containers: ContainerService, private readonly images: ImageStore) {}

  async info(): Promise<SystemInfo> {
    const all = this.containers.list();
    const running = all.filter((c) => c.state.Running && !c.state.Paused).length;
    const paused = all.filter((c) => c.state.Paused).length;
    return {
      ID: this.engineId,
      Name: hostname(),
      ServerVersion: WHARF_VERSION,
      OperatingSystem: await this.operatingSystem(),
      OSType: 'linux',
      Architecture: archName(),
      KernelVersion: release(),
      NCPU: cpus().length,
      MemTotal: totalmem(),
      Containers: all.length,
      ContainersRunning: running,
      ContainersPaused: paused,
      ContainersStopped: all.length - running - paused,
      Images: this.images.all().length,
      CgroupVersion: await cgroupVersion(),
      CgroupDriver: 'cgroupfs',
      DockerRootDir: this.config.root,
      Driver: 'overlay2',
    };
  }

  version(): SystemVersion {
    return { Version: WHARF_VERSION, ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, Os: 'linux', Arch: goArch(), KernelVersion: release(), GitCommit: 'wharf', GoVersion: `node${process.versions.node}`, BuildTime: '' };
  }

  private async operatingSystem(): Promise<string> {
    if (this.osName) return this.osName;
    try {
      const text = await readFile('/etc/os-release', 'utf8');
      this.osName = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(text)?.[1] ?? 'Linux';
    } catch { this.osName = 'Linux'; }
    return this.osName;
  }
}

/** v2 only when /sys/fs/cgroup itself is cgroup2; a hybrid host (v1 controllers) reports 1. */
async function cgroupVersion(): Promise<string> {
  try {
    await readFile('/sys/fs/cgroup/cgroup.controllers');
    return '2';
  } catch {
    return '1';
  }
}

function archName(): string {
  return ({ x64: 'x86_64', arm64: 'aarch64' } as Record<string, string>)[process.arch] ?? process.arch;
}
