import type { VolumeCreateOptions } from '../../../runtime/index.ts';
import type { Route } from '../router.ts';
import { readJSON, sendJSON } from '../respond.ts';
import { badRequest } from '../errors.ts';
import { volumeBody } from './shape.ts';

function stringMap(v: unknown, field: string): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v) || Object.values(v).some((x) => typeof x !== 'string')) throw badRequest(`${field} must be a map of strings`);
  return v as Record<string, string>;
}

/** POST /volumes/create: an existing name is answered with that volume, as Docker does. */
export const routes: Route[] = [{
  method: 'POST',
  path: '/volumes/create',
  handler: async (r) => {
    const body = await readJSON<Record<string, unknown>>(r);
    for (const k of ['Name', 'Driver'] as const) if (body[k] !== undefined && typeof body[k] !== 'string') throw badRequest(`${k} must be a string`);
    const opts: VolumeCreateOptions = {
      Name: body.Name as string | undefined,
      Driver: body.Driver as string | undefined,
      DriverOpts: stringMap(body.DriverOpts, 'DriverOpts'),
      Labels: stringMap(body.Labels, 'Labels'),
    };
    await r.policy?.check({ kind: 'volume.create', options: opts });
    sendJSON(r.res, 201, volumeBody(r.engine, await r.engine.volumes.create(opts)));
  },
}];
