import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a number, so that masking and containment are plain arithmetic. */
export interface Addr { family: 4 | 6; value: bigint }
export interface Prefix { addr: Addr; bits: number }

const width = (family: 4 | 6): number => (family === 4 ? 32 : 128);

export function parseAddr(s: string): Addr | undefined {
  if (isIPv4(s)) return { family: 4, value: v4(s) };
  if (!isIPv6(s) || s.includes('%')) return undefined;
  return { family: 6, value: v6(s) };
}

/** `a.b.c.d/n` or `x::/n`; undefined when it is not CIDR notation. */
export function parsePrefix(s: string): Prefix | undefined {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const addr = parseAddr(m[1]!);
  const bits = Number(m[2]);
  if (!addr || bits > width(addr.family)) return undefined;
  return { addr, bits };
}

function mask(family: 4 | 6, bits: number): bigint {
  const w = BigInt(width(family));
  return ((1n << w) - 1n) ^ ((1n << (w - BigInt(bits))) - 1n);
}

export function masked(p: Prefix): Prefix {
  return { addr: { family: p.addr.family, value: p.addr.value & mask(p.addr.family, p.bits) }, bits: p.bits };
}

export function isMasked(p: Prefix): boolean {
  return masked(p).addr.value === p.addr.value;
}

export function contains(p: Prefix, a: Addr): boolean {
  return p.addr.family === a.family && (a.value & mask(a.family, p.bits)) === masked(p).addr.value;
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  if (a.addr.family !== b.addr.family) return false;
  const bits = Math.min(a.bits, b.bits);
  const m = mask(a.addr.family, bits);
  return (a.addr.value & m) === (b.addr.value & m);
}

export function formatAddr(a: Addr): string {
  if (a.family === 4) return [24n, 16n, 8n, 0n].map((s) => String((a.value >> s) & 255n)).join('.');
  const groups = Array.from({ length: 8 }, (_, i) => Number((a.value >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of zero groups becomes `::` (RFC 5952).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { best = i; bestLen = j - i; }
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

export function formatPrefix(p: Prefix): string {
  return `${formatAddr(p.addr)}/${p.bits}`;
}

/** The first address after the network address: Docker's default gateway. */
export function firstHost(p: Prefix): Addr {
  return { family: p.addr.family, value: masked(p).addr.value + 1n };
}

function v4(s: string): bigint {
  return s.split('.').reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function v6(s: string): bigint {
  let text = s;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const n = v4(dotted[1]!);
    text = `${text.slice(0, dotted.index)}${(n >> 16n).toString(16)}:${(n & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t];
  return groups.reduce((n, g) => (n << 16n) | BigInt(Number.parseInt(g, 16)), 0n);
}
