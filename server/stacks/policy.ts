import path from 'node:path';
import { PermissionDeniedError } from '../../runtime/index.ts';
import { createBodyRefusal } from '../auth/host-access.ts';
import type { Role } from '../protocol/index.ts';
import type { CreateBody } from './create-body.ts';

/**
 * The one check a stack's containers pass before anything is created: an operator may put
 * in a stack only what the Docker API lets an operator create (no bind mounts, privileged
 * mode or host namespaces). It asks the same rules as the Docker API's create, so both
 * ways into the engine refuse the same things.
 */
export function checkStackContainer(role: Role, service: string, body: CreateBody, build?: { context: string; stackDir: string }): void {
  if (role === 'admin') return;
  // A build context is sent whole to the engine: outside the stack's folder it would read host files.
  if (build && path.relative(build.stackDir, build.context).startsWith('..')) throw new PermissionDeniedError(`services.${service}.build.context: operators may build only from inside the stack's folder`);
  const refusal = createBodyRefusal(body as unknown as Record<string, unknown>);
  if (refusal) throw new PermissionDeniedError(`services.${service}: ${refusal.message}`);
}

/** Read-only users see stacks; only operators and admins change them (as with the Docker API's verbs). */
export function checkStackChange(role: Role): void {
  if (role === 'readonly') throw new PermissionDeniedError('read-only users cannot change stacks');
}
