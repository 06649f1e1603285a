import { InvalidArgumentError } from '../../runtime/index.ts';
import type { StackFiles, StackProblem } from '../protocol/index.ts';
import { EnvFileError, parseEnvFile } from './env-file.ts';
import type { Project } from './model.ts';
import { normalize } from './normalize.ts';
import { parseCompose } from './parse.ts';
import { startOrder } from './plan.ts';

export type Loaded = { project: Project; problems: [] } | { project?: undefined; problems: StackProblem[] };

export interface LoadOptions {
  name: string;
  workingDir: string;
  configFile: string;
  readFile: (file: string) => Promise<string>;
}

/**
 * A stack's files as a Project, or every problem found, each at its line: the `.env`, then
 * the compose file (YAML, interpolation, schema), then what only normalisation sees
 * (undeclared volumes and networks, extends, dependency cycles).
 */
export async function loadProject(files: StackFiles, opts: LoadOptions): Promise<Loaded> {
  let env: Record<string, string>;
  try {
    env = parseEnvFile(files.env);
  } catch (err) {
    if (!(err instanceof EnvFileError)) throw err;
    return { problems: [{ file: 'env', line: err.line, column: 1, path: '', message: err.message }] };
  }
  env = { COMPOSE_PROJECT_NAME: opts.name, ...env };
  const parsed = parseCompose(files.compose, env);
  if (!parsed.ok) return { problems: parsed.problems.map((p) => ({ file: 'compose', ...p })) };
  try {
    const project = await normalize(parsed.file, { ...opts, env });
    startOrder(project);
    return { project, problems: [] };
  } catch (err) {
    if (!(err instanceof InvalidArgumentError)) throw err;
    const field = err.field ?? '';
    return { problems: [{ file: 'compose', ...parsed.locate(field), path: field, message: err.message }] };
  }
}
