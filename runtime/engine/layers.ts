/** pull.ts names the unpacker by this path until pulling moves into runtime/registry/. */
export type { LayerUnpacker } from '../diff/unpacker.ts';
