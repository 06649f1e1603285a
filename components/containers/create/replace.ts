import { containers } from '../../api/docker.ts';
import type { CreateRequest } from './to-body.ts';

/**
 * Recreates a container under its own name: the old one is stopped and renamed aside, the
 * new one created and started, and only then the old one removed. Any failure puts the old
 * one back as it was.
 */
export async function replaceContainer(env: string, original: { id: string; name: string; running: boolean }, request: CreateRequest, phase: (text: string) => void): Promise<string> {
  const aside = `${original.name}-replaced-${Date.now().toString(36)}`;
  if (original.running) {
    phase(`Stopping ${original.name}…`);
    await containers.action(env, original.id, 'stop');
  }
  phase(`Renaming ${original.name} aside…`);
  await containers.rename(env, original.id, aside);
  let created: string | undefined;
  try {
    phase('Creating the new container…');
    created = (await containers.create(env, original.name, request.body)).Id;
    phase('Starting…');
    await containers.action(env, created, 'start');
  } catch (err) {
    if (created) await containers.remove(env, created, { force: true }).catch(() => undefined);
    await containers.rename(env, original.id, original.name).catch(() => undefined);
    if (original.running) await containers.action(env, original.id, 'start').catch(() => undefined);
    throw err;
  }
  phase(`Removing the old ${original.name}…`);
  await containers.remove(env, original.id, { force: true });
  return created;
}
