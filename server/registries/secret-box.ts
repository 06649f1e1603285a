import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, open, readFile } from 'node:fs/promises';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets kept at rest (registry passwords). The key lives in its own file,
 * mode 0600, created at first start: the database alone does not reveal the secrets.
 * A sealed value is `iv | tag | ciphertext`; tampering fails authentication on open.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static async fromKeyFile(path: string): Promise<SecretBox> {
    try {
      const fh = await open(path, 'wx', 0o600);
      try {
        await fh.writeFile(randomBytes(KEY_BYTES));
        await fh.sync();
      } finally {
        await fh.close();
      }
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    await chmod(path, 0o600);
    const key = await readFile(path);
    if (key.length !== KEY_BYTES) throw new Error(`${path}: expected a ${KEY_BYTES}-byte key, found ${key.length} bytes`);
    return new SecretBox(key);
  }

  seal(plain: string, associated: string): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associated));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  /** `associated` binds the secret to its record, so a ciphertext moved to another row does not open. */
  open(sealed: Buffer, associated: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(associated));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
  }
}
