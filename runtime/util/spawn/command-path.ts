import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { join } from 'node:path';

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * A command name's executable, looked up in the PATH of the process's own environment (as
 * execvp does for child_process). Found paths are kept: a start costs no lookup.
 */
export class CommandPath {
  private readonly found = new Map<string, string>();

  async resolve(file: string, PATH = DEFAULT_PATH): Promise<string | undefined> {
    if (file.includes('/')) return file;
    const key = `${PATH}\0${file}`;
    const known = this.found.get(key);
    if (known) return known;
    for (const dir of PATH.split(':')) {
      const candidate = join(dir || '.', file);
      try {
        await access(candidate, constants.X_OK);
        if (!(await stat(candidate)).isFile()) continue;
      } catch {
        continue;
      }
      this.found.set(key, candidate);
      return candidate;
    }
    return undefined;
  }

  forget(file: string): void {
    for (const key of this.found.keys()) if (key.endsWith(`\0${file}`)) this.found.delete(key);
  }
}
