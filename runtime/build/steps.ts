import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { InvalidArgumentError } from '../errors.ts';
import type { ContainerConfig } from '../images/oci-types.ts';
import type { ContainerService } from '../containers/service.ts';
import { applyLayer } from '../diff/apply.ts';
import { copyLayer } from './copy.ts';
import { RunFailedError } from './errors.ts';
import type { ContainerOps } from '../containers/ops.ts';

export type Emit = (msg: Record<string, unknown>) => void;

export interface StepDeps { containers: ContainerService; containerOps: ContainerOps }

/** Run one RUN command in a throwaway container; its output goes to the build log. Returns the container id. */
export async function runStep(deps: StepDeps, image: string, c: ContainerConfig, cmd: string[], env: string[], emit: Emit, quiet: boolean): Promise<string> {
  const row = await deps.containers.create({
    config: { Image: image, Cmd: cmd, Entrypoint: [], Env: env, User: c.User ?? '', WorkingDir: c.WorkingDir ?? '', Labels: {} },
    hostConfig: { NetworkMode: 'none' },
  });
  if (!quiet) emit({ stream: ` ---> Running in ${row.id.slice(0, 12)}\n` });
  try {
    await deps.containers.start(row.id);
    for await (const chunk of deps.containers.logs(row.id, { follow: true })) {
      if (!quiet) emit({ stream: chunk.data.toString('utf8') });
    }
    const { StatusCode } = await deps.containers.wait(row.id);
    if (StatusCode !== 0) throw new RunFailedError(cmd, StatusCode);
    return row.id;
  } catch (e) {
    await removeContainer(deps, row.id);
    throw e;
  }
}

export async function removeContainer(deps: StepDeps, id: string): Promise<void> {
  await deps.containers.remove(id, { force: true }).catch(() => undefined);
}

/** Copy paths out of an image (COPY --from) into a temp tree laid out as in the image. */
export async function imageTree(deps: StepDeps, image: string, sources: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wharf-build-from-'));
  const row = await deps.containers.create({ config: { Image: image, Cmd: ['true'], Entrypoint: [], Labels: {} }, hostConfig: { NetworkMode: 'none' } });
  try {
    for (const s of sources) {
      const abs = posix.normalize(`/${s}`);
      if (/[*?[]/.test(abs)) throw new InvalidArgumentError(`COPY --from: wildcards are not supported: ${s}`);
      const parent = join(dir, posix.dirname(abs));
      await mkdir(parent, { recursive: true });
      const { tar } = await deps.containerOps.getArchive(row.id, abs).catch((e: unknown) => {
        throw new InvalidArgumentError(`COPY failed: stat ${abs}: file does not exist`, { cause: e });
      });
      await applyLayer(tar, parent, { whiteouts: 'remove' });
    }
    return dir;
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  } finally {
    await removeContainer(deps, row.id);
  }
}

export { copyLayer };
