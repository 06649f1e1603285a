import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile } from '../util/atomic.ts';
import type { NetworkFiles } from '../network/types.ts';

/**
 * The per-container files Docker bind-mounts over the image's: /etc/hostname, /etc/hosts
 * and /etc/resolv.conf, with the lines networking decided (own address, links, --add-host,
 * name servers). They live in the container's directory, as with Docker, and are written
 * again at every start, so a crash cannot leave them stale: no need to wait for the disk.
 *
 * Two steps, because the task is created while the interfaces come up: the files exist
 * before (runc bind-mounts them at create), and hosts and resolv.conf get their lines after.
 */
export async function writeContainerFiles(dir: string, hostname: string): Promise<void> {
  await Promise.all([
    replaceFile(join(dir, 'hostname'), `${hostname}\n`),
    replaceFile(join(dir, 'hosts'), ''),
    replaceFile(join(dir, 'resolv.conf'), ''),
  ]);
}

/**
 * Written in place: the created task's bind mounts hold these very files (a rename would
 * leave it the empty ones). Its process has not started yet, so nothing reads them half-written.
 */
export async function writeNetworkFiles(dir: string, net: NetworkFiles): Promise<void> {
  const hosts = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
    ...net.hosts,
  ];
  await Promise.all([
    writeFile(join(dir, 'hosts'), `${hosts.join('\n')}\n`),
    writeFile(join(dir, 'resolv.conf'), net.resolvConf),
  ]);
}
