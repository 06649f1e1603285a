import type { Engine } from '../../../runtime/index.ts';

type Row = ReturnType<Engine['containers']['get']>;

/** A container event with the attributes dockerd gives them (labels, image, name). */
export function publishContainerEvent(engine: Engine, row: Row, action: string, extra: Record<string, string> = {}): void {
  engine.events.publish('container', action, row.id, { ...row.record.Config.Labels, image: row.record.ImageRef, name: row.name, ...extra });
}
