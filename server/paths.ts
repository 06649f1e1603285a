import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The repository root, found alike from the sources (`server/paths.ts`) and from the bundle
 * (`dist/server.mjs`, see scripts/build-server.ts): both sit one directory below it. Files
 * that ship beside the code (the built-in templates, Next's build) are found from here, never
 * relative to the module that reads them, which the bundle moves.
 */
export const repoRoot = fileURLToPath(new URL('..', import.meta.url));

export const BUILTIN_TEMPLATES = path.join(repoRoot, 'server', 'templates', 'builtin.json');
export const BUILTIN_STACKS = path.join(repoRoot, 'server', 'templates', 'stacks');
