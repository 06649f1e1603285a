import { Badge } from '../ui/badge.tsx';
import { stateOf } from './status.ts';

export function StateBadge({ container }: { container: { State: string; Status: string } }) {
  const info = stateOf(container);
  return (
    <span className="inline-flex items-center gap-1" data-state={info.state}>
      <Badge tone={info.tone} title={container.Status}>
        {info.state}
        {info.exitCode !== undefined && info.state === 'exited' ? ` (${info.exitCode})` : ''}
      </Badge>
      {info.health && <Badge tone={info.health === 'healthy' ? 'success' : info.health === 'unhealthy' ? 'danger' : 'warning'}>{info.health}</Badge>}
    </span>
  );
}
