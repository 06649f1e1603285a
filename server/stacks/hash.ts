import { createHash } from 'node:crypto';
import type { ServiceSpec } from './model.ts';

/**
 * `com.docker.compose.config-hash`: the sha256 of the service's configuration, as compose
 * computes it without the settings that never need a new container (replicas, dependencies,
 * build instructions). JSON with sorted keys, so the order of keys in the file does not matter.
 */
export function configHash(spec: ServiceSpec): string {
  return createHash('sha256').update(canonicalJson(hashedConfig(spec))).digest('hex');
}

export function hashedConfig(spec: ServiceSpec): Partial<ServiceSpec> {
  const { depends_on: _d, build: _b, ...rest } = spec;
  return rest;
}

export function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x)}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** The top-level settings that differ between two service configurations (what a recreate is for). */
export function changedSettings(before: Partial<ServiceSpec>, after: Partial<ServiceSpec>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  return [...keys].filter((k) => canonicalJson(a[k] ?? null) !== canonicalJson(b[k] ?? null)).sort();
}
