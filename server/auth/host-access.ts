/**
 * What an operator may not put in a container: anything that reaches the host around the
 * container's isolation. Checked on the parsed JSON body; keys are matched without regard
 * to case, because dockerd's JSON decoder ignores case too.
 */

export interface Refusal { field: string; message: string }

type Json = Record<string, unknown>;

/** Named volume sources; anything else in a bind spec (absolute, relative or `~` paths) is a host path. */
const VOLUME_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const NAMESPACE_MODES = ['NetworkMode', 'PidMode', 'IpcMode', 'UTSMode', 'UsernsMode', 'CgroupnsMode'] as const;
const NON_EMPTY_LISTS: ReadonlyArray<[string, string]> = [
  ['Devices', 'host devices'],
  ['DeviceCgroupRules', 'device cgroup rules'],
  ['DeviceRequests', 'device requests'],
  ['CapAdd', 'added capabilities'],
  ['SecurityOpt', 'security options'],
  // Another container's mounts may include its binds of host paths.
  ['VolumesFrom', "other containers' mounts"],
];

/** Every value of `obj` under `key`, compared without case, with the path of each. */
function values(obj: unknown, key: string): unknown[] {
  if (!obj || typeof obj !== 'object' || Array.isArray(obj)) return [];
  const lower = key.toLowerCase();
  return Object.entries(obj as Json).filter(([k]) => k.toLowerCase() === lower).map(([, v]) => v);
}

const refuse = (field: string, what: string): Refusal => ({ field, message: `operators cannot use ${what} (${field})` });

/** The first host-reaching setting of a HostConfig-shaped object, named under `prefix`. */
export function hostConfigRefusal(hostConfig: unknown, prefix: string): Refusal | undefined {
  for (const privileged of values(hostConfig, 'Privileged')) if (privileged) return refuse(`${prefix}Privileged`, 'privileged mode');
  for (const binds of values(hostConfig, 'Binds')) {
    if (!Array.isArray(binds)) continue;
    for (const [i, bind] of binds.entries()) {
      const parts = String(bind).split(':');
      if (parts.length > 1 && !VOLUME_NAME.test(parts[0]!)) return refuse(`${prefix}Binds[${i}]`, 'bind mounts');
    }
  }
  for (const mounts of values(hostConfig, 'Mounts')) {
    if (!Array.isArray(mounts)) continue;
    for (const [i, mount] of mounts.entries()) {
      const type = String(values(mount, 'Type')[0] ?? '').toLowerCase();
      if (type !== 'volume' && type !== 'tmpfs') return refuse(`${prefix}Mounts[${i}]`, 'bind mounts');
      // A volume's source is a volume name; a path there would be a bind mount by another name.
      const source = values(mount, 'Source').find((v) => v !== undefined && v !== null && v !== '');
      if (type === 'volume' && source !== undefined && !VOLUME_NAME.test(String(source))) return refuse(`${prefix}Mounts[${i}].Source`, 'bind mounts');
      // The local volume driver's options (`o=bind,device=/path`) are a bind mount under another name.
      for (const opts of values(mount, 'VolumeOptions')) {
        if (values(opts, 'DriverConfig').some((d) => d)) return refuse(`${prefix}Mounts[${i}].VolumeOptions.DriverConfig`, 'volume driver options');
      }
    }
  }
  for (const mode of NAMESPACE_MODES) {
    for (const value of values(hostConfig, mode)) {
      if (String(value).toLowerCase() === 'host') return refuse(`${prefix}${mode}`, `the host's namespaces`);
    }
  }
  for (const [key, what] of NON_EMPTY_LISTS) {
    for (const value of values(hostConfig, key)) if (Array.isArray(value) && value.length > 0) return refuse(`${prefix}${key}`, what);
  }
  for (const value of values(hostConfig, 'CgroupParent')) if (value) return refuse(`${prefix}CgroupParent`, 'a cgroup parent');
  // Emptying these unmasks /proc and /sys paths that the defaults hide from containers.
  for (const key of ['MaskedPaths', 'ReadonlyPaths']) {
    for (const value of values(hostConfig, key)) if (Array.isArray(value)) return refuse(`${prefix}${key}`, 'custom masked or read-only paths');
  }
  return undefined;
}

/** POST /containers/create. */
export function createBodyRefusal(body: unknown): Refusal | undefined {
  for (const hostConfig of values(body, 'HostConfig')) {
    const refusal = hostConfigRefusal(hostConfig, 'HostConfig.');
    if (refusal) return refusal;
  }
  for (const networking of values(body, 'NetworkingConfig')) {
    for (const endpoints of values(networking, 'EndpointsConfig')) {
      if (endpoints && typeof endpoints === 'object' && Object.keys(endpoints).some((name) => name.toLowerCase() === 'host')) {
        return refuse('NetworkingConfig.EndpointsConfig.host', `the host's namespaces`);
      }
    }
  }
  return undefined;
}

/** POST /containers/{id}/update: the resources sit at the top level of the body. */
export function updateBodyRefusal(body: unknown): Refusal | undefined {
  return hostConfigRefusal(body, '') ?? values(body, 'HostConfig').map((h) => hostConfigRefusal(h, 'HostConfig.')).find(Boolean);
}

/** POST /containers/{id}/exec. */
export function execBodyRefusal(body: unknown): Refusal | undefined {
  for (const privileged of values(body, 'Privileged')) if (privileged) return refuse('Privileged', 'privileged mode');
  return undefined;
}

/** POST /volumes/create: `device` names a host path or block device for the local driver. */
export function volumeBodyRefusal(body: unknown): Refusal | undefined {
  for (const opts of values(body, 'DriverOpts')) {
    if (opts && typeof opts === 'object' && Object.keys(opts).length > 0) return refuse('DriverOpts', 'volume driver options');
  }
  return undefined;
}

/** POST /networks/create: these drivers attach containers to the host's interfaces. */
export function networkBodyRefusal(body: unknown): Refusal | undefined {
  for (const driver of values(body, 'Driver')) {
    if (['host', 'macvlan', 'ipvlan'].includes(String(driver).toLowerCase())) return refuse('Driver', `the ${String(driver)} network driver`);
  }
  return undefined;
}
