/**
 * Private configuration for a `podman system service`: its own network directory with its
 * own default network (a bridge named here, never the host's `podman0`), and the bench's
 * registry allowed over plain HTTP. Nothing under /etc is read or written.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uniqueSubnet } from '../../test/helpers/engine.ts';

export interface PodmanConfig { containersConf: string; registriesConf: string; bridge: string }

/** The hard limits of this process: podman would ask for more, which only CAP_SYS_RESOURCE may. */
async function hardLimits(): Promise<{ nofile: number; nproc: number }> {
  const limits = await readFile('/proc/self/limits', 'utf8');
  const hard = (name: string, fallback: number) => {
    const m = new RegExp(`^${name}\\s+\\S+\\s+(\\d+)`, 'm').exec(limits);
    return m ? Number(m[1]) : fallback;
  };
  // conmon runs runc with a lower NPROC hard limit than ours; 32768 fits under it.
  return { nofile: hard('Max open files', 1024), nproc: Math.min(hard('Max processes', 32768), 32768) };
}

export async function writePodmanConfig(dir: string, registry: string): Promise<PodmanConfig> {
  const netDir = join(dir, 'networks');
  await mkdir(netDir, { recursive: true });
  const bridge = `wpb${randomBytes(3).toString('hex')}`;
  const subnet = uniqueSubnet();
  const gateway = subnet.replace(/0\/24$/, '1');
  // A file named after the default network replaces podman's built-in one (and its podman0).
  await writeFile(join(netDir, 'podman.json'), JSON.stringify({
    name: 'podman', id: randomBytes(32).toString('hex'), driver: 'bridge', network_interface: bridge,
    created: new Date().toISOString(), subnets: [{ subnet, gateway }], ipv6_enabled: false, internal: false,
    dns_enabled: false, ipam_options: { driver: 'host-local' },
  }, null, 2));
  const limits = await hardLimits();
  const containersConf = join(dir, 'containers.conf');
  // runc, as Wharf and dockerd run it: podman prefers crun where it is installed, and Debian's
  // crun refuses a cgroup v1 host whose v2 mount has a controller (a hybrid host).
  await writeFile(containersConf, [
    '[containers]', `default_ulimits = ["nofile=${limits.nofile}:${limits.nofile}", "nproc=${limits.nproc}:${limits.nproc}"]`,
    '[engine]', 'events_logger = "file"', 'cgroup_manager = "cgroupfs"', 'runtime = "runc"',
    '[network]', 'network_backend = "netavark"', `network_config_dir = "${netDir}"`, 'default_network = "podman"', '',
  ].join('\n'));
  const registriesConf = join(dir, 'registries.conf');
  await writeFile(registriesConf, `unqualified-search-registries = []\n[[registry]]\nlocation = "${registry}"\ninsecure = true\n`);
  return { containersConf, registriesConf, bridge };
}
