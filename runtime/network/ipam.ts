import { InvalidArgumentError } from '../errors.ts';
import { NetworkForbiddenError } from './errors.ts';
import { contains, firstHost, formatAddr, formatPrefix, isMasked, masked, overlaps, parseAddr, parsePrefix, type Prefix } from './ip.ts';
import type { IPAMConfig } from './types.ts';

/**
 * Check IPAM configs as Docker's ValidateIPAM does, collecting every problem into one message
 * (`invalid network config:` then one `* …` line each). IPv6 configs are checked only with IPv6 on.
 */
export function validateIPAM(configs: readonly IPAMConfig[], enableIPv6: boolean): void {
  const errs: string[] = [];
  for (const cfg of configs) {
    const subnet = parsePrefix(cfg.Subnet ?? '');
    if (!subnet) {
      errs.push(`invalid subnet ${cfg.Subnet ?? ''}: invalid CIDR block notation`);
      continue;
    }
    if (subnet.addr.family === 6 && !enableIPv6) continue;
    if (!isMasked(subnet)) errs.push(`invalid subnet ${cfg.Subnet}: it should be ${formatPrefix(masked(subnet))}`);
    if (cfg.IPRange) errs.push(...ipRangeErrors(cfg.IPRange, subnet));
    const gw = addressError(cfg.Gateway, subnet);
    if (gw) errs.push(`invalid gateway ${cfg.Gateway}: ${gw}`);
    for (const [name, aux] of Object.entries(cfg.AuxiliaryAddresses ?? {})) {
      const e = addressError(aux, subnet);
      if (e) errs.push(`invalid auxiliary address ${name}: ${e}`);
    }
  }
  if (errs.length === 0) return;
  const joined = errs.length === 1 ? errs[0]! : `* ${errs.join('\n* ')}`;
  throw new InvalidArgumentError(`invalid network config:\n${joined}`);
}

function family(p: Prefix): string {
  return p.addr.family === 4 ? 'IPv4' : 'IPv6';
}

function ipRangeErrors(ipRange: string, subnet: Prefix): string[] {
  const range = parsePrefix(ipRange);
  if (!range) return [`invalid ip-range ${ipRange}: invalid CIDR block notation`];
  if (range.addr.family !== subnet.addr.family) return [`invalid ip-range ${ipRange}: parent subnet is an ${family(subnet)} block`];
  const errs: string[] = [];
  if (range.bits < subnet.bits) errs.push(`invalid ip-range ${ipRange}: CIDR block is bigger than its parent subnet ${formatPrefix(subnet)}`);
  if (!isMasked(range)) errs.push(`invalid ip-range ${ipRange}: it should be ${formatPrefix(masked(range))}`);
  if (!overlaps(subnet, range)) errs.push(`invalid ip-range ${ipRange}: parent subnet ${formatPrefix(subnet)} doesn't contain ip-range`);
  return errs;
}

function addressError(address: string | undefined, subnet: Prefix): string | undefined {
  if (!address) return undefined;
  const a = parseAddr(address);
  if (!a) return 'invalid address';
  if (a.family !== subnet.addr.family) return `parent subnet is an ${family(subnet)} block`;
  if (!contains(subnet, a)) return `parent subnet ${formatPrefix(subnet)} doesn't contain this address`;
  return undefined;
}

/** Refuse a subnet that overlaps one already in use, as Docker's default IPAM does (403). */
export function checkOverlaps(configs: readonly IPAMConfig[], taken: readonly Prefix[]): void {
  for (const cfg of configs) {
    const p = parsePrefix(cfg.Subnet ?? '');
    if (p && taken.some((t) => overlaps(t, p))) {
      throw new NetworkForbiddenError(`invalid pool request: Pool overlaps with other one on this address space (subnet ${cfg.Subnet})`);
    }
  }
}

/**
 * Docker's default address pools: 172.17-31.0.0/16, then 192.168.0.0/16 in /20s; without
 * 172.17.0.0/16, which is docker0's on a host that also runs Docker.
 */
function* defaultPools(): Generator<Prefix> {
  for (let i = 18; i <= 31; i++) yield parsePrefix(`172.${i}.0.0/16`)!;
  for (let i = 0; i < 256; i += 16) yield parsePrefix(`192.168.${i}.0/20`)!;
}

/** The first default pool free of every taken subnet, with its gateway; undefined when all are used. */
export function allocateSubnet(taken: readonly Prefix[]): IPAMConfig | undefined {
  for (const p of defaultPools()) {
    if (!taken.some((t) => overlaps(t, p))) return { Subnet: formatPrefix(p), Gateway: formatAddr(firstHost(p)) };
  }
  return undefined;
}

export function subnetsOf(configs: readonly IPAMConfig[]): Prefix[] {
  return configs.map((c) => parsePrefix(c.Subnet ?? '')).filter((p): p is Prefix => p !== undefined);
}
