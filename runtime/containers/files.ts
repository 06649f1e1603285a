import { join } from 'node:path';
import { replaceFile } from '../util/atomic.ts';

/**
 * The per-container files Docker bind-mounts over the image's: /etc/hostname, /etc/hosts
 * and /etc/resolv.conf, with the lines networking decided (own address, links, --add-host,
 * name servers). They live in the container's directory, as with Docker. They are written
 * again at every start, so a crash cannot leave them stale: no need to wait for the disk.
 */
export async function writeContainerFiles(dir: string, hostname: string, net: { hosts: string[]; resolvConf: string }): Promise<void> {
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
    replaceFile(join(dir, 'hostname'), `${hostname}\n`),
    replaceFile(join(dir, 'hosts'), `${hosts.join('\n')}\n`),
    replaceFile(join(dir, 'resolv.conf'), net.resolvConf),
  ]);
}
