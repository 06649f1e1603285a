'use client';

import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { DockerEvent } from '@/server/protocol/index.ts';
import { qk } from '../query-keys.ts';
import { useRealtime } from './provider.tsx';

/** Which cached data an engine event makes stale. */
function keysFor(env: string, event: DockerEvent): (readonly string[])[] {
  const system = ['env', env, 'system'];
  switch (event.Type) {
    case 'container':
      // Exec sessions do not change anything a list or a detail page shows.
      if (event.Action.startsWith('exec_')) return [];
      return [qk.containers(env), system, qk.volumes(env), qk.images(env)];
    case 'image':
      return [qk.images(env), system, qk.containers(env)];
    case 'volume':
      return [qk.volumes(env), system];
    case 'network':
      return [qk.networks(env), qk.containers(env)];
    default:
      return [system];
  }
}

/**
 * Follows the engine's event stream for one environment and marks the affected queries stale;
 * the screens refetch what they show. Events arrive in bursts (a bulk stop of 500 containers),
 * so invalidations are gathered and flushed at most every 250 ms.
 */
export function useEngineEvents(env: string): void {
  const realtime = useRealtime();
  const client = useQueryClient();
  useEffect(() => {
    if (!realtime) return;
    const pending = new Map<string, readonly string[]>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      for (const key of pending.values()) void client.invalidateQueries({ queryKey: key });
      pending.clear();
    };
    const schedule = (keys: (readonly string[])[]) => {
      for (const key of keys) pending.set(key.join('\0'), key);
      timer ??= setTimeout(flush, 250);
    };
    let first = true;
    const unsubscribe = realtime.subscribe('events', () => ({ env }), {
      onMessage: ({ event }) => schedule(keysFor(env, event)),
      onSubscribed: () => {
        // After a reconnect, whatever happened meanwhile was missed: refetch this environment.
        if (!first) invalidateEnv(client, env);
        first = false;
      },
    });
    return () => {
      unsubscribe();
      if (timer) clearTimeout(timer);
    };
  }, [realtime, client, env]);
}

function invalidateEnv(client: QueryClient, env: string): void {
  void client.invalidateQueries({ queryKey: qk.env(env) });
}
