/**
 * netavark (podman's network backend) leaves its chains and the jumps to them in place after
 * the last container is gone. Called only when the host had none before the bench started,
 * so nothing of another podman on the host is touched.
 */
import { run } from '../../runtime/util/exec.ts';

export async function removeNetavarkChains(): Promise<void> {
  for (const table of ['filter', 'nat']) {
    const rules = (await run('iptables-save', ['-t', table])).stdout.split('\n');
    for (const rule of rules.filter((r) => r.startsWith('-A ') && / -j NETAVARK/.test(r))) {
      // iptables-save quotes comments; split the way a shell would.
      const args = rule.slice(3).match(/"[^"]*"|\S+/g)!.map((a) => a.replace(/^"(.*)"$/, '$1'));
      await run('iptables', ['-t', table, '-D', ...args], { allowFail: true });
    }
    const chains = rules.filter((r) => r.startsWith(':NETAVARK')).map((r) => r.slice(1).split(' ')[0]!);
    for (const chain of chains) await run('iptables', ['-t', table, '-F', chain], { allowFail: true });
    for (const chain of chains) await run('iptables', ['-t', table, '-X', chain], { allowFail: true });
  }
}
