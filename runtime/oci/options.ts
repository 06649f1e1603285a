/**
 * Pure option functions `(spec) => void`, each small, composed over defaultSpec() by buildSpec.
 * Grouped by the part of the spec they edit; this module is the one place to import them from.
 */
export * from './mounts.ts';
export * from './namespaces.ts';
export * from './process.ts';
export * from './resources.ts';
export * from './security.ts';
export { applyOpts, buildSpec, type SpecOptions } from './spec.ts';
