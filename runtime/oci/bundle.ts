import { join } from 'node:path';
import { replaceFile } from '../util/atomic.ts';
import type { Spec } from './types.ts';

/** RLIM_INFINITY as the uint64 runc parses; a JS number cannot hold it exactly. */
const RLIM_INFINITY = '18446744073709551615';
const MARK = '\u0000rlim-infinity\u0000';

/** config.json text; rlimits of -1 become RLIM_INFINITY. */
export function serializeSpec(spec: Spec): string {
  const json = JSON.stringify(spec, function (this: unknown, key, value: unknown) {
    const inRlimit = (key === 'soft' || key === 'hard') && typeof this === 'object' && this !== null && 'type' in this;
    return inRlimit && value === -1 ? MARK : value;
  }, 2);
  return json.replaceAll(JSON.stringify(MARK), RLIM_INFINITY);
}

/**
 * Write bundle/config.json atomically, so runc never reads a torn spec. It is written for every
 * start (and removed at teardown), so it need not wait for the disk.
 */
export async function writeSpec(bundle: string, spec: Spec): Promise<string> {
  const path = join(bundle, 'config.json');
  await replaceFile(path, serializeSpec(spec), 0o600);
  return path;
}
