import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError, NotFoundError, NotImplementedError } from '../../runtime/index.ts';
import type { AppTemplate, StackFiles } from '../protocol/index.ts';
import { BUILTIN_STACKS } from '../paths.ts';

/**
 * A compose-stack template (type 3) as a new stack's files: the stack file, and a `.env`
 * holding each of the template's variables with its default, for the user to edit before
 * the plan.
 */
export async function templateStackFiles(t: AppTemplate): Promise<StackFiles & { name: string }> {
  if (t.type !== 3 || !t.repository) throw new InvalidArgumentError(`template ${t.id} is not a compose stack`, { field: 'id' });
  if (t.repository.url !== 'builtin') throw new NotImplementedError(`stack files are not fetched from repositories yet (${t.repository.url}): paste the compose file into a new stack`);
  const file = path.basename(t.repository.stackfile);
  const compose = await readFile(path.join(BUILTIN_STACKS, file), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new NotFoundError(`the built-in stack file ${file} is missing`);
    throw err;
  });
  const env = t.env.map((e) => `${e.name}=${e.default ?? e.select?.find((o) => o.default)?.value ?? ''}\n`).join('');
  const name = t.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'stack';
  return { name, compose, env };
}
