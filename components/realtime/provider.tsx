'use client';

import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Realtime } from './realtime.ts';

const RealtimeContext = createContext<Realtime | null>(null);

/** Opens the tab's one socket.io connection after hydration, closes it on unmount. */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const [realtime, setRealtime] = useState<Realtime | null>(null);
  useEffect(() => {
    const instance = new Realtime();
    setRealtime(instance);
    return () => instance.close();
  }, []);
  return <RealtimeContext.Provider value={realtime}>{children}</RealtimeContext.Provider>;
}

/** Null until the connection object exists (first render, server rendering). */
export function useRealtime(): Realtime | null {
  return useContext(RealtimeContext);
}

const noop = () => () => undefined;

export function useRealtimeStatus(): Realtime['status'] {
  const realtime = useRealtime();
  return useSyncExternalStore(
    realtime ? (l) => realtime.onStatus(l) : noop,
    () => realtime?.status ?? 'connecting',
    () => 'connecting',
  );
}
