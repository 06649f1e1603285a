import { ConflictError, FailedPreconditionError, familiarName, NotFoundError, parseReference } from '../../runtime/index.ts';
import type { DockerClient } from '../environments/client.ts';
import type { RecreateResult, Role } from '../protocol/index.ts';
import type { RegistryStore } from '../registries/store.ts';
import { followedTag, type UpdateChecker } from './checker.ts';
import { inspectContainer, recreateBody, recreateContainer, type ContainerInspect } from './recreate.ts';
import type { UpdateStore } from './store.ts';

/** The tag under which the image a container ran before its update is kept (so no prune takes it). */
const PREVIOUS = '-wharf-previous';
export const previousTag = (tag: string): string => `${tag.slice(0, 128 - PREVIOUS.length)}${PREVIOUS}`;

/**
 * "Update" and "roll back" of one container, through the environment's Docker API as every
 * dashboard action: pull the tag, keep the old image, recreate the container with the same
 * settings on the new one; roll back recreates it on the image kept.
 */
export class ContainerUpdater {
  private readonly busy = new Set<string>();

  constructor(
    private readonly docker: DockerClient,
    private readonly registries: RegistryStore,
    private readonly store: UpdateStore,
    private readonly checker: UpdateChecker,
    /** Refuses (403) a role that could not have created the container itself (server/policy). */
    private readonly mayRecreate: (role: Role, containerId: string) => Promise<void>,
  ) {}

  update(container: string, role: Role): Promise<RecreateResult> {
    return this.exclusive(container, async (c) => {
      const name = c.Name.replace(/^\//, '');
      const reference = followedTag(c.Config.Image, c.Image) ?? this.store.rollback(name)?.reference;
      if (!reference) throw new FailedPreconditionError(`container ${name} was created from an image id and follows no tag`);
      await this.pull(reference);
      // Slashes stay: the Docker API routes `/images/<host>/<path>:<tag>/json` as the CLI sends it.
      const image = (await this.docker.json<{ Id: string }>('GET', `/images/${reference.split('/').map(encodeURIComponent).join('/')}/json`)).Id;
      if (image === c.Image) {
        await this.checker.checkOne(reference, image);
        return { id: c.Id, name, image, previousImage: c.Image, changed: false };
      }
      const ref = parseReference(reference);
      await this.docker.json('POST', `/images/${encodeURIComponent(c.Image)}/tag?repo=${encodeURIComponent(familiarName(ref))}&tag=${encodeURIComponent(previousTag(ref.tag ?? 'latest'))}`);
      const id = await this.recreate(c, reference, role);
      this.store.setRollback({ containerName: name, reference, previousImage: c.Image });
      await this.checker.checkOne(reference, image);
      return { id, name, image, previousImage: c.Image, changed: true };
    });
  }

  rollback(container: string, role: Role): Promise<RecreateResult> {
    return this.exclusive(container, async (c) => {
      const name = c.Name.replace(/^\//, '');
      const point = this.store.rollback(name);
      if (!point) throw new NotFoundError(`no earlier image recorded for container ${name}`);
      if (point.previousImage === c.Image) return { id: c.Id, name, image: c.Image, previousImage: c.Image, changed: false };
      // By id: the tag itself now names the newer image.
      const id = await this.recreate(c, point.previousImage, role);
      await this.checker.checkOne(point.reference, point.previousImage);
      return { id, name, image: point.previousImage, previousImage: c.Image, changed: true };
    });
  }

  /** A recreate is a create: an operator may do it only with settings an operator may create. */
  private recreate(c: ContainerInspect, image: string, role: Role): Promise<string> {
    const body = recreateBody(c, image);
    return this.mayRecreate(role, c.Id).then(() => recreateContainer(this.docker, c, image, body));
  }

  /** Pulls with the stored credentials of the registry; an error inside the progress stream fails the pull. */
  private async pull(reference: string): Promise<void> {
    const creds = this.registries.credentialsFor(parseReference(reference).domain);
    const headers = creds ? { 'x-registry-auth': Buffer.from(JSON.stringify(creds)).toString('base64url') } : undefined;
    const res = await this.docker.stream({ method: 'POST', path: `/images/create?fromImage=${encodeURIComponent(reference)}`, headers });
    let text = '';
    for await (const chunk of res) text += (chunk as Buffer).toString('utf8');
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const msg = JSON.parse(line) as { error?: string };
      if (msg.error) throw new FailedPreconditionError(`pull of ${reference} failed: ${msg.error}`);
    }
  }

  private async exclusive(container: string, work: (c: ContainerInspect) => Promise<RecreateResult>): Promise<RecreateResult> {
    const c = await inspectContainer(this.docker, container);
    if (this.busy.has(c.Id)) throw new ConflictError(`container ${c.Name.replace(/^\//, '')} is being updated already`);
    this.busy.add(c.Id);
    try {
      return await work(c);
    } finally {
      this.busy.delete(c.Id);
    }
  }
}
