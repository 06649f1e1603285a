'use client';

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { LOCAL_ENVIRONMENT_ID } from '@/server/protocol/index.ts';

interface EnvState { env: string; setEnv(env: string): void }

const EnvContext = createContext<EnvState>({ env: LOCAL_ENVIRONMENT_ID, setEnv: () => undefined });
const STORAGE_KEY = 'wharf.environment';

/** The environment every engine page shows; remembered per browser. */
export function EnvProvider({ children }: { children: ReactNode }) {
  const [env, setState] = useState(LOCAL_ENVIRONMENT_ID);
  useEffect(() => {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved) setState(saved);
  }, []);
  const setEnv = useCallback((next: string) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    setState(next);
  }, []);
  const value = useMemo(() => ({ env, setEnv }), [env, setEnv]);
  return <EnvContext.Provider value={value}>{children}</EnvContext.Provider>;
}

export function useEnv(): string {
  return useContext(EnvContext).env;
}

export function useSetEnv(): (env: string) => void {
  return useContext(EnvContext).setEnv;
}
