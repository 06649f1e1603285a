import path from 'node:path';
import { PermissionDeniedError } from '../../runtime/index.ts';
import { parseCreateBody } from '../docker-api/containers/create-body.ts';
import type { RequestPolicy } from '../policy/index.ts';
import type { Role } from '../protocol/index.ts';
import type { CreateBody } from './create-body.ts';

/** Who asks for a stack change, and the role policy bound to them on the local environment. */
export interface StackCaller { role: Role; policy: RequestPolicy }

/** The policy's refusal, said of the service that asked for the field. */
async function asService(service: string, check: Promise<void>): Promise<void> {
  try {
    await check;
  } catch (err) {
    if (err instanceof PermissionDeniedError) throw new PermissionDeniedError(`services.${service}: ${err.message}`, { field: err.field });
    throw err;
  }
}

/**
 * The check a stack's containers pass before anything is created. The create body is parsed by
 * the Docker API's own create parser, the one the engine runs on it, and the parsed options go to
 * the same role policy as a create through the dashboard: both ways into the engine refuse the
 * same things, decided on what the engine will execute.
 */
export async function checkStackContainer(caller: StackCaller, service: string, body: CreateBody, build?: { context: string; stackDir: string }): Promise<void> {
  if (caller.role === 'admin') return;
  // A build context is sent whole to the engine: outside the stack's folder it would read host files.
  if (build && path.relative(build.stackDir, build.context).startsWith('..')) throw new PermissionDeniedError(`services.${service}.build.context: operators may build only from inside the stack's folder`);
  const parsed = parseCreateBody(body);
  await asService(service, caller.policy.check({ kind: 'container.create', hostConfig: parsed.hostConfig, networks: Object.keys(parsed.endpoints) }));
}

/** A stack's own network: no driver that reaches the host's interfaces for non-administrators. */
export async function checkStackNetwork(caller: StackCaller, key: string, driver: string): Promise<void> {
  if (caller.role === 'admin') return;
  await asService(`networks.${key}`, caller.policy.check({ kind: 'network.create', driver, options: {} }));
}

/** Read-only users see stacks; only operators and admins change them (as with the Docker API's verbs). */
export function checkStackChange(role: Role): void {
  if (role === 'readonly') throw new PermissionDeniedError('read-only users cannot change stacks');
}
