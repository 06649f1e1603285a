import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomic.ts';

/**
 * The per-container files Docker bind-mounts over the image's: /etc/hostname, /etc/hosts
 * and /etc/resolv.conf. They live in the container's directory so edits made inside the
 * container survive restarts, as with Docker.
 */
export async function writeContainerFiles(dir: string, hostname: string, opts: { extraHosts?: string[]; dns?: string[]; ip?: string; hostNetwork?: boolean }): Promise<void> {
  await writeFileAtomic(join(dir, 'hostname'), `${hostname}\n`);
  const hosts = [
    '127.0.0.1\tlocalhost',
    '::1\tlocalhost ip6-localhost ip6-loopback',
    'fe00::0\tip6-localnet',
    'ff00::0\tip6-mcastprefix',
    'ff02::1\tip6-allnodes',
    'ff02::2\tip6-allrouters',
  ];
  for (const h of opts.extraHosts ?? []) {
    const i = h.indexOf(':');
    if (i > 0) hosts.push(`${h.slice(i + 1)}\t${h.slice(0, i)}`);
  }
  if (opts.ip) hosts.push(`${opts.ip}\t${hostname}`);
  await writeFileAtomic(join(dir, 'hosts'), `${hosts.join('\n')}\n`);
  await writeFileAtomic(join(dir, 'resolv.conf'), await resolvConf(opts.dns, opts.hostNetwork ?? false));
}

/** The host's resolv.conf without loopback resolvers, which a container can't reach. */
async function resolvConf(dns: string[] | undefined, hostNetwork: boolean): Promise<string> {
  let host = '';
  try { host = await readFile('/etc/resolv.conf', 'utf8'); } catch { /* none */ }
  const lines = host.split('\n').filter((l) => {
    const m = /^\s*nameserver\s+(\S+)/.exec(l);
    return !m || hostNetwork || !/^(127\.|::1$)/.test(m[1]!);
  });
  if (dns?.length) {
    const rest = lines.filter((l) => !/^\s*nameserver\s/.test(l));
    return `${[...dns.map((d) => `nameserver ${d}`), ...rest].join('\n').trim()}\n`;
  }
  return `${lines.join('\n').trim()}\n`;
}
