import { hash, verify, type Options } from '@node-rs/argon2';

// OWASP's argon2id baseline (19 MiB, 2 passes); hashing runs on libuv's thread pool, off the event loop.
// `algorithm: 2` is Algorithm.Argon2id, a const enum that isolated modules cannot read.
const OPTIONS: Options = { algorithm: 2 as Options['algorithm'], memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** A hash of no one's password, verified against when the user does not exist so both paths cost the same. */
let decoy: Promise<string> | undefined;

/** True when `password` matches `phc`; a missing user (`phc` undefined) still spends the time of a check. */
export async function verifyPassword(phc: string | undefined, password: string): Promise<boolean> {
  if (phc === undefined) {
    decoy ??= hashPassword('wharf-decoy-password');
    await verify(await decoy, password).catch(() => false);
    return false;
  }
  try {
    return await verify(phc, password);
  } catch {
    // A malformed stored hash is a mismatch, never a crash of the login route.
    return false;
  }
}
