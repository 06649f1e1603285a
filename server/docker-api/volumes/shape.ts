import type { Engine, VolumeRow } from '../../../runtime/index.ts';
import type * as Docker from '../../protocol/docker-api.ts';

export type VolumeBody = Docker.GoJson<Docker.Volume>;

/** A volume in the API's shape; UsageData only when asked (`/system/df`). */
export function volumeBody(engine: Engine, v: VolumeRow, usage?: { Size: number; RefCount: number }): VolumeBody {
  return {
    CreatedAt: new Date(v.created * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    Driver: v.driver,
    Labels: v.labels,
    Mountpoint: engine.volumes.mountpointOf(v.name),
    Name: v.name,
    Options: v.options,
    Scope: 'local',
    ...(usage ? { UsageData: usage } : {}),
  };
}
