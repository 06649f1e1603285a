/**
 * The "Under the hood" view of a container as `GET /api/environments/:id/containers/:cid/kernel`
 * sends it. The server assigns the engine's KernelView to this type, so the compiler keeps both
 * in step. Every string here comes from the kernel or the container: the UI shows it as text.
 */
export type KernelPart<T> = { ok: true; value: T } | { ok: false; error: string };

export interface KernelNamespace {
  type: 'pid' | 'net' | 'ipc' | 'uts' | 'mnt' | 'cgroup' | 'user';
  inode: number | null;
  sharedWith: 'host' | 'own' | { container: string; id: string };
}

export interface KernelInterface { ifname: string; ifindex: number; mac: string; mtu: number; state: string; peerIfindex: number | null; addresses: string[] }

export interface KernelVeth { inside: string; insideIfindex: number; hostName: string | null; hostIfindex: number; bridge: string | null; bridgeAddresses: string[] }

export interface KernelCgroup {
  version: 1 | 2;
  paths: Record<string, string>;
  limits: { memory: number | null; memorySwap: number | null; memoryReservation: number | null; cpus: number | null; cpuShares: number | null; cpuset: string; pids: number | null };
  usage: { memory: number | null; memoryPeak: number | null; cpuNanos: number | null; pids: number | null };
  files: { controller: string; file: string; value: string }[];
}

export interface KernelOverlayLayer { dir: string; chainID: string; diffID: string | null; createdBy: string | null; size: number }

export interface KernelOverlay { lowerDirs: KernelOverlayLayer[]; upperDir: string; workDir: string; writeBytes: number; mountinfo: string | null }

export interface KernelViewBody {
  id: string;
  name: string;
  running: boolean;
  pid: number;
  networkMode: string;
  namespaces: KernelPart<KernelNamespace[]> | null;
  network: KernelPart<{ interfaces: KernelInterface[]; veths: KernelVeth[] }> | null;
  nat: KernelPart<string[]> | null;
  cgroup: KernelPart<KernelCgroup> | null;
  overlay: KernelPart<KernelOverlay>;
  spec: KernelPart<unknown> | null;
  mounts: { Type: string; Name?: string; Source: string; Destination: string; Mode: string; RW: boolean; Propagation: string }[];
}
