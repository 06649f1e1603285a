'use client';

import { createContext, useContext } from 'react';
import type { SessionUser } from '@/server/protocol/index.ts';

export const SessionContext = createContext<SessionUser | null>(null);

/** The signed-in user; the dashboard shell only renders once there is one. */
export function useSessionUser(): SessionUser {
  const user = useContext(SessionContext);
  if (!user) throw new Error('useSessionUser outside the dashboard shell');
  return user;
}

export function useIsAdmin(): boolean {
  return useContext(SessionContext)?.role === 'admin';
}

export function useCanWrite(): boolean {
  const role = useContext(SessionContext)?.role;
  return role === 'admin' || role === 'operator';
}
