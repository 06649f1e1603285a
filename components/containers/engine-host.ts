'use client';

import { useQuery } from '@tanstack/react-query';
import type { Environment } from '@/server/protocol/index.ts';
import { api } from '../api/client.ts';
import { qk } from '../query-keys.ts';

/**
 * Where the environment's published ports are reachable from this browser: the dashboard's
 * own host for the embedded engine and local sockets, the endpoint's host for remote engines.
 */
export function useEngineHost(env: string): string {
  const { data } = useQuery({ queryKey: qk.environments(), queryFn: () => api<Environment[]>('/api/environments') });
  const fallback = typeof window === 'undefined' ? 'localhost' : window.location.hostname;
  const url = data?.find((e) => e.id === env)?.url;
  if (!url) return fallback;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'unix:' || !parsed.hostname ? fallback : parsed.hostname;
  } catch {
    return fallback;
  }
}
