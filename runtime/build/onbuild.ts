import { InvalidArgumentError } from '../errors.ts';
import type { ContainerConfig } from '../images/oci-types.ts';
import { parseDockerfile, type Instruction } from './dockerfile.ts';

const FORBIDDEN = new Set(['ONBUILD', 'FROM', 'MAINTAINER']);

/** Check an `ONBUILD` instruction's trigger when it is written, as Docker does. */
export function checkTrigger(args: string): void {
  const keyword = args.trim().split(/\s+/)[0]?.toUpperCase() ?? '';
  if (!keyword) throw new InvalidArgumentError('ONBUILD requires at least one argument');
  if (keyword === 'ONBUILD') throw new InvalidArgumentError('Chaining ONBUILD via `ONBUILD ONBUILD` isn\'t allowed');
  if (FORBIDDEN.has(keyword)) throw new InvalidArgumentError(`${keyword} isn't allowed as an ONBUILD trigger`);
}

/**
 * The base image's ONBUILD triggers (its config's `OnBuild`), as instructions to run right after
 * FROM. The image built from them does not inherit them: the caller clears `OnBuild`.
 */
export function onBuildTriggers(config: ContainerConfig): Instruction[] {
  const out: Instruction[] = [];
  for (const t of config.OnBuild ?? []) {
    checkTrigger(t);
    out.push(...parseDockerfile(t));
  }
  return out;
}
