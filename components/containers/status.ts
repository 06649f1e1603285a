import type { ContainerSummary } from '../api/docker-types.ts';
import type { Tone } from '../ui/badge.tsx';

export const COMPOSE_PROJECT = 'com.docker.compose.project';

export function containerName(c: { Names?: string[]; Name?: string; Id: string }): string {
  const name = c.Names?.[0] ?? c.Name ?? '';
  return name.replace(/^\//, '') || c.Id.slice(0, 12);
}

export interface StateInfo {
  state: string;
  health?: 'healthy' | 'unhealthy' | 'starting';
  exitCode?: number;
  tone: Tone;
}

/** State, health and exit code from a list entry (Status is "Up 3 minutes (healthy)", "Exited (137) 2 hours ago"). */
export function stateOf(c: Pick<ContainerSummary, 'State' | 'Status'>): StateInfo {
  const health = /\((healthy|unhealthy|health: starting)\)/.exec(c.Status)?.[1];
  const exit = /^Exited \((-?\d+)\)/.exec(c.Status)?.[1];
  const state = c.State;
  const info: StateInfo = {
    state,
    health: health === 'health: starting' ? 'starting' : (health as StateInfo['health']),
    exitCode: exit === undefined ? undefined : Number(exit),
    tone: 'neutral',
  };
  if (state === 'running') info.tone = info.health === 'unhealthy' ? 'danger' : info.health === 'starting' ? 'warning' : 'success';
  else if (state === 'paused' || state === 'restarting') info.tone = 'warning';
  else if (state === 'dead' || (state === 'exited' && info.exitCode !== undefined && info.exitCode !== 0)) info.tone = 'danger';
  return info;
}

export function ipOf(c: ContainerSummary): string {
  const networks = Object.values(c.NetworkSettings?.Networks ?? {});
  return networks.map((n) => n.IPAddress).filter(Boolean).join(', ');
}
