/** Address checks for the forms, so a bad address is refused at its field before anything is sent. */

/** An IPv4 address as a number, or undefined when it is not one (no leading zeros, each part ≤ 255). */
export function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function isIPv6(text: string): boolean {
  if (!/^[\da-fA-F:.]+$/.test(text) || text.split('::').length > 2) return false;
  let groups = text.split(':');
  const last = groups[groups.length - 1] ?? '';
  let extra = 0;
  if (last.includes('.')) {
    if (ipv4(last) === undefined) return false;
    groups = groups.slice(0, -1);
    extra = 2;
  }
  const compressed = text.includes('::');
  const filled = groups.filter((g) => g !== '');
  if (!filled.every((g) => /^[\da-fA-F]{1,4}$/.test(g))) return false;
  // Empty groups are only those of the `::` itself (one, or two at either end).
  const empties = groups.length - filled.length;
  if (!compressed && empties > 0) return false;
  if (compressed && empties > (text === '::' ? 3 : text.startsWith('::') || text.endsWith('::') ? 2 : 1)) return false;
  const total = filled.length + extra;
  return compressed ? total < 8 : total === 8;
}

export const isIP = (text: string): boolean => ipv4(text) !== undefined || isIPv6(text);

export function isCidr(text: string): boolean {
  const [address = '', bits = '', rest] = text.split('/');
  if (rest !== undefined || !/^\d{1,3}$/.test(bits)) return false;
  return ipv4(address) !== undefined ? Number(bits) <= 32 : isIPv6(address) && Number(bits) <= 128;
}

/** Whether an IPv4 address lies in an IPv4 subnet; for IPv6, only that both are IPv6 (the engine checks the rest). */
export function inSubnet(ip: string, cidr: string): boolean {
  const [address = '', bits = '0'] = cidr.split('/');
  const a = ipv4(ip);
  const net = ipv4(address);
  if (a === undefined || net === undefined) return isIPv6(ip) && isIPv6(address);
  const size = 2 ** (32 - Number(bits));
  return Math.floor(a / size) === Math.floor(net / size);
}
