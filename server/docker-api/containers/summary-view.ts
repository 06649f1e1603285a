import type { Engine } from '../../../runtime/index.ts';
import type * as Docker from '../../protocol/docker-api.ts';
import { mountsView } from './mounts-view.ts';
import { networking, networkName, networksView, portsSummary } from './network-view.ts';
import { stateString, statusString } from './status.ts';
import { sizes } from './inspect-view.ts';

type Row = ReturnType<Engine['containers']['get']>;

/** dockerd's Command column: Path and Args, each argument with a space in single quotes. */
export function commandString(path: string, args: string[]): string {
  if (args.length === 0) return path;
  return `${path} ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')}`;
}

/**
 * The image as the user named it, unless that name now points elsewhere (then the image id).
 * `resolved` memoises name lookups across the rows of one list.
 */
export function imageColumn(engine: Engine, row: Row, resolved = new Map<string, string | undefined>()): string {
  const ref = row.record.ImageRef;
  if (ref === row.record.Image) return ref;
  if (!resolved.has(ref)) resolved.set(ref, engine.images.find(ref)?.id);
  return resolved.get(ref) === row.record.Image ? ref : row.record.Image;
}

/** One entry of `GET /containers/json`. */
export async function summaryView(engine: Engine, row: Row, opts: { size?: boolean; sizesRw?: Map<string, number>; imageSizes?: Map<string, number>; now?: number; images?: Map<string, string | undefined> } = {}): Promise<Docker.GoJson<Docker.ContainerSummary>> {
  const rec = row.record;
  // Ports and Networks come from one read of the container's endpoints.
  const net = networking(engine, rec, row.state);
  return {
    Id: row.id,
    Names: [`/${row.name}`],
    Image: imageColumn(engine, row, opts.images),
    ImageID: rec.Image,
    Command: commandString(rec.Path, rec.Args),
    Created: Math.floor(Date.parse(rec.Created) / 1000),
    Ports: portsSummary(engine, rec, row.state, net),
    ...(opts.size ? await sizes(engine, row, opts.sizesRw, opts.imageSizes) : {}),
    Labels: rec.Config.Labels ?? {},
    State: stateString(row.state),
    Status: statusString(row.state, opts.now),
    HostConfig: { NetworkMode: networkName(rec) ?? rec.HostConfig.NetworkMode },
    NetworkSettings: { Networks: networksView(engine, rec, row.state, net) },
    Mounts: mountsView(rec),
  };
}
