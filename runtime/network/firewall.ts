import { run } from '../util/exec.ts';

/** What the firewall needs to know of a network while it has endpoints. */
export interface FirewalledNetwork {
  bridge: string;
  internal: boolean;
  /** Its IPv4 subnets. */
  subnets: string[];
  /** Traffic from the subnets leaving through another interface is masqueraded. */
  masquerade: boolean;
}

/**
 * Wharf's own rules, per network rather than per container (as dockerd does), in two chains per
 * engine named by its bridge stem: `WHARF-ISO-<stem>`, jumped to first from FORWARD, and
 * `WHARF-NAT-<stem>`, jumped to from nat POSTROUTING. Bridges of different networks can't
 * reach each other (the stem's wildcard names all of this engine's bridges); an internal
 * network's bridge has no way in or out; other networks forward their own traffic out, replies
 * and published ports (connections the portmap plugin's DNAT sent) in. Nothing else is touched;
 * the chains and their jumps go away with the last active network.
 */
export class Firewall {
  readonly chain: string;
  readonly natChain: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly stem: string) {
    this.chain = `WHARF-ISO-${stem}`.slice(0, 28);
    this.natChain = `WHARF-NAT-${stem}`.slice(0, 28);
  }

  /** iptables calls one after another: the rule order of a chain is the decision. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private rules(n: FirewalledNetwork): string[][] {
    const b = n.bridge;
    if (n.internal) return [['-i', b, '-o', b, '-j', 'ACCEPT'], ['-i', b, '-j', 'DROP'], ['-o', b, '-j', 'DROP']];
    return [
      ['-i', b, '-o', b, '-j', 'ACCEPT'],
      ['-i', b, '-o', `${this.stem}+`, '-j', 'DROP'],
      ['-o', b, '-m', 'conntrack', '--ctstate', 'RELATED,ESTABLISHED', '-j', 'ACCEPT'],
      ['-o', b, '-m', 'conntrack', '--ctstate', 'DNAT', '-j', 'ACCEPT'],
      ['-i', b, '-j', 'ACCEPT'],
    ];
  }

  private natRules(n: FirewalledNetwork): string[][] {
    if (n.internal || !n.masquerade) return [];
    return n.subnets.map((s) => ['-s', s, '!', '-o', n.bridge, '-j', 'MASQUERADE']);
  }

  activate(n: FirewalledNetwork): Promise<void> {
    return this.serial(async () => {
      await ipt(['-N', this.chain], true);
      for (const r of this.rules(n)) {
        if (!(await ipt(['-C', this.chain, ...r], true))) await ipt(['-A', this.chain, ...r]);
      }
      await this.jumpFirst();
      const nat = this.natRules(n);
      if (nat.length === 0) return;
      await ipt(['-t', 'nat', '-N', this.natChain], true);
      for (const r of nat) {
        if (!(await ipt(['-t', 'nat', '-C', this.natChain, ...r], true))) await ipt(['-t', 'nat', '-A', this.natChain, ...r]);
      }
      if (!(await ipt(['-t', 'nat', '-C', 'POSTROUTING', '-j', this.natChain], true))) await ipt(['-t', 'nat', '-A', 'POSTROUTING', '-j', this.natChain]);
    });
  }

  /** Isolation must be decided before any ACCEPT another program put in FORWARD. */
  private async jumpFirst(): Promise<void> {
    const out = (await run('iptables', ['-w', '-S', 'FORWARD'])).stdout.split('\n');
    const jump = `-A FORWARD -j ${this.chain}`;
    if (out[1] === jump) return;
    if (out.includes(jump)) await ipt(['-D', 'FORWARD', '-j', this.chain]);
    await ipt(['-I', 'FORWARD', '1', '-j', this.chain]);
  }

  deactivate(n: FirewalledNetwork, last: boolean): Promise<void> {
    return this.serial(async () => {
      for (const r of this.rules(n)) await ipt(['-D', this.chain, ...r], true);
      // Rules of the earlier, per-container layout (RETURN, then the firewall plugin's ACCEPTs).
      await ipt(['-D', this.chain, '-i', n.bridge, '-o', n.bridge, '-j', 'RETURN'], true);
      for (const r of this.natRules({ ...n, internal: false, masquerade: true })) await ipt(['-t', 'nat', '-D', this.natChain, ...r], true);
      if (!last) return;
      while (await ipt(['-D', 'FORWARD', '-j', this.chain], true)) { /* every copy */ }
      await ipt(['-F', this.chain], true);
      await ipt(['-X', this.chain], true);
      while (await ipt(['-t', 'nat', '-D', 'POSTROUTING', '-j', this.natChain], true)) { /* every copy */ }
      await ipt(['-t', 'nat', '-F', this.natChain], true);
      await ipt(['-t', 'nat', '-X', this.natChain], true);
    });
  }
}

async function ipt(args: string[], allowFail = false): Promise<boolean> {
  const r = await run('iptables', ['-w', ...args], { allowFail });
  return r.code === 0;
}
