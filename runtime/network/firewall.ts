import { run } from '../util/exec.ts';

/**
 * Wharf's own filter rules, in one chain per engine (`WHARF-ISO-<stem>`) jumped to first from
 * FORWARD: bridges of different networks can't reach each other (the stem's wildcard names all
 * of this engine's bridges), an internal network's bridge has no way in or out. Nothing else is
 * touched; the chain and its jump go away with the last active network.
 */
export class Firewall {
  readonly chain: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly stem: string) {
    this.chain = `WHARF-ISO-${stem}`.slice(0, 28);
  }

  /** iptables calls one after another: the rule order of a chain is the decision. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private rules(bridge: string, internal: boolean): string[][] {
    return internal
      ? [['-i', bridge, '-o', bridge, '-j', 'RETURN'], ['-i', bridge, '-j', 'DROP'], ['-o', bridge, '-j', 'DROP']]
      : [['-i', bridge, '-o', bridge, '-j', 'RETURN'], ['-i', bridge, '-o', `${this.stem}+`, '-j', 'DROP']];
  }

  activate(bridge: string, internal: boolean): Promise<void> {
    return this.serial(async () => {
      await ipt(['-N', this.chain], true);
      for (const r of this.rules(bridge, internal)) {
        if (!(await ipt(['-C', this.chain, ...r], true))) await ipt(['-A', this.chain, ...r]);
      }
      await this.jumpFirst();
    });
  }

  /**
   * The firewall plugin inserts its CNI-FORWARD at the top of FORWARD when it first makes it;
   * isolation must be decided before that chain accepts by address, so our jump goes back on top.
   */
  ensureFirst(): Promise<void> {
    return this.serial(() => this.jumpFirst());
  }

  private async jumpFirst(): Promise<void> {
    const out = (await run('iptables', ['-w', '-S', 'FORWARD'])).stdout.split('\n');
    const jump = `-A FORWARD -j ${this.chain}`;
    if (out[1] === jump) return;
    if (out.includes(jump)) await ipt(['-D', 'FORWARD', '-j', this.chain]);
    await ipt(['-I', 'FORWARD', '1', '-j', this.chain]);
  }

  deactivate(bridge: string, internal: boolean, last: boolean): Promise<void> {
    return this.serial(async () => {
      for (const r of this.rules(bridge, internal)) await ipt(['-D', this.chain, ...r], true);
      if (!last) return;
      while (await ipt(['-D', 'FORWARD', '-j', this.chain], true)) { /* every copy */ }
      await ipt(['-F', this.chain], true);
      await ipt(['-X', this.chain], true);
    });
  }
}

async function ipt(args: string[], allowFail = false): Promise<boolean> {
  const r = await run('iptables', ['-w', ...args], { allowFail });
  return r.code === 0;
}
