import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { authStatus } from '@/components/auth/status.server.ts';
import { AppShell } from '@/components/shell/app-shell.tsx';
import { ServerUnavailable } from '@/components/auth/server-unavailable.tsx';

// Every page depends on the session and on live engine data.
export const dynamic = 'force-dynamic';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const result = await authStatus();
  if ('error' in result) return <ServerUnavailable message={result.error} />;
  if (!result.status.user) redirect('/login');
  return <AppShell user={result.status.user}>{children}</AppShell>;
}
