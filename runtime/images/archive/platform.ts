import type { Platform } from '../oci-types.ts';

// Node's process.arch names → GOARCH names, which OCI platforms use.
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  arm64: 'arm64',
  arm: 'arm',
  ia32: '386',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
};

/** The OCI platform of this host, e.g. `{ os: 'linux', architecture: 'amd64' }`. */
export function hostPlatform(): Platform {
  return { os: 'linux', architecture: GOARCH[process.arch] ?? process.arch };
}

/** Whether a descriptor's platform can run on `want` (variant is compared only when both name one). */
export function platformMatches(p: Platform | undefined, want: Platform): boolean {
  if (!p) return false;
  if (p.os !== want.os || p.architecture !== want.architecture) return false;
  return !p.variant || !want.variant || p.variant === want.variant;
}

/** Attestations and other non-runnable entries in an index carry `unknown/unknown`. */
export function isUnknownPlatform(p: Platform | undefined): boolean {
  return p?.os === 'unknown' && p.architecture === 'unknown';
}
