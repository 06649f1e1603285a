'use client';

import { useEffect, useRef, useSyncExternalStore } from 'react';
import type { StatsSample } from '@/server/protocol/index.ts';
import { useRealtime } from './provider.tsx';

/**
 * The latest stats sample per container, for list rows. A row reads its own container's
 * sample, so a sample re-renders one cell, not the table.
 */
export class StatsStore {
  private readonly samples = new Map<string, StatsSample>();
  private readonly listeners = new Map<string, Set<() => void>>();

  set(container: string, sample: StatsSample): void {
    this.samples.set(container, sample);
    for (const l of this.listeners.get(container) ?? []) l();
  }

  delete(container: string): void {
    this.samples.delete(container);
    for (const l of this.listeners.get(container) ?? []) l();
  }

  get(container: string): StatsSample | undefined {
    return this.samples.get(container);
  }

  listen(container: string, listener: () => void): () => void {
    let set = this.listeners.get(container);
    if (!set) this.listeners.set(container, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(container);
    };
  }
}

/**
 * Keeps one stats subscription per container in `ids` (the visible running rows), opening
 * and closing subscriptions as rows scroll in and out of view.
 */
export function useStatsSubscriptions(store: StatsStore, env: string, ids: string[]): void {
  const realtime = useRealtime();
  const active = useRef(new Map<string, () => void>());
  const key = [...ids].sort().join(',');

  // Rows scroll in and out one by one: open and close only the difference.
  useEffect(() => {
    if (!realtime) return;
    const wanted = new Set(key === '' ? [] : key.split(','));
    for (const [container, close] of active.current) {
      if (!wanted.has(container)) {
        close();
        active.current.delete(container);
      }
    }
    for (const container of wanted) {
      if (active.current.has(container)) continue;
      active.current.set(container, realtime.subscribe('stats', () => ({ env, container }), {
        onMessage: (sample) => store.set(container, sample),
        onEnd: () => { store.delete(container); active.current.delete(container); },
        onError: () => { store.delete(container); active.current.delete(container); },
      }));
    }
  }, [realtime, store, env, key]);

  useEffect(() => {
    const subscriptions = active.current;
    return () => {
      for (const close of subscriptions.values()) close();
      subscriptions.clear();
    };
  }, [realtime, env]);
}

export function useStatsSample(store: StatsStore, container: string): StatsSample | undefined {
  return useSyncExternalStore(
    (l) => store.listen(container, l),
    () => store.get(container),
    () => undefined,
  );
}
