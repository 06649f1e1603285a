import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * The one-time secret that lets the first visitor create the first admin: only someone
 * who can read the server's log can claim a fresh installation.
 */
export class SetupToken {
  private digest: Buffer | undefined;

  /** A new token; the previous one stops working. */
  issue(): string {
    const token = randomBytes(24).toString('base64url');
    this.digest = sha256(token);
    return token;
  }

  /** Constant-time check; hashing first makes the comparison independent of the guess's length. */
  matches(candidate: string): boolean {
    if (!this.digest) return false;
    return timingSafeEqual(this.digest, sha256(candidate));
  }

  consume(): void {
    this.digest = undefined;
  }
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}
