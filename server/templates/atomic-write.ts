import { open, rename } from 'node:fs/promises';
import path from 'node:path';

/**
 * Replaces a small file so that a crash (even SIGKILL or power loss) leaves the old content
 * or the new one: a temporary file is written and flushed, renamed over, and the directory flushed.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(tmp, file);
  const dir = await open(path.dirname(file), 'r');
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
