import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, NotFoundError, secureJoin } from '../../runtime/index.ts';
import { STACK_NAME, type StackFiles } from '../protocol/index.ts';

/** The names compose looks for, in its order of preference. */
const COMPOSE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/**
 * Stacks as files: `<data root>/stacks/<name>/compose.yaml` and `.env`, the source of truth
 * (editable outside Wharf). Writes go to a temporary file, fsync'd and renamed, so a crash
 * leaves the old file or the new one.
 */
export class StackFolders {
  constructor(private readonly root: string) {}

  dir(name: string): string {
    if (!STACK_NAME.test(name)) throw new InvalidArgumentError(`name: "${name}" is not a stack name (lowercase letters, digits, "-" and "_")`, { field: 'name' });
    return path.join(this.root, name);
  }

  async names(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const found = await Promise.all(entries.filter((e) => STACK_NAME.test(e)).map(async (e) => ((await this.composeFile(e)) ? e : undefined)));
    return found.filter((e): e is string => !!e).sort();
  }

  /** The compose file's path, or undefined when the stack has no folder. */
  async composeFile(name: string): Promise<string | undefined> {
    let entries: string[];
    try {
      entries = await readdir(this.dir(name));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
      throw err;
    }
    const file = COMPOSE_NAMES.find((n) => entries.includes(n));
    return file && path.join(this.dir(name), file);
  }

  async read(name: string): Promise<StackFiles> {
    const file = await this.composeFile(name);
    if (!file) throw new NotFoundError(`no stack named ${name}`);
    const compose = await readFile(file, 'utf8');
    const env = await readFile(path.join(this.dir(name), '.env'), 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    return { compose, env };
  }

  async write(name: string, files: StackFiles): Promise<void> {
    const dir = this.dir(name);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const file = (await this.composeFile(name)) ?? path.join(dir, COMPOSE_NAMES[0]!);
    await writeAtomic(file, files.compose);
    await writeAtomic(path.join(dir, '.env'), files.env);
  }

  async remove(name: string): Promise<void> {
    await rm(this.dir(name), { recursive: true, force: true });
  }

  /** A file the compose file names (env_file, extends.file), confined to the stack's folder. */
  async readInside(name: string, file: string): Promise<string> {
    const dir = this.dir(name);
    const relative = path.relative(dir, path.resolve(dir, file));
    return readFile(await secureJoin(dir, relative), 'utf8');
  }
}

async function writeAtomic(file: string, data: string): Promise<void> {
  const dir = path.dirname(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'w', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await fh.close();
  await rename(tmp, file);
  const d = await open(dir, 'r');
  try { await d.sync(); } finally { await d.close(); }
}
